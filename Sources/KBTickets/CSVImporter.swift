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

    static let fields: Set<String> = [
        "id", "customer_key", "customer_id", "customer_name", "subject", "message", "status", "priority",
        "channel", "category", "tags", "created_at", "first_response_at", "resolved_at",
        "closed_at", "csat", "reopen_count", "escalated", "resolved_by", "resolution",
        "resolution_cause", "resolution_steps", "resolution_article",
    ]

    /// The project's own flat `tickets.csv` (docs/TICKETS.md, "Flat CSV form").
    static func flat(source: String) -> ColumnMapping {
        var columns = Dictionary(uniqueKeysWithValues: fields.map { ($0, $0) })
        columns["customer_key"] = "customer_email"
        columns["resolution"] = "resolution_summary"
        return ColumnMapping(source: source, columns: columns, values: [:])
    }

    static func load(path: String) throws -> ColumnMapping {
        guard TicketFiles.isRegularFile(path) else { throw TicketImportError.unreadable(path: path) }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TicketImportError.unreadable(path: path)
        }
        let object: Any?
        do { object = try SafeYAML.load(yaml: text) } catch let refusal as SafeYAML.Refusal {
            throw TicketImportError.badMapping(path: path, reason: refusal.message, line: refusal.line)
        } catch {
            throw TicketImportError.badMapping(path: path, reason: "\(error)")
        }
        guard let map = object as? [String: Any], let source = map["source"] as? String,
            let columns = map["columns"] as? [String: String]
        else {
            throw TicketImportError.badMapping(
                path: path, reason: "needs 'source' and a 'columns' mapping of field: header")
        }
        for key in columns.keys where !fields.contains(key) {
            throw TicketImportError.badMapping(
                path: path, reason: "unknown field '\(key)' (fields: \(fields.sorted().joined(separator: ", ")))")
        }
        guard columns["id"] != nil, columns["status"] != nil else {
            throw TicketImportError.badMapping(path: path, reason: "'id' and 'status' must be mapped")
        }
        var values: [String: [String: String]] = [:]
        // A malformed 'values' table is an error, not a table quietly left out (an empty one is none).
        let tables = map["values"].flatMap { $0 is NSNull ? nil : $0 }
        guard tables == nil || tables is [String: Any] else {
            throw TicketImportError.badMapping(
                path: path, reason: "'values' must be a mapping of field: {export value: our value}")
        }
        for (field, table) in (tables as? [String: Any]) ?? [:] where !(table is NSNull) {
            guard let t = table as? [String: Any] else {
                throw TicketImportError.badMapping(
                    path: path, reason: "values.\(field) must be a mapping of export value: our value")
            }
            values[field] = t.reduce(into: [:]) { $0[$1.key] = "\($1.value)" }
        }
        return ColumnMapping(source: source, columns: columns, values: values, explicit: true)
    }

    /// Header name → field index. A mapping file names the columns it expects: one the CSV
    /// lacks is an error (it once exited 0 rejecting every row). The flat form needs only
    /// id and status.
    func positions(in header: [String], path: String) throws -> [String: Int] {
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() { position[name.trimmingSpaces] = i }
        let missing = columns.filter { position[$0.value] == nil && (explicit || ["id", "status"].contains($0.key)) }
        if !missing.isEmpty {
            throw TicketImportError.missingColumns(path: path, columns: missing.map(\.value).sorted())
        }
        return position
    }
}

