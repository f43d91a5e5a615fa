import Foundation
import KBEmbedding

/// Two tickets of one customer, opened on different channels within the window, that
/// describe the same problem: a suggestion for a reviewer, never linked silently.
public struct LinkSuggestion: Sendable, Codable, Equatable {
    /// The customer's pseudonym.
    public var customer: String?
    public var first: TicketSummary
    public var second: TicketSummary
    /// Cosine similarity of the two problem texts.
    public var similarity: Double
    /// Days between the two tickets' creation.
    public var daysApart: Double
}

/// Finds ``LinkSuggestion``s: for each customer with tickets on two or more channels,
/// pairs of tickets on different channels created within `windowDays` of each other whose
/// problem texts are at least `minSimilarity` alike. Pairs already approved or rejected
/// are not suggested again.
public struct TicketLinker: Sendable {
    public let recall: TicketRecall
    public var windowDays = 14.0
    public var minSimilarity = 0.6

    public init(store: TicketStore, embedder: any TextEmbedder) {
        recall = TicketRecall(store: store, embedder: embedder)
    }

    /// Suggestions, most similar first; `customer` limits them to one customer (e-mail or
    /// export id, or stored pseudonym).
    public func suggestions(customer: String? = nil) throws -> [LinkSuggestion] {
        let store = recall.store
        var customerID: Int64?
        if let customer {
            guard let id = try store.customerID(forKey: customer) else { throw TicketRecallError.unknownCustomer(customer) }
            customerID = id
        }
        let tickets = try store.multiChannelCustomerTickets(customerID: customerID)
        let decided = try store.decidedLinkPairs()
        let byCustomer = Dictionary(grouping: tickets) { $0.customer ?? "" }
        // Only tickets that have a partner on another channel within the window get embedded.
        var pairs: [(TicketSummary, TicketSummary, Double)] = []
        for (_, list) in byCustomer {
            let dated = list.compactMap { t in t.createdAt.flatMap(TimestampParser.parse).map { (t, $0) } }
            for i in dated.indices {
                for j in dated.indices where j > i {
                    let (a, da) = dated[i], (b, db) = dated[j]
                    let days = abs(db.timeIntervalSince(da)) / 86400
                    guard a.channel != b.channel, days <= windowDays, !decided.contains([min(a.id, b.id), max(a.id, b.id)]) else { continue }
                    pairs.append((a, b, days))
                }
            }
        }
        var involved: [Int64: TicketSummary] = [:]
        for (a, b, _) in pairs { involved[a.id] = a; involved[b.id] = b }
        let vectors = try recall.vectors(for: Array(involved.values)).vectors
        var out: [LinkSuggestion] = []
        for (a, b, days) in pairs {
            guard let va = vectors[a.id], let vb = vectors[b.id] else { continue }
            let similarity = Double(TicketRecall.dot(va, vb))
            guard similarity >= minSimilarity else { continue }
            let (first, second) = (a.createdAt ?? "", a.id) <= (b.createdAt ?? "", b.id) ? (a, b) : (b, a)
            out.append(LinkSuggestion(customer: a.customer, first: first, second: second, similarity: similarity, daysApart: days))
        }
        return out.sorted { ($0.similarity, $1.first.id) > ($1.similarity, $0.first.id) }
    }
}
