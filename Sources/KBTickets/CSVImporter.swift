import Foundation
import Yams

/// CSV exports: the project's flat layout (columns named as the JSONL fields), or any
/// other layout through a YAML column mapping (see pipelines/mappings/).
struct ColumnMapping: Sendable {
    /// Source of every ticket, unless a `source` column is mapped.
    var source: String
    /// Ticket field → CSV header.
    var columns: [String: String]
    /// Ticket field → (export value → our value).
    var values: [String: [String: String]]
    /// The project's own flat layout: reads `messages.csv` beside the tickets file.
    var isFlat = false

    static let fields: Set<String> = ["source", "id", "customer_key", "customer_id", "customer_name", "subject", "message", "status", "priority",
                                      "channel", "category", "tags", "created_at", "first_response_at", "resolved_at",
                                      "closed_at", "csat", "reopen_count", "escalated", "resolved_by", "resolution",
                                      "resolution_cause", "resolution_steps", "resolution_article"]

    /// The project's own flat `tickets.csv` (docs/TICKETS.md, "Flat CSV form").
    static func flat(source: String) -> ColumnMapping {
        var columns = Dictionary(uniqueKeysWithValues: fields.map { ($0, $0) })
        columns["customer_key"] = "customer_email"
        columns["resolution"] = "resolution_summary"
        return ColumnMapping(source: source, columns: columns, values: [:], isFlat: true)
    }

    static func load(path: String) throws -> ColumnMapping {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw TicketImportError.unreadable(path: path) }
        let object: Any?
        do { object = try Yams.load(yaml: text) } catch { throw TicketImportError.badMapping(path: path, reason: "\(error)") }
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
        return ColumnMapping(source: source, columns: columns, values: values)
    }
}

enum CSVImporter {
    /// Reads `path`; returns problems not tied to a ticket row (orphan messages).
    static func read(path: String, mapping: ColumnMapping,
                     emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void) throws -> [RowProblem] {
        var reader = try CSVReader(path: path)
        let file = (path as NSString).lastPathComponent
        guard let header = reader.next() else { return [] }
        var position: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() { position[name.trimmingCharacters(in: .whitespaces)] = i }
        if mapping.isFlat, position["status"] == nil, position["ticket_id"] != nil, position["text"] != nil {
            return [RowProblem(file: file, row: 1, message: "a messages table: it is read with the tickets.csv beside it", skipped: true)]
        }
        let missing = ["id", "status"].compactMap { mapping.columns[$0] }.filter { position[$0] == nil }
        if !missing.isEmpty { throw TicketImportError.missingColumns(path: path, columns: missing.sorted()) }
        let createdRequired = mapping.columns["created_at"].map { position[$0] != nil } ?? false
        var flatMessages = FlatMessages()
        let messagesPath = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("messages.csv")
        if mapping.isFlat, messagesPath != path, FileManager.default.fileExists(atPath: messagesPath) {
            flatMessages = try FlatMessages.load(path: messagesPath, defaultSource: mapping.source)
        }
        let width = header.fields.count
        while let record = reader.next() {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            let row = record.line
            guard record.fields.count == width else {
                try emit(row, .failure(RowProblem(file: file, row: row, message: "has \(record.fields.count) fields, header has \(width) (broken record)", skipped: true)), [])
                continue
            }
            let result = ticket(record, file: file, mapping: mapping, position: position, createdRequired: createdRequired, messages: &flatMessages)
            try emit(row, result.ticket, result.notes)
        }
        return flatMessages.problems + flatMessages.orphans()
    }

