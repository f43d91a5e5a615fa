/// A ticket redacted, pseudonymised and fingerprinted: what ``TicketWriter`` stores as is.
/// Nothing in it is raw personal data.
struct PreparedTicket: Sendable {
    struct Message: Sendable {
        var role: String
        var channel: String?
        var at: String?
        var text: String
    }

    struct Resolution: Sendable {
        var summary: String?
        var cause: String?
        /// JSON array text.
        var steps: String
        var article: String?
    }

    var source: String
    var externalID: String
    var status: String
    var pseudonym: String?
    var subject: String?
    var priority: String?
    var channel: String?
    var category: String?
    /// JSON array text.
    var tags = "[]"
    var createdAt: String?
    var firstResponseAt: String?
    var resolvedAt: String?
    var closedAt: String?
    var csat: Int?
    var reopenCount = 0
    var escalated = false
    var resolvedBy: String?
    var messages: [Message] = []
    var resolution: Resolution?
    /// SHA-256 of every stored field: an identical re-import is recognised and skipped.
    var contentHash = ""
}

/// Pseudonyms already computed in one import (an HMAC per ticket was 2 % of it). Bounded:
/// emptied when it reaches `limit` keys.
struct PseudonymCache: Sendable {
    private var values: [String: String] = [:]
    private let limit: Int

    init(limit: Int = 100_000) { self.limit = limit }

    mutating func value(_ key: String, compute: (String) -> String) -> String {
        if let v = values[key] { return v }
        if values.count >= limit { values.removeAll(keepingCapacity: true) }
        let v = compute(key)
        values[key] = v
        return v
    }
}
