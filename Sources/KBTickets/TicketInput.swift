import Foundation

/// A ticket as read from any export, before redaction. Importers produce these; the
/// store redacts and writes them.
public struct TicketInput: Sendable {
    public struct Message: Sendable {
        public var role: String          // customer | agent | bot | internal_note
        public var channel: String?
        public var at: Date?
        public var author: String?
        public var text: String
    }

    public struct Resolution: Sendable {
        public var summary: String?
        public var cause: String?
        public var steps: [String]
        public var article: String?
    }

    public var source: String
    public var externalID: String
    /// E-mail or export id of the customer: the pseudonym is a keyed hash of it.
    public var customerKey: String?
    /// Names known to belong to this ticket (customer, contacts): removed from all text.
    public var knownNames: [String] = []
    public var subject: String?
    public var status: String
    public var priority: String?
    public var channel: String?
    public var category: String?
    public var tags: [String] = []
    public var createdAt: Date?
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var closedAt: Date?
    public var csat: Int?
    public var reopenCount = 0
    public var escalated = false
    public var resolvedBy: String?
    public var messages: [Message] = []
    public var resolution: Resolution?
}

/// One rejected or repaired input row, always `file:row: what`.
public struct RowProblem: Error, Sendable, CustomStringConvertible, Codable {
    public var file: String
    public var row: Int
    public var message: String
    /// `true` when the row was skipped; `false` when a field was nulled and the row kept.
    public var skipped: Bool

    public var description: String { "\(file):\(row): \(message)\(skipped ? " (row skipped)" : "")" }
}

/// Problems with a whole import file.
public enum TicketImportError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String)
    case badMapping(path: String, reason: String)
    case missingColumns(path: String, columns: [String])

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read file"
        case .badMapping(let path, let reason): "\(path): bad column mapping: \(reason)"
        case .missingColumns(let path, let columns): "\(path):1: missing columns \(columns.joined(separator: ", "))"
        }
    }
}

/// Vocabulary every importer maps to.
enum TicketVocabulary {
    static let statuses: Set<String> = ["new", "open", "pending", "on_hold", "resolved", "closed"]
    static let roles: Set<String> = ["customer", "agent", "bot", "internal_note"]

    static func status(_ raw: String) -> String? {
        let s = raw.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
        if statuses.contains(s) { return s }
        switch s {
        case "solved", "done", "completed": return "resolved"
        case "pending_customer_response", "waiting", "waiting_on_customer": return "pending"
        case "in_progress", "assigned", "active": return "open"
        case "hold": return "on_hold"
        default: return nil
        }
    }
}

/// Timestamps as exports write them: ISO 8601 (with zone or `Z`), `YYYY-MM-DD H:MM[:SS]`,
/// dates only, and Twitter's `Tue Oct 31 22:10:47 +0000 2017`. All read as UTC unless a
/// zone is given.
public enum TimestampParser {
    public static func parse(_ raw: String) -> Date? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        if let d = try? Date(s, strategy: .iso8601) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss",
                       "yyyy-MM-dd", "EEE MMM dd HH:mm:ss Z yyyy", "MM/dd/yyyy HH:mm", "MM/dd/yyyy"] {
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return nil
    }

    public static func iso(_ d: Date?) -> String? {
        d.map { ISO8601DateFormatter().string(from: $0) }
    }
}
