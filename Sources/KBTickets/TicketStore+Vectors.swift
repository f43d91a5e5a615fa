import Foundation
import GRDB

/// A stored ticket as recall and link suggestions show it (redacted text only).
public struct TicketSummary: Sendable, Codable, Equatable {
    public var id: Int64
    /// `source:external_id`.
    public var reference: String
    /// The customer's pseudonym, if known.
    public var customer: String?
    public var subject: String?
    /// First customer message.
    public var question: String?
    public var status: String
    public var channel: String?
    public var category: String?
    public var createdAt: String?
    public var resolvedAt: String?
    public var resolution: Resolution?
    /// The last agent or bot reply, for tickets without a written resolution (e.g. threads).
    public var lastReply: String?

    public struct Resolution: Sendable, Codable, Equatable {
        public var summary: String?
        public var cause: String?
        public var steps: [String]
        public var article: String?
    }

    /// What is embedded: subject and first customer message (the subject alone when it
    /// opens the message, as in threads).
    public var problemText: String {
        let s = subject ?? "", q = question ?? ""
        if s.isEmpty || q.hasPrefix(s) { return q.isEmpty ? s : q }
        return q.isEmpty ? s : s + "\n" + q
    }
}

/// Which tickets a query covers.
public struct TicketFilter: Sendable {
    /// Only resolved and closed tickets.
    public var resolvedOnly = false
    /// Only this customer's tickets (stored customer id).
    public var customerID: Int64?
    /// Only these tickets.
    public var ids: [Int64]?

    public init(resolvedOnly: Bool = false, customerID: Int64? = nil, ids: [Int64]? = nil) {
        self.resolvedOnly = resolvedOnly; self.customerID = customerID; self.ids = ids
    }
}

extension TicketStore {
    /// Tickets matching `filter`, oldest first, with first customer message, resolution and
    /// last reply.
    public func tickets(_ filter: TicketFilter) throws -> [TicketSummary] {
        var conditions: [String] = [], arguments: [DatabaseValueConvertible] = []
        if filter.resolvedOnly { conditions.append("t.status IN ('resolved', 'closed')") }
        if let c = filter.customerID { conditions.append("t.customerId = ?"); arguments.append(c) }
        if let ids = filter.ids {
            guard !ids.isEmpty else { return [] }
            conditions.append("t.id IN (\(ids.map { String($0) }.joined(separator: ",")))")
        }
        let sql = """
            SELECT t.id, t.source, t.external_id, c.pseudonym, t.subject, t.status, t.channel, t.category, t.created_at, t.resolved_at,
              (SELECT m.text FROM message m WHERE m.ticketId = t.id AND m.role = 'customer' ORDER BY m.seq LIMIT 1) AS question,
              (SELECT m.text FROM message m WHERE m.ticketId = t.id AND m.role IN ('agent', 'bot') ORDER BY m.seq DESC LIMIT 1) AS reply,
              r.ticketId AS has_resolution, r.summary, r.cause, r.steps, r.article
            FROM ticket t LEFT JOIN customer c ON c.id = t.customerId LEFT JOIN resolution r ON r.ticketId = t.id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY t.created_at, t.id
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                let resolution: TicketSummary.Resolution? = (row["has_resolution"] as Int64?) == nil ? nil : .init(
                    summary: row["summary"], cause: row["cause"], steps: JSONText.decodeArray(row["steps"]), article: row["article"])
                return TicketSummary(id: row["id"], reference: "\(row["source"] as String):\(row["external_id"] as String)",
                                     customer: row["pseudonym"], subject: row["subject"], question: row["question"],
                                     status: row["status"], channel: row["channel"], category: row["category"],
                                     createdAt: row["created_at"], resolvedAt: row["resolved_at"], resolution: resolution,
                                     lastReply: row["reply"])
            }
        }
    }

    /// The ticket id for `source:external_id`, or an external id unique across sources.
    public func ticketID(reference: String) throws -> Int64? {
        try read { db in
            if let colon = reference.firstIndex(of: ":") {
                let source = String(reference[..<colon]), id = String(reference[reference.index(after: colon)...])
                if let found = try Int64.fetchOne(db, sql: "SELECT id FROM ticket WHERE source = ? AND external_id = ?", arguments: [source, id]) {
                    return found
                }
            }
            let matches = try Int64.fetchAll(db, sql: "SELECT id FROM ticket WHERE external_id = ? LIMIT 2", arguments: [reference])
            return matches.count == 1 ? matches[0] : nil
        }
    }

    /// Stored vectors of `model` for the given (ticket, text hash) pairs.
    func vectors(model: String, for wanted: [(id: Int64, textHash: String)]) throws -> [Int64: [Float]] {
        try read { db in
            var out: [Int64: [Float]] = [:]
            let statement = try db.cachedStatement(sql: "SELECT vector FROM ticket_vector WHERE ticketId = ? AND model_hash = ? AND text_hash = ?")
            for w in wanted {
                if let blob = try Data.fetchOne(statement, arguments: [w.id, model, w.textHash]) { out[w.id] = VectorBlob.decode(blob) }
            }
            return out
        }
    }

    /// Saves vectors (replacing older ones of the same ticket and model).
    func saveVectors(model: String, _ items: [(id: Int64, textHash: String, vector: [Float])]) throws {
        try write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM ticket_vector WHERE ticketId = ? AND model_hash = ?")
            let insert = try db.cachedStatement(sql: "INSERT INTO ticket_vector(ticketId, model_hash, text_hash, vector) VALUES (?, ?, ?, ?)")
            for item in items {
                try delete.execute(arguments: [item.id, model])
                try insert.execute(arguments: [item.id, model, item.textHash, VectorBlob.encode(item.vector)])
            }
        }
    }
}

/// Vectors as little-endian Float32 blobs.
enum VectorBlob {
    static func encode(_ v: [Float]) -> Data {
        var data = Data(capacity: v.count * 4)
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        return (0..<bytes.count / 4).map { i in
            Float(bitPattern: UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24)
        }
    }
}
