import Foundation
import GRDB

/// A resolved ticket as later stages read it: redacted text only.
public struct ResolvedTicket: Sendable, Hashable {
    public var id: Int64
    /// `source:external_id`, as drafts cite it.
    public var reference: String
    public var subject: String
    /// First customer message.
    public var question: String
    public var category: String?
    public var tags: [String]
    public var priority: String?
    public var escalated: Bool
    public var csat: Int?
    public var createdAt: String?
    public var resolutionSummary: String?
    public var resolutionCause: String?
    public var resolutionSteps: [String]
    public var linkedArticle: String?

    /// What the embedding sees: subject and first customer message.
    public var problemText: String { subject.isEmpty ? question : subject + "\n" + question }
}

extension TicketStore {
    /// Resolved and closed tickets with their first customer message and resolution.
    public func resolvedTickets() throws -> [ResolvedTicket] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.source, t.external_id, coalesce(t.subject, '') AS subject, t.category, t.tags, t.priority,
                           t.escalated, t.csat, t.created_at,
                           (SELECT m.text FROM message m WHERE m.ticketId = t.id AND m.role = 'customer' ORDER BY m.seq LIMIT 1) AS question,
                           r.summary, r.cause, r.steps, r.article
                    FROM ticket t LEFT JOIN resolution r ON r.ticketId = t.id
                    WHERE t.status IN ('resolved', 'closed')
                    ORDER BY t.id
                    """
            ).map { row in
                ResolvedTicket(
                    id: row["id"], reference: "\(row["source"] as String):\(row["external_id"] as String)",
                    subject: row["subject"], question: row["question"] ?? "", category: row["category"],
                    tags: try JSONText.list(row["tags"]),
                    priority: row["priority"], escalated: row["escalated"], csat: row["csat"],
                    createdAt: row["created_at"],
                    resolutionSummary: row["summary"], resolutionCause: row["cause"],
                    resolutionSteps: try JSONText.list(row["steps"]),
                    linkedArticle: row["article"])
            }
        }
    }
}