enum CSVImporter {
    /// `companions`: the flat form's `customers.csv`, `messages.csv` and `resolutions.csv`.
    static func read(
        path: String, mapping: ColumnMapping, companions: CompanionTables? = nil,
        emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void
    ) throws {
        var reader = try CSVReader(path: path)
        guard let header = try reader.next() else { return }
        let columns = try mapping.positions(in: header.fields, path: path)
        let file = (path as NSString).lastPathComponent
        for problem in companions?.problems ?? [] { try emit(problem.row, .failure(problem), []) }
        func rows(_ staged: CompanionTables.Session?) throws {
            while let record = try reader.next() {
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                let row = MappedRow(
                    record: record, columns: columns, width: header.fields.count, mapping: mapping, file: file)
                let (result, notes) = try ticket(from: row, staged: staged)
                try emit(record.line, result, notes)
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

    /// One record as a ticket, or why it is skipped; with the notes on fields left empty.
    static func ticket(
        from row: MappedRow, staged: CompanionTables.Session?
    ) throws
        -> (Result<TicketInput, RowProblem>, [RowProblem])
    {
        var notes: [RowProblem] = []
        func note(_ m: String) { notes.append(row.problem(m, skipped: false)) }
        func skip(_ m: String) -> (Result<TicketInput, RowProblem>, [RowProblem]) {
            (.failure(row.problem(m, skipped: true)), [])
        }
        if let problem = row.record.problem { return skip(problem) }
        guard row.record.fields.count == row.width else {
            return skip("has \(row.record.fields.count) fields, header has \(row.width)")
        }
        guard let id = row.value("id") else { return skip("missing ticket id") }
        guard let rawStatus = row.value("status") else { return skip("missing status") }
        var t = TicketInput(
            source: row.mapping.source, externalID: id, customerKey: row.value("customer_key"),
            status: TicketVocabulary.status(rawStatus, note: note))
        readColumns(row, into: &t, note: note)
        if let staged { try join(staged, ticket: id, row: row, into: &t) { notes.append($0) } }
        t.customerKey = t.customerKey ?? row.value("customer_id")
        if t.subject == nil && t.messages.isEmpty { return skip("no subject and no customer message") }
        TicketChecks.durations(&t, note: note)
        return (.success(t), notes)
    }

    /// The ticket fields the record's own columns give (all but id, status and customer key).
    static func readColumns(_ row: MappedRow, into t: inout TicketInput, note: (String) -> Void) {
        t.knownNames = [row.value("customer_name")].compactMap { $0 }
        t.subject = row.value("subject")
        t.priority = TicketVocabulary.checked(
            row.value("priority"), field: "priority", in: TicketVocabulary.priorities, note: note)
        t.channel = TicketVocabulary.checked(
            row.value("channel"), field: "channel", in: TicketVocabulary.channels, note: note)
        t.category = row.value("category")
        t.tags = row.value("tags").map { $0.split(separator: ";").map { $0.trimmingSpaces } } ?? []
        t.createdAt = row.date("created_at", note: note)
        t.firstResponseAt = row.date("first_response_at", note: note)
        t.resolvedAt = row.date("resolved_at", note: note)
        t.closedAt = row.date("closed_at", note: note)
        readCounts(row, into: &t, note: note)
        t.resolvedBy = row.value("resolved_by")
        if let text = row.value("message") {
            t.messages.append(
                .init(
                    role: "customer", channel: t.channel, at: t.createdAt, author: row.value("customer_name"),
                    text: text))
        }
        if row.value("resolution") != nil || row.value("resolution_steps") != nil {
            t.resolution = .init(
                summary: row.value("resolution"), cause: row.value("resolution_cause"),
                steps: row.value("resolution_steps")?.split(separator: "|").map { $0.trimmingSpaces } ?? [],
                article: row.value("resolution_article"))
        }
    }

    /// CSAT (1–5), reopen count (≥ 0) and escalated (true/false): a value out of range is
    /// noted and the field left at its default.
    static func readCounts(_ row: MappedRow, into t: inout TicketInput, note: (String) -> Void) {
        if let c = row.value("csat") {
            if let n = Double(c), (1...5).contains(n) {
                t.csat = Int(n)
            } else {
                note("csat '\(c)' is not 1–5; left empty")
            }
        }
        if let r = row.value("reopen_count") {
            if let n = Int(r), n >= 0 {
                t.reopenCount = n
            } else {
                note("reopen_count '\(r.prefix(40))' is not a whole number ≥ 0; left 0")
            }
        }
        if let e = row.value("escalated")?.lowercased() {
            if ["true", "yes", "1"].contains(e) {
                t.escalated = true
            } else if !["false", "no", "0"].contains(e) {
                note("escalated '\(e.prefix(40))' is not true/false; left false")
            }
        }
    }

    /// The flat form's companion tables: the customer's key and name from `customers.csv`,
    /// and the ticket's messages and resolution (taken out of the staging tables).
    static func join(
        _ staged: CompanionTables.Session, ticket id: String, row: MappedRow, into t: inout TicketInput,
        note: (RowProblem) -> Void
    ) throws {
        if let customer = row.value("customer_id"), let c = try staged.customer(customer) {
            t.customerKey = t.customerKey ?? c.key
            if let name = c.name { t.knownNames.append(name) }
        }
        let joined = try staged.take(ticket: id, note: note)
        t.messages += joined.messages
        t.resolution = t.resolution ?? joined.resolution
    }
}

/// One data record of a CSV export, read through a column mapping.
struct MappedRow {
    let record: CSVReader.Record
    /// Header name → field index.
    let columns: [String: Int]
    /// Fields the header has.
    let width: Int
    let mapping: ColumnMapping
    let file: String

    /// The field's value, trimmed and mapped through the `values` table; nil when the
    /// field is not mapped or empty.
    func value(_ field: String) -> String? {
        guard let column = mapping.columns[field], let i = columns[column] else { return nil }
        let raw = record.fields[i].trimmingSpaces
        if raw.isEmpty { return nil }
        return mapping.values[field]?[raw] ?? raw
    }

    /// The field as a timestamp; an unreadable one is noted and left empty.
    func date(_ field: String, note: (String) -> Void) -> Date? {
        guard let raw = value(field) else { return nil }
        guard let d = TimestampParser.parse(raw) else {
            note("bad date in '\(mapping.columns[field] ?? field)': \(raw.prefix(40)); field left empty")
            return nil
        }
        return d
    }

    func problem(_ message: String, skipped: Bool) -> RowProblem {
        RowProblem(file: file, row: record.line, message: message, skipped: skipped)
    }
}
