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
    /// Other keys of the same customer (its export id when `customerKey` is the e-mail):
    /// each is kept as a further keyed hash, so `--customer` finds the customer by any.
    public var customerAliases: [String] = []
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
    static let priorities: Set<String> = ["low", "normal", "high", "urgent"]
    static let channels: Set<String> = ["email", "chat", "phone", "web", "social", "api"]
    static let resolvers: Set<String> = ["agent", "bot", "self_service"]

    static func key(_ raw: String) -> String {
        raw.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    static func priority(_ raw: String) -> String? {
        let s = key(raw)
        if priorities.contains(s) { return s }
        switch s {
        case "medium", "normal_priority": return "normal"
        case "critical", "urgent_priority", "highest": return "urgent"
        case "lowest", "minor": return "low"
        default: return nil
        }
    }

    static func channel(_ raw: String) -> String? {
        let s = key(raw)
        if channels.contains(s) { return s }
        switch s {
        case "e_mail", "mail": return "email"
        case "social_media", "twitter", "facebook", "instagram": return "social"
        case "live_chat", "messenger", "whatsapp": return "chat"
        case "voice", "call": return "phone"
        case "web_form", "form", "portal", "help_center": return "web"
        default: return nil
        }
    }

    static func role(_ raw: String) -> String? {
        let s = key(raw)
        if roles.contains(s) { return s }
        switch s {
        case "end_user", "requester", "user", "client": return "customer"
        case "support", "staff", "operator": return "agent"
        case "ai", "assistant", "chatbot", "automation": return "bot"
        case "note", "private_note", "internal": return "internal_note"
        default: return nil
        }
    }

    static func resolver(_ raw: String) -> String? {
        let s = key(raw)
        if resolvers.contains(s) { return s }
        switch s {
        case "ai", "chatbot", "assistant", "automation": return "bot"
        case "human", "support": return "agent"
        case "self", "self_serve", "customer": return "self_service"
        default: return nil
        }
    }

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

