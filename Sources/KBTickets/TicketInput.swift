import Foundation

/// A ticket as read from any export, before redaction. Importers produce these; the
/// store redacts and writes them.
public struct TicketInput: Sendable {
    public struct Message: Sendable {
        public var role: String  // customer | agent | bot | internal_note
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
    /// The field left empty, where the reader names it (the JSONL format's timestamps:
    /// `created_at`, …, `messages.at`).
    public var field: String? = nil

    public var description: String { "\(file):\(row): \(message)\(skipped ? " (row skipped)" : "")" }
}

/// Problems with a whole import file.
public enum TicketImportError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String)
    case unwritable(path: String)
    case badMapping(path: String, reason: String, line: Int = 0)
    case missingColumns(path: String, columns: [String])

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read file"
        case .unwritable(let path): "\(path): cannot write file"
        case .badMapping(let path, let reason, let line):
            "\(path)\(line > 0 ? ":\(line)" : ""): bad column mapping: \(reason)"
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

    /// `In Progress` → `in_progress`: how a value outside the vocabulary is stored.
    static func normalized(_ raw: String) -> String {
        raw.lowercased().trimmingSpaces.replacingOccurrences(of: " ", with: "_")
    }

    /// The status in our vocabulary; one outside it is stored as given (normalised) and
    /// reported through `note`, never dropped.
    static func status(_ raw: String, note: (String) -> Void) -> String {
        if let s = status(raw) { return s }
        note("unknown status '\(raw.prefix(40))'; stored as given (map it with a --mapping 'values' table)")
        return normalized(raw)
    }

    /// Priority or channel: lower-cased; outside the vocabulary it is kept and reported.
    static func checked(_ raw: String?, field: String, in vocabulary: Set<String>, note: (String) -> Void) -> String? {
        guard let raw else { return nil }
        let v = raw.lowercased()
        if !vocabulary.contains(v) {
            note(
                "unknown \(field) '\(raw.prefix(40))'; stored as given (known: \(vocabulary.sorted().joined(separator: ", ")))"
            )
        }
        return v
    }

    static func status(_ raw: String) -> String? {
        if statuses.contains(raw) { return raw }
        let s = raw.lowercased().trimmingSpaces.replacingOccurrences(of: " ", with: "_")
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

/// Timestamps as exports write them: ISO 8601 (`2026-10-01T09:12:00Z`, with an offset, with
/// fractions, or a space instead of `T`), `YYYY-MM-DD H:MM[:SS]`, dates only, and Twitter's
/// `Tue Oct 31 22:10:47 +0000 2017`. Times without a zone are UTC. Parsed by hand: date
/// formatters are far too slow to create per row.
public enum TimestampParser {
    public static func parse(_ raw: String) -> Date? {
        let s = Array(raw.trimmingSpaces.utf8)
        guard s.count >= 8 else { return nil }
        if let d = iso(s) { return d }
        return twitter(s)
    }

    private static func number(_ s: [UInt8], _ i: inout Int, maxDigits: Int) -> Int? {
        var n = 0, count = 0
        while i < s.count, count < maxDigits, s[i] >= 48, s[i] <= 57 { n = n * 10 + Int(s[i] - 48); i += 1; count += 1 }
        return count == 0 ? nil : n
    }

    private static func iso(_ s: [UInt8]) -> Date? {
        var i = 0
        guard let y = number(s, &i, maxDigits: 4), i == 4, i < s.count, s[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let mo = number(s, &i, maxDigits: 2), i < s.count, s[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let d = number(s, &i, maxDigits: 2) else { return nil }
        var h = 0, mi = 0, sec = 0, offset = 0
        if i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: " ") {
            i += 1
            guard let hh = number(s, &i, maxDigits: 2), i < s.count, s[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let mm = number(s, &i, maxDigits: 2) else { return nil }
            h = hh; mi = mm
            if i < s.count, s[i] == UInt8(ascii: ":") {
                i += 1
                guard let ss = number(s, &i, maxDigits: 2) else { return nil }
                sec = ss
                if i < s.count, s[i] == UInt8(ascii: ".") { i += 1; _ = number(s, &i, maxDigits: 9) }
            }
            if i < s.count {
                if s[i] == UInt8(ascii: "Z") {
                    i += 1
                } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                    let sign = s[i] == UInt8(ascii: "+") ? 1 : -1
                    i += 1
                    guard let oh = number(s, &i, maxDigits: 2) else { return nil }
                    if i < s.count, s[i] == UInt8(ascii: ":") { i += 1 }
                    let om = number(s, &i, maxDigits: 2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == s.count else { return nil }
        return utc(y, mo, d, h, mi, sec, offset: offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Tue Oct 31 22:10:47 +0000 2017`.
    private static func twitter(_ s: [UInt8]) -> Date? {
        let parts = String(decoding: s, as: UTF8.self).split(separator: " ")
        guard parts.count == 6, let mo = months.firstIndex(of: parts[1].lowercased()), let d = Int(parts[2]),
            let y = Int(parts[5])
        else { return nil }
        let t = parts[3].split(separator: ":").compactMap { Int($0) }
        guard t.count == 3 else { return nil }
        let z = parts[4]
        guard z.count == 5, let zh = Int(z.dropFirst().prefix(2)), let zm = Int(z.suffix(2)) else { return nil }
        return utc(y, mo + 1, d, t[0], t[1], t[2], offset: (z.hasPrefix("-") ? -1 : 1) * (zh * 3600 + zm * 60))
    }

    private static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, offset: Int) -> Date? {
        guard (1...9999).contains(y), (1...12).contains(mo), (1...31).contains(d), (0..<24).contains(h),
            (0..<60).contains(mi),
            (0..<61).contains(s), abs(offset) < 86_400
        else { return nil }
        var tm = tm()
        tm.tm_year = Int32(y - 1900); tm.tm_mon = Int32(mo - 1); tm.tm_mday = Int32(d)
        tm.tm_hour = Int32(h); tm.tm_min = Int32(mi); tm.tm_sec = Int32(s)
        let t = timegm(&tm)
        // timegm normalises 31 February into March: reject dates that do not exist.
        var back = tm
        var copy = t
        gmtime_r(&copy, &back)
        guard back.tm_mday == Int32(d), back.tm_mon == Int32(mo - 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(t - offset))
    }

    /// `2026-10-01T09:12:00Z`.
    public static func iso(_ d: Date?) -> String? {
        // Years 0001–9999 only: anything else is not a timestamp (and would trap converting).
        guard let d, d.timeIntervalSince1970.isFinite,
            (-62_135_596_800.0..<253_402_300_800.0).contains(d.timeIntervalSince1970)
        else { return nil }
        var t = time_t(d.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        // Written digit by digit: `String(format:)` was 5 % of an import.
        var out = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int32, at i: Int, digits: Int) {
            var v = Int(value)
            for k in stride(from: i + digits - 1, through: i, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(tm.tm_year + 1900, at: 0, digits: 4); out[4] = 0x2D
        put(tm.tm_mon + 1, at: 5, digits: 2); out[7] = 0x2D
        put(tm.tm_mday, at: 8, digits: 2); out[10] = 0x54
        put(tm.tm_hour, at: 11, digits: 2); out[13] = 0x3A
        put(tm.tm_min, at: 14, digits: 2); out[16] = 0x3A
        put(tm.tm_sec, at: 17, digits: 2); out[19] = 0x5A
        return String(decoding: out, as: UTF8.self)
    }
}
