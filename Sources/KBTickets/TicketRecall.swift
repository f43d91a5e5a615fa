import Foundation
import GRDB
import KBEmbedding

/// A ticket as similar-ticket recall and link suggestions see it (redacted text only).
public struct RecallTicket: Sendable, Hashable {
    public var id: Int64
    /// `source:external_id`.
    public var reference: String
    /// The customer's keyed pseudonym (nil when the export names nobody).
    public var customer: String?
    public var channel: String?
    public var status: String
    public var createdAt: String?
    public var subject: String
    /// First customer message.
    public var question: String
    public var resolution: String?
    public var steps: [String]

    /// What the embedding sees: subject and first customer message.
    public var problemText: String { subject.isEmpty ? question : subject + "\n" + question }
    public var resolved: Bool { status == "resolved" || status == "closed" }
}

extension TicketStore {
    /// Every ticket with its first customer message and resolution, in id order.
    public func recallTickets() throws -> [RecallTicket] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.source, t.external_id, c.pseudonym, t.channel, t.status, t.created_at, coalesce(t.subject, '') AS subject,
                           (SELECT m.text FROM message m WHERE m.ticketId = t.id AND m.role = 'customer' ORDER BY m.seq LIMIT 1) AS question,
                           r.summary, r.steps
                    FROM ticket t LEFT JOIN customer c ON c.id = t.customerId LEFT JOIN resolution r ON r.ticketId = t.id
                    ORDER BY t.id
                    """
            ).map { row in
                RecallTicket(
                    id: row["id"], reference: "\(row["source"] as String):\(row["external_id"] as String)",
                    customer: row["pseudonym"], channel: row["channel"], status: row["status"],
                    createdAt: row["created_at"],
                    subject: row["subject"], question: row["question"] ?? "", resolution: row["summary"],
                    steps: try JSONText.list(row["steps"]))
            }
        }
    }
}

/// Similar-ticket recall and cross-channel link suggestions over the ticket store, by
/// meaning: tickets are embedded on subject + first customer message (vectors come from
/// the caller, so a cache can supply them).
public struct TicketRecall: Sendable {
    public let tickets: [RecallTicket]
    let vectors: [[Float]]

    public init(tickets: [RecallTicket], vectors: [[Float]]) {
        precondition(tickets.count == vectors.count, "one vector per ticket")
        self.tickets = tickets
        self.vectors = vectors
    }

    public struct Match: Sendable {
        public var ticket: RecallTicket
        public var similarity: Double
    }

    /// Resolved tickets most similar to `vector` (optionally one customer's, a pseudonym or
    /// the raw e-mail/id hashed by the caller), best first, leaving out `excluding`.
    public func similar(to vector: [Float], customer: String? = nil, top: Int = 5, excluding: Int64? = nil) -> [Match] {
        var matches: [Match] = []
        for (t, v) in zip(tickets, vectors)
        where t.resolved && t.id != excluding && (customer == nil || t.customer == customer) {
            matches.append(Match(ticket: t, similarity: Double(zip(vector, v).reduce(Float(0)) { $0 + $1.0 * $1.1 })))
        }
        matches.sort { ($0.similarity, $1.ticket.id) > ($1.similarity, $0.ticket.id) }
        return Array(matches.prefix(top))
    }

    /// Similarity from which a recalled ticket counts as the same problem, measured on this
    /// store: two standard deviations above the mean cosine of random pairs of its resolved
    /// tickets (the background rule the gap topics use), from an evenly spaced sample of at most
    /// 600 of them. Nil with fewer than 3 resolved tickets.
    public func confidenceThreshold() -> Double? {
        let resolved = tickets.indices.filter { tickets[$0].resolved }
        guard resolved.count >= 3 else { return nil }
        let step = max(1, resolved.count / 600)
        let sample = stride(from: 0, to: resolved.count, by: step).map { vectors[resolved[$0]] }
        var sum = 0.0, squares = 0.0, n = 0.0
        for i in sample.indices {
            for j in sample.indices where j > i {
                let c = Double(zip(sample[i], sample[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 })
                sum += c; squares += c * c; n += 1
            }
        }
        let mean = sum / n
        return mean + 2 * (max(0, squares / n - mean * mean)).squareRoot()
    }

    /// The stored vector of a ticket, by reference (`source:external_id`) or external id.
    public func vector(of reference: String) -> (RecallTicket, [Float])? {
        guard
            let i = tickets.firstIndex(where: { $0.reference == reference || $0.reference.hasSuffix(":" + reference) })
        else { return nil }
        return (tickets[i], vectors[i])
    }

    public struct LinkSuggestion: Sendable {
        public var first: RecallTicket
        public var second: RecallTicket
        public var similarity: Double
        public var days: Double
    }

    /// Pairs of one customer's tickets on different channels, opened within `days` of each
    /// other, whose problems mean the same (cosine ≥ `similarity`; 0.7 by default): suggestions to approve,
    /// never links made silently.
    public func linkSuggestions(similarity threshold: Double = 0.7, days: Double = 14) -> [LinkSuggestion] {
        var byCustomer: [String: [Int]] = [:]
        for (i, t) in tickets.enumerated() { if let c = t.customer { byCustomer[c, default: []].append(i) } }
        var out: [LinkSuggestion] = []
        for indices in byCustomer.values where indices.count > 1 {
            for (x, i) in indices.enumerated() {
                for j in indices[(x + 1)...] {
                    let a = tickets[i], b = tickets[j]
                    guard let ca = a.channel, let cb = b.channel, ca != cb,
                        let ta = a.createdAt.flatMap(TimestampParser.parse),
                        let tb = b.createdAt.flatMap(TimestampParser.parse)
                    else { continue }
                    let gap = abs(ta.timeIntervalSince(tb)) / 86400
                    guard gap <= days else { continue }
                    let s = Double(zip(vectors[i], vectors[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 })
                    if s >= threshold { out.append(LinkSuggestion(first: a, second: b, similarity: s, days: gap)) }
                }
            }
        }
        return out.sorted { ($0.similarity, $1.first.id) > ($1.similarity, $0.first.id) }
    }
}
