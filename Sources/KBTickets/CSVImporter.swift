import Foundation
import KBMarkdown
import Yams

/// CSV exports: the project's flat layout (columns named as the JSONL fields), or any
/// other layout through a YAML column mapping (see pipelines/mappings/).
struct ColumnMapping: Sendable {
    var source: String
    /// Ticket field → CSV header.
    var columns: [String: String]
    /// Ticket field → (export value → our value).
    var values: [String: [String: String]]
    /// From a `--mapping` file: every column it names must be in the CSV.
    var explicit = false

    static let fields: Set<String> = ["id", "customer_key", "customer_id", "customer_name", "subject", "message", "status", "priority",
                                      "channel", "category", "tags", "created_at", "first_response_at", "resolved_at",
                                      "closed_at", "csat", "reopen_count", "escalated", "resolved_by", "resolution",
                                      "resolution_cause", "resolution_steps", "resolution_article"]

    /// The project's own flat `tickets.csv` (docs/TICKETS.md, "Flat CSV form").
    static func flat(source: String) -> ColumnMapping {
        var columns = Dictionary(uniqueKeysWithValues: fields.map { ($0, $0) })
        columns["customer_key"] = "customer_email"
        columns["resolution"] = "resolution_summary"
        return ColumnMapping(source: source, columns: columns, values: [:])
    }

    static func load(path: String) throws -> ColumnMapping {
        guard TicketFiles.isRegularFile(path), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TicketImportError.unreadable(path: path)
        }
        let object: Any?
        do { object = try SafeYAML.load(yaml: text) } catch let refusal as SafeYAML.Refusal {
            throw TicketImportError.badMapping(path: path, reason: refusal.message, line: refusal.line)
        } catch {
            throw TicketImportError.badMapping(path: path, reason: "\(error)")
        }
        guard let map = object as? [String: Any], let source = map["source"] as? String,
              let columns = map["columns"] as? [String: String] else {
            throw TicketImportError.badMapping(path: path, reason: "needs 'source' and a 'columns' mapping of field: header")
        }
        for key in columns.keys where !fields.contains(key) {
            throw TicketImportError.badMapping(path: path, reason: "unknown field '\(key)' (fields: \(fields.sorted().joined(separator: ", ")))")
        }
        guard columns["id"] != nil, columns["status"] != nil else {
            throw TicketImportError.badMapping(path: path, reason: "'id' and 'status' must be mapped")
        }
        var values: [String: [String: String]] = [:]
        for (field, table) in (map["values"] as? [String: Any]) ?? [:] {
            guard let t = table as? [String: Any] else { continue }
            values[field] = t.reduce(into: [:]) { $0[$1.key] = "\($1.value)" }
        }
        return ColumnMapping(source: source, columns: columns, values: values, explicit: true)
    }
}

