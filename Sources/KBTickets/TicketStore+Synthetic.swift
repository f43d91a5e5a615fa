import Foundation
import GRDB
import KBSupport

extension TicketStore {
    /// Writes `count` synthetic tickets for benchmarks (`kb bench report`): a deterministic
    /// spread over `days` days before `end`, five channels, four priorities, CSAT on about
    /// 60 %, a few escalations, reopens, bot resolutions, missing first responses (half of
    /// them answered by an agent message instead) and negative durations. No text, no
    /// customer: only what the metrics read. One transaction, one prepared statement.
    public func insertSyntheticTickets(count: Int, days: Int = 120, end: Date, seed: UInt64 = 42) throws {
        var rng = SplitMix(seed: seed)
        let channels = ["email", "chat", "web", "phone", "social"]
        let priorities = ["low", "normal", "normal", "high", "urgent"]
        let categories = ["Billing", "Payments", "Account", "Bank feeds", "Integrations", "Mobile app"]
        try queue.write { db in
            let ticket = try db.makeStatement(
                sql: """
                    INSERT INTO ticket(source, external_id, subject, status, priority, channel, category, created_at,
                                       first_response_at, resolved_at, closed_at, csat, reopen_count, escalated, resolved_by, content_hash)
                    VALUES ('synthetic', ?, '', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, '')
                    """)
            let message = try db.makeStatement(
                sql: "INSERT INTO message(ticketId, seq, role, at, text) VALUES (?, 0, 'agent', ?, '')")
            let start = end.timeIntervalSince1970 - Double(days) * 86400
            for i in 0..<count {
                let created = start + Double(rng.next() % UInt64(days * 86400))
                let response = 60 + Double(rng.next() % 36_000)
                let resolution = response + Double(rng.next() % 400_000)
                let roll = rng.next() % 100
                let resolved = roll < 85
                let noResponse = roll % 20 == 7
                let negative = roll == 99
                let csat: Int? = resolved && rng.next() % 10 < 6 ? Int(1 + rng.next() % 5) : nil
                try ticket.execute(arguments: [
                    "S\(i)", resolved ? (roll % 2 == 0 ? "resolved" : "closed") : "open",
                    priorities[Int(rng.next() % 5)], channels[Int(rng.next() % 5)], categories[Int(rng.next() % 6)],
                    Self.iso(created), noResponse ? nil : Self.iso(created + (negative ? -response : response)),
                    resolved ? Self.iso(created + resolution) : nil, csat, roll % 17 == 3 ? 1 : 0, roll % 11 == 5,
                    resolved ? (roll % 9 == 1 ? "bot" : "agent") : nil,
                ])
                if noResponse && i % 2 == 0 {
                    try message.execute(arguments: [db.lastInsertedRowID, Self.iso(created + response)])
                }
            }
        }
    }

    static func iso(_ seconds: Double) -> String {
        TimestampParser.iso(Date(timeIntervalSince1970: seconds.rounded())) ?? ""
    }
}
