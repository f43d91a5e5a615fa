import Foundation
import KBEmbedding

/// A past ticket recalled for a problem, with its fix.
public struct SimilarTicket: Sendable, Codable, Equatable {
    /// Cosine similarity of the problem texts (−1…1).
    public var score: Double
    public var ticket: TicketSummary
}

/// Problems with a recall or link query.
public enum TicketRecallError: Error, CustomStringConvertible, Sendable {
    case unknownTicket(String)
    case unknownCustomer(String)
    case dimensionMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .unknownTicket(let r): "no ticket '\(r)' in the store (use source:id, or an id unique across sources)"
        case .unknownCustomer(let c): "no customer '\(c)' in the store (give the e-mail or id used in the export, or the stored pseudonym)"
        case .dimensionMismatch(let e, let g): "embedder returned vectors of length \(g), expected \(e)"
        }
    }
}

/// Recalls resolved tickets by meaning: ticket problem texts (subject and first customer
/// message, already redacted) are embedded lazily, on first use, and cached in the store
/// per ticket, model and text hash; a query is redacted the same way and compared by
/// cosine similarity, so a differently worded problem still finds the fix that worked.
public struct TicketRecall: Sendable {
    public let store: TicketStore
    public let embedder: any TextEmbedder
    /// Texts per embedding call (and per saved batch).
    public var batchSize = 128

    public init(store: TicketStore, embedder: any TextEmbedder) {
        self.store = store
        self.embedder = embedder
    }

    /// Vectors for `tickets`, embedding (and storing) the ones missing for this model and
    /// text; returns them with how many had to be embedded.
    public func vectors(for tickets: [TicketSummary]) throws -> (vectors: [Int64: [Float]], embedded: Int) {
        let keyed = tickets.map { (ticket: $0, text: $0.problemText, hash: Self.textHash($0.problemText)) }
        var vectors = try store.vectors(model: embedder.modelHash, for: keyed.map { ($0.ticket.id, $0.hash) })
        let missing = keyed.filter { vectors[$0.ticket.id] == nil }
        var start = 0
        while start < missing.count {
            let batch = Array(missing[start..<min(start + batchSize, missing.count)])
            let embedded = try embedder.embed(batch.map(\.text))
            for v in embedded where v.count != embedder.dimension {
                throw TicketRecallError.dimensionMismatch(expected: embedder.dimension, got: v.count)
            }
            try store.saveVectors(model: embedder.modelHash, zip(batch, embedded).map { ($0.ticket.id, $0.hash, $1) })
            for (item, v) in zip(batch, embedded) { vectors[item.ticket.id] = v }
            start += batchSize
        }
        return (vectors, missing.count)
    }

    /// Embeds every resolved ticket that has no vector yet (`kb tickets import --embed`).
    @discardableResult
    public func embedResolved() throws -> Int {
        try vectors(for: store.tickets(TicketFilter(resolvedOnly: true))).embedded
    }

    /// The `top` resolved tickets closest in meaning to `text`, optionally only the
    /// customer's own (`customer`: e-mail or export id, or stored pseudonym).
    public func similar(to text: String, customer: String? = nil, top: Int = 5) throws -> [SimilarTicket] {
        let query = Redactor().redact(text)
        guard let vector = try embedder.embed([query]).first else { return [] }
        return try rank(vector, customer: customer, top: top, excluding: nil)
    }

    /// The `top` resolved tickets closest in meaning to a stored ticket (`source:id`).
    public func similar(toTicket reference: String, customer: String? = nil, top: Int = 5) throws -> [SimilarTicket] {
        guard let id = try store.ticketID(reference: reference), let ticket = try store.tickets(TicketFilter(ids: [id])).first else {
            throw TicketRecallError.unknownTicket(reference)
        }
        guard let vector = try vectors(for: [ticket]).vectors[id] else { return [] }
        return try rank(vector, customer: customer, top: top, excluding: id)
    }

    private func rank(_ query: [Float], customer: String?, top: Int, excluding: Int64?) throws -> [SimilarTicket] {
        var filter = TicketFilter(resolvedOnly: true)
        if let customer {
            guard let id = try store.customerID(forKey: customer) else { throw TicketRecallError.unknownCustomer(customer) }
            filter.customerID = id
        }
        let candidates = try store.tickets(filter).filter { $0.id != excluding }
        let vectors = try vectors(for: candidates).vectors
        let scored = candidates.compactMap { t in vectors[t.id].map { SimilarTicket(score: Double(Self.dot(query, $0)), ticket: t) } }
        return Array(scored.sorted { ($0.score, $1.ticket.id) > ($1.score, $0.ticket.id) }.prefix(max(0, top)))
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }

    static func textHash(_ text: String) -> String {
        String(SHA256.hex(SHA256.hash(Array(text.utf8))).prefix(32))
    }
}
