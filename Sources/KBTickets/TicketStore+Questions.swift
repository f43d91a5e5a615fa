import Foundation
import GRDB

/// The customer's question of one stored ticket, for `kb gaps` (text already redacted at import).
public struct StoredTicketQuestion: Sendable, Equatable {
    public var externalId: String
    public var subject: String?
    /// The first message whose role is `customer`, if any.
    public var firstCustomerMessage: String?
    /// `created_at` as stored (ISO 8601).
    public var createdAt: String?
    public var csat: Int?
    public var reopenCount: Int
    public var escalated: Bool
    /// The article cited by the resolution, if any.
    public var article: String?
    /// Status resolved or closed.
    public var resolved: Bool = false
}

extension TicketStore {
    /// Every ticket's subject and first customer message, oldest first.
    public func customerQuestions() throws -> [StoredTicketQuestion] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.external_id, t.subject, t.created_at, t.csat, t.reopen_count, t.escalated, r.article,
                           t.status IN ('resolved', 'closed') AS resolved,
                           (SELECT m.text FROM message m WHERE m.ticketId = t.id AND m.role = 'customer'
                            ORDER BY m.seq LIMIT 1) AS first_customer
                    FROM ticket t LEFT JOIN resolution r ON r.ticketId = t.id
                    ORDER BY t.created_at, t.id
                    """
            ).map { row in
                StoredTicketQuestion(
                    externalId: row["external_id"], subject: row["subject"],
                    firstCustomerMessage: row["first_customer"], createdAt: row["created_at"],
                    csat: row["csat"], reopenCount: row["reopen_count"], escalated: row["escalated"],
                    article: row["article"], resolved: row["resolved"])
            }
        }
    }
}
