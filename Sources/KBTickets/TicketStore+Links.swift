import Foundation
import GRDB

/// A reviewed link suggestion.
public struct TicketLinkDecision: Sendable, Codable, Equatable {
    public var first: String
    public var second: String
    public var approved: Bool
    public var similarity: Double?
    public var decidedAt: String
}

extension TicketStore {
    /// Customers with tickets on at least two channels: their tickets with a channel and a
    /// creation time, oldest first.
    public func multiChannelCustomerTickets(customerID: Int64? = nil) throws -> [TicketSummary] {
        let ids = try read { db in
            try Int64.fetchAll(db, sql: """
                SELECT t.id FROM ticket t
                WHERE t.channel IS NOT NULL AND t.created_at IS NOT NULL AND t.customerId IN (
                  SELECT customerId FROM ticket WHERE customerId IS NOT NULL AND channel IS NOT NULL
                  \(customerID == nil ? "" : "AND customerId = \(customerID!)")
                  GROUP BY customerId HAVING count(DISTINCT channel) >= 2)
                """)
        }
        return try tickets(TicketFilter(ids: ids))
    }

    /// Pairs already approved or rejected (ticket ids, smaller first).
    public func decidedLinkPairs() throws -> Set<[Int64]> {
        try read { db in
            Set(try Row.fetchAll(db, sql: "SELECT ticketA, ticketB FROM ticket_link").map { [$0["ticketA"], $0["ticketB"]] as [Int64] })
        }
    }

    /// Records a reviewer's decision on linking two tickets (`source:id` references).
    public func decideLink(_ a: String, _ b: String, approved: Bool, similarity: Double? = nil, at date: Date = Date()) throws {
        guard let x = try ticketID(reference: a) else { throw TicketRecallError.unknownTicket(a) }
        guard let y = try ticketID(reference: b) else { throw TicketRecallError.unknownTicket(b) }
        guard x != y else { throw TicketRecallError.unknownTicket("\(a) (a ticket cannot be linked to itself)") }
        try write { db in
            try db.execute(sql: """
                INSERT INTO ticket_link(ticketA, ticketB, status, similarity, decided_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(ticketA, ticketB) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at
                """, arguments: [min(x, y), max(x, y), approved ? "approved" : "rejected", similarity, TimestampParser.iso(date)])
        }
    }

    /// Every decision, newest first.
    public func linkDecisions() throws -> [TicketLinkDecision] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.source || ':' || a.external_id AS first, b.source || ':' || b.external_id AS second, l.status, l.similarity, l.decided_at
                FROM ticket_link l JOIN ticket a ON a.id = l.ticketA JOIN ticket b ON b.id = l.ticketB
                ORDER BY l.decided_at DESC, first
                """).map {
                TicketLinkDecision(first: $0["first"], second: $0["second"], approved: ($0["status"] as String) == "approved",
                                   similarity: $0["similarity"], decidedAt: $0["decided_at"])
            }
        }
    }
}
