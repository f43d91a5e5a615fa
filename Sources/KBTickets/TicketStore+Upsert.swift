import Foundation
import GRDB

extension TicketStore {
    /// Redacts and writes one ticket, replacing an earlier import of the same
    /// (source, external id); an identical re-import changes nothing. Redaction uses the
    /// ticket's own customer and contact names (and customer message authors) as names.
    public func upsert(_ t: TicketInput, in db: Database) throws -> Upsert {
        let redactor = Redactor(names: t.knownNames + t.messages.compactMap { $0.role == "customer" ? $0.author : nil })
        let subject = t.subject.map(redactor.redact)
        let texts = t.messages.map { redactor.redact($0.text) }
        let resolution = t.resolution.map { r in
            (summary: r.summary.map(redactor.redact), cause: r.cause.map(redactor.redact), steps: r.steps.map(redactor.redact), article: r.article)
        }
        let tags = JSONText.array(t.tags)
        let created = TimestampParser.iso(t.createdAt), firstResponse = TimestampParser.iso(t.firstResponseAt)
        let resolved = TimestampParser.iso(t.resolvedAt), closed = TimestampParser.iso(t.closedAt)
        let messageTimes = t.messages.map { TimestampParser.iso($0.at) }

        // Fingerprint of everything stored, to skip unchanged tickets on re-import.
        var fingerprint = Fingerprint()
        for field in [t.status, subject, t.priority, t.channel, t.category, tags, created, firstResponse, resolved, closed,
                      t.csat.map(String.init), String(t.reopenCount), t.escalated ? "1" : "0", t.resolvedBy] {
            fingerprint.add(field)
        }
        for key in [t.customerKey] + t.customerAliases.map(Optional.some) { fingerprint.add(key) }
        for (k, m) in t.messages.enumerated() {
            fingerprint.add(m.role); fingerprint.add(m.channel); fingerprint.add(messageTimes[k]); fingerprint.add(texts[k])
        }
        if let r = resolution {
            fingerprint.add(r.summary); fingerprint.add(r.cause); fingerprint.add(JSONText.array(r.steps)); fingerprint.add(r.article)
        }
        let hash = fingerprint.hex

        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, content_hash FROM ticket WHERE source = ? AND external_id = ?"),
                                        arguments: [t.source, t.externalID])
        if let existing, (existing["content_hash"] as String) == hash { return .unchanged }

        let customerID = try customer(keys: [t.customerKey].compactMap { $0 } + t.customerAliases, in: db)
        let columns: [DatabaseValueConvertible?] = [
            customerID, subject, t.status, t.priority, t.channel, t.category, tags, created, firstResponse, resolved,
            closed, t.csat, t.reopenCount, t.escalated, t.resolvedBy, hash,
        ]
        let ticketID: Int64
        if let existing {
            ticketID = existing["id"]
            try db.cachedStatement(sql: """
                UPDATE ticket SET customerId = ?, subject = ?, status = ?, priority = ?, channel = ?, category = ?, tags = ?,
                  created_at = ?, first_response_at = ?, resolved_at = ?, closed_at = ?, csat = ?, reopen_count = ?,
                  escalated = ?, resolved_by = ?, content_hash = ? WHERE id = ?
                """).execute(arguments: StatementArguments(columns + [ticketID]))
            for table in ["message", "resolution", "ticket_vector"] {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE ticketId = ?").execute(arguments: [ticketID])
            }
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO ticket(source, external_id, customerId, subject, status, priority, channel, category, tags,
                  created_at, first_response_at, resolved_at, closed_at, csat, reopen_count, escalated, resolved_by, content_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments([t.source, t.externalID] + columns))
            ticketID = db.lastInsertedRowID
        }
        let insertMessage = try db.cachedStatement(sql: "INSERT INTO message(ticketId, seq, role, channel, at, text) VALUES (?, ?, ?, ?, ?, ?)")
        for (seq, m) in t.messages.enumerated() {
            try insertMessage.execute(arguments: [ticketID, seq, m.role, m.channel, messageTimes[seq], texts[seq]])
        }
        if let r = resolution {
            try db.cachedStatement(sql: "INSERT INTO resolution(ticketId, summary, cause, steps, article) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [ticketID, r.summary, r.cause, JSONText.array(r.steps), r.article])
        }
        return existing == nil ? .inserted : .updated
    }

    /// The customer known under any of `keys` (pseudonymised), created when new; every key
    /// becomes an alias of it.
    func customer(keys: [String], in db: Database) throws -> Int64? {
        let pseudonyms = keys.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(pseudonym)
        guard let first = pseudonyms.first else { return nil }
        let find = try db.cachedStatement(sql: "SELECT customerId FROM customer_alias WHERE pseudonym = ?")
        var id: Int64?
        for p in pseudonyms { if let found = try Int64.fetchOne(find, arguments: [p]) { id = found; break } }
        if id == nil {
            try db.cachedStatement(sql: "INSERT INTO customer(pseudonym) VALUES (?)").execute(arguments: [first])
            id = db.lastInsertedRowID
        }
        let alias = try db.cachedStatement(sql: "INSERT OR IGNORE INTO customer_alias(pseudonym, customerId) VALUES (?, ?)")
        for p in pseudonyms { try alias.execute(arguments: [p, id]) }
        return id
    }

    /// The stored customer id for a customer key (e-mail, export id) or a stored pseudonym.
    public func customerID(forKey key: String) throws -> Int64? {
        try read { db in
            let find = "SELECT customerId FROM customer_alias WHERE pseudonym = ?"
            if let id = try Int64.fetchOne(db, sql: find, arguments: [pseudonym(key)]) { return id }
            return try Int64.fetchOne(db, sql: find, arguments: [key.lowercased()])
        }
    }
}

/// Field-by-field SHA-256 input with unambiguous separators.
struct Fingerprint {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func add(_ field: String?) {
        if let field { bytes.append(1); bytes.append(contentsOf: field.utf8) } else { bytes.append(2) }
        bytes.append(0x1F)
    }

    var hex: String { SHA256.hex(SHA256.hash(bytes)) }
}

/// Minimal JSON writing for string arrays (tags, steps): JSONEncoder per row is slow.
enum JSONText {
    static func array(_ items: [String]) -> String {
        var out = "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
        }
        return out + "]"
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}