    static func ticket(_ record: CSVReader.Record, file: String, mapping: ColumnMapping, position: [String: Int],
                       createdRequired: Bool, messages: inout FlatMessages) -> (ticket: Result<TicketInput, RowProblem>, notes: [RowProblem]) {
        var notes: [RowProblem] = []
        let row = record.line
        func fail(_ m: String) -> (ticket: Result<TicketInput, RowProblem>, notes: [RowProblem]) {
            (.failure(RowProblem(file: file, row: row, message: m, skipped: true)), [])
        }
        func value(_ field: String) -> String? {
            guard let column = mapping.columns[field], let i = position[column] else { return nil }
            let raw = record.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            if raw.isEmpty { return nil }
            return mapping.values[field]?[raw] ?? raw
        }
        func header(_ field: String) -> String { mapping.columns[field] ?? field }
        func note(_ m: String) { notes.append(RowProblem(file: file, row: row, message: m, skipped: false)) }
        func date(_ field: String) -> Date? {
            guard let raw = value(field) else { return nil }
            guard let d = TimestampParser.parse(raw) else { note("bad date in '\(header(field))': \(raw.prefix(40)); field left empty"); return nil }
            return d
        }
        func vocabulary(_ field: String, _ map: (String) -> String?) -> String? {
            guard let raw = value(field) else { return nil }
            guard let v = map(raw) else { note("unknown \(field) '\(raw.prefix(40))' in '\(header(field))'; field left empty"); return nil }
            return v
        }
        guard let id = value("id") else { return fail("missing required field '\(header("id"))'") }
        guard let rawStatus = value("status") else { return fail("missing required field '\(header("status"))'") }
        guard let status = TicketVocabulary.status(rawStatus) else { return fail("unknown status '\(rawStatus.prefix(40))'") }
        let source = value("source") ?? mapping.source
        var t = TicketInput(source: source, externalID: id, customerKey: value("customer_key") ?? value("customer_id"), status: status)
        if value("customer_key") != nil, let cid = value("customer_id") { t.customerAliases = [cid] }
        t.knownNames = [value("customer_name")].compactMap { $0 }
        t.subject = value("subject")
        t.priority = vocabulary("priority", TicketVocabulary.priority)
        t.channel = vocabulary("channel", TicketVocabulary.channel)
        t.category = value("category")
        t.tags = value("tags").map { $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        if let raw = value("created_at") {
            guard let d = TimestampParser.parse(raw) else { return fail("bad date in required field '\(header("created_at"))': \(raw.prefix(40))") }
            t.createdAt = d
        } else if createdRequired {
            return fail("missing required field '\(header("created_at"))'")
        }
        t.firstResponseAt = date("first_response_at")
        t.resolvedAt = date("resolved_at")
        t.closedAt = date("closed_at")
        if let c = value("csat") {
            if let n = Double(c), n == n.rounded(), (1...5).contains(n) { t.csat = Int(n) } else { note("csat '\(c.prefix(20))' outside 1–5; field left empty") }
        }
        if let r = value("reopen_count") {
            if let n = Int(r), n >= 0 { t.reopenCount = n } else { note("reopen_count '\(r.prefix(20))' is not a count; left 0") }
        }
        t.escalated = ["true", "yes", "1"].contains(value("escalated")?.lowercased() ?? "")
        t.resolvedBy = vocabulary("resolved_by", TicketVocabulary.resolver)
        let attached = messages.take(source: source, ticket: id)
        if !attached.isEmpty {
            t.messages = attached
        } else if let text = value("message") {
            t.messages.append(.init(role: "customer", channel: t.channel, at: t.createdAt, author: value("customer_name"), text: text))
        }
        if value("resolution") != nil || value("resolution_steps") != nil || value("resolution_article") != nil {
            t.resolution = .init(summary: value("resolution"), cause: value("resolution_cause"),
                                 steps: value("resolution_steps")?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } ?? [],
                                 article: value("resolution_article"))
        }
        if t.subject == nil && !t.messages.contains(where: { $0.role == "customer" }) { return fail("no subject and no customer message") }
        TicketChecks.durations(&t) { note($0) }
        return (.success(t), notes)
    }
}

/// The flat form's `messages.csv` (ticket_id, source, role, channel, at, author, text),
/// read whole and handed to tickets as they are read.
struct FlatMessages {
    private var byTicket: [String: [(row: Int, message: TicketInput.Message)]] = [:]
    private var file = "messages.csv"
    var problems: [RowProblem] = []

    static func load(path: String, defaultSource: String) throws -> FlatMessages {
        var out = FlatMessages()
        out.file = (path as NSString).lastPathComponent
        var reader = try CSVReader(path: path)
        guard let header = reader.next() else { return out }
        var col: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() { col[h.trimmingCharacters(in: .whitespaces)] = i }
        let missing = ["ticket_id", "text"].filter { col[$0] == nil }
        if !missing.isEmpty { throw TicketImportError.missingColumns(path: path, columns: missing) }
        while let r = reader.next() {
            if r.fields.count == 1, r.fields[0].isEmpty { continue }
            func problem(_ m: String, skipped: Bool) { out.problems.append(RowProblem(file: out.file, row: r.line, message: m, skipped: skipped)) }
            guard r.fields.count == header.fields.count else {
                problem("has \(r.fields.count) fields, header has \(header.fields.count) (broken record)", skipped: true)
                continue
            }
            func f(_ k: String) -> String? {
                guard let i = col[k] else { return nil }
                let v = r.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
                return v.isEmpty ? nil : v
            }
            guard let ticket = f("ticket_id") else { problem("missing required field 'ticket_id'", skipped: true); continue }
            guard let text = f("text") else { problem("missing required field 'text'", skipped: true); continue }
            var role = "customer"
            if let raw = f("role") {
                guard let known = TicketVocabulary.role(raw) else { problem("unknown role '\(raw.prefix(40))'", skipped: true); continue }
                role = known
            }
            var at: Date?
            if let raw = f("at") {
                at = TimestampParser.parse(raw)
                if at == nil { problem("bad date in 'at': \(raw.prefix(40)); field left empty", skipped: false) }
            }
            var channel: String?
            if let raw = f("channel") {
                channel = TicketVocabulary.channel(raw)
                if channel == nil { problem("unknown channel '\(raw.prefix(40))'; field left empty", skipped: false) }
            }
            let key = (f("source") ?? defaultSource) + "\u{1F}" + ticket
            out.byTicket[key, default: []].append((r.line, .init(role: role, channel: channel, at: at, author: f("author"), text: text)))
        }
        return out
    }

    /// The messages of one ticket (removed, so leftovers are orphans).
    mutating func take(source: String, ticket: String) -> [TicketInput.Message] {
        guard !byTicket.isEmpty else { return [] }
        return byTicket.removeValue(forKey: source + "\u{1F}" + ticket)?.map(\.message) ?? []
    }

    /// Messages whose ticket is not in tickets.csv.
    func orphans() -> [RowProblem] {
        byTicket.flatMap { key, rows in
            rows.map { RowProblem(file: file, row: $0.row, message: "ticket '\(key.split(separator: "\u{1F}").last ?? "")' is not in tickets.csv", skipped: true) }
        }.sorted { $0.row < $1.row }
    }
}