enum CSVImporter {
    /// `companions`: the flat form's `customers.csv`, `messages.csv` and `resolutions.csv`.
    static func read(path: String, mapping: ColumnMapping, companions: CompanionTables? = nil,
                     emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void) throws {
        var reader = try CSVReader(path: path)
        let file = (path as NSString).lastPathComponent
        guard let header = reader.next() else { return }
        var position: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() { position[name.trimmingSpaces] = i }
        // A mapping file names the columns it expects: one the CSV lacks is an error (it once
        // exited 0 rejecting every row). The flat form needs only id and status.
        let missing = mapping.columns.filter { position[$0.value] == nil && (mapping.explicit || ["id", "status"].contains($0.key)) }
        if !missing.isEmpty { throw TicketImportError.missingColumns(path: path, columns: missing.map(\.value).sorted()) }
        let width = header.fields.count
        for problem in companions?.problems ?? [] { try emit(problem.row, .failure(problem), []) }
        func rows(_ staged: CompanionTables.Session?) throws {
            while let record = reader.next() {
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                var notes: [RowProblem] = []
                let row = record.line
                if let problem = record.problem {
                    try emit(row, .failure(RowProblem(file: file, row: row, message: problem, skipped: true)), [])
                    continue
                }
                guard record.fields.count == width else {
                    try emit(row, .failure(RowProblem(file: file, row: row, message: "has \(record.fields.count) fields, header has \(width)", skipped: true)), [])
                    continue
                }
                func value(_ field: String) -> String? {
                    guard let column = mapping.columns[field], let i = position[column] else { return nil }
                    let raw = record.fields[i].trimmingSpaces
                    if raw.isEmpty { return nil }
                    return mapping.values[field]?[raw] ?? raw
                }
                func note(_ m: String) { notes.append(RowProblem(file: file, row: row, message: m, skipped: false)) }
                func date(_ field: String) -> Date? {
                    guard let raw = value(field) else { return nil }
                    guard let d = TimestampParser.parse(raw) else { note("bad date in '\(mapping.columns[field] ?? field)': \(raw.prefix(40)); field left empty"); return nil }
                    return d
                }
                guard let id = value("id") else {
                    try emit(row, .failure(RowProblem(file: file, row: row, message: "missing ticket id", skipped: true)), [])
                    continue
                }
                guard let rawStatus = value("status") else {
                    try emit(row, .failure(RowProblem(file: file, row: row, message: "missing status", skipped: true)), [])
                    continue
                }
                var t = TicketInput(source: mapping.source, externalID: id, customerKey: value("customer_key"),
                                    status: TicketVocabulary.status(rawStatus, note: note))
                t.knownNames = [value("customer_name")].compactMap { $0 }
                t.subject = value("subject")
                t.priority = TicketVocabulary.checked(value("priority"), field: "priority", in: TicketVocabulary.priorities, note: note)
                t.channel = TicketVocabulary.checked(value("channel"), field: "channel", in: TicketVocabulary.channels, note: note)
                t.category = value("category")
                t.tags = value("tags").map { $0.split(separator: ";").map { $0.trimmingSpaces } } ?? []
                t.createdAt = date("created_at")
                t.firstResponseAt = date("first_response_at")
                t.resolvedAt = date("resolved_at")
                t.closedAt = date("closed_at")
                if let c = value("csat") {
                    if let n = Double(c), (1...5).contains(n) { t.csat = Int(n) } else { note("csat '\(c)' is not 1–5; left empty") }
                }
                if let r = value("reopen_count") {
                    if let n = Int(r), n >= 0 { t.reopenCount = n } else { note("reopen_count '\(r.prefix(40))' is not a whole number ≥ 0; left 0") }
                }
                if let e = value("escalated")?.lowercased() {
                    if ["true", "yes", "1"].contains(e) { t.escalated = true }
                    else if !["false", "no", "0"].contains(e) { note("escalated '\(e.prefix(40))' is not true/false; left false") }
                }
                t.resolvedBy = value("resolved_by")
                if let text = value("message") {
                    t.messages.append(.init(role: "customer", channel: t.channel, at: t.createdAt, author: value("customer_name"), text: text))
                }
                if value("resolution") != nil || value("resolution_steps") != nil {
                    t.resolution = .init(summary: value("resolution"), cause: value("resolution_cause"),
                                         steps: value("resolution_steps")?.split(separator: "|").map { $0.trimmingSpaces } ?? [],
                                         article: value("resolution_article"))
                }
                if let staged {
                    if let id = value("customer_id"), let c = try staged.customer(id) {
                        t.customerKey = t.customerKey ?? c.key
                        if let name = c.name { t.knownNames.append(name) }
                    }
                    let joined = try staged.take(ticket: id) { notes.append($0) }
                    t.messages += joined.messages
                    t.resolution = t.resolution ?? joined.resolution
                }
                t.customerKey = t.customerKey ?? value("customer_id")
                if t.subject == nil && t.messages.isEmpty {
                    try emit(row, .failure(RowProblem(file: file, row: row, message: "no subject and no customer message", skipped: true)), [])
                    continue
                }
                TicketChecks.durations(&t) { note($0) }
                try emit(row, .success(t), notes)
            }
        }
        if let companions {
            let leftovers = try companions.session { staged in
                try rows(staged)
                return try staged.leftovers()
            }
            for problem in leftovers { try emit(problem.row, .failure(problem), []) }
        } else {
            try rows(nil)
        }
    }
}
