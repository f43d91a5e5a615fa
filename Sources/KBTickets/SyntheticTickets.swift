import Foundation

/// Writes a deterministic ticket export in the project's JSONL format, of any size, for
/// `kb bench tickets`: tickets of 2–8 messages (customer, agent, bot, internal notes) with
/// personal data planted in about one message in three (names, e-mails, phones, cards,
/// IBANs, IPs, URLs with tokens, API keys, handles) among ordinary text (versions, error
/// codes, prices, dates). Streams to the file; never holds it in memory.
public struct SyntheticTickets: Sendable {
    public var seed: UInt64 = 42

    public init(seed: UInt64 = 42) { self.seed = seed }

    /// What was written.
    public struct Written: Sendable { public var tickets = 0, messages = 0, bytes = 0 }

    /// Writes tickets to `path` until `messages` messages are written.
    @discardableResult
    public func write(messages target: Int, to path: String) throws -> Written {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw TicketImportError.unreadable(path: path)
        }
        defer { try? out.close() }
        var rng = SplitMix64(seed: seed)
        var written = Written()
        var buffer = ""
        buffer.reserveCapacity(1 << 21)
        let start = 1_785_000_000   // 2026-07-25
        while written.messages < target {
            let n = min(target - written.messages, 2 + Int(rng.next() % 7))
            buffer += ticket(number: written.tickets, messages: n, start: start, rng: &rng)
            buffer += "\n"
            written.tickets += 1
            written.messages += n
            if buffer.utf8.count > 1 << 20 {
                written.bytes += buffer.utf8.count
                out.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        written.bytes += buffer.utf8.count
        out.write(Data(buffer.utf8))
        return written
    }

    static let first = ["Ana", "Luis", "Chloe", "Omar", "Mei", "Tom", "Priya", "Jonas", "Fatima", "Kenji", "Sara", "Diego"]
    static let last = ["Souza", "Kaur", "Nguyen", "Schmidt", "Okafor", "Rossi", "Haddad", "Larsen", "Tanaka", "Moreau"]
    static let problems = [
        ("Card payment declined", "Payments", "my card keeps getting declined at checkout with ERR_PAY_402"),
        ("Bank feed not updating", "Bank feeds", "the bank feed stopped importing transactions since 2026-10-03"),
        ("Invoice email not received", "Invoices", "my client says invoice INV-2026-0042 never arrived"),
        ("Can't log in - 2FA", "Account & security", "two-factor codes are rejected after I switched phones"),
        ("Refund request", "Payments", "I was charged $49.00 twice for the same plan"),
        ("API returns 429", "Integrations", "our sync gets HTTP 429 Too Many Requests after 100 calls on v2.14.3"),
        ("Export to CSV broken", "Getting started", "the CSV export downloads an empty file in Firefox 128"),
        ("Wrong VAT on invoice", "Invoices", "the invoice shows 19% VAT but we are exempt, total €1.190,00"),
    ]
    static let replies = [
        "Thanks for reaching out. Could you confirm the last four digits and the time it happened?",
        "I've checked the logs and found the cause; please try again now and let us know.",
        "This is a known issue in 3.8.1, fixed in 3.8.2. Updating should solve it.",
        "I have escalated this to the payments team; expect an update within 24 hours.",
    ]

    private func pii(_ rng: inout SplitMix64, name: String, email: String) -> String {
        switch rng.next() % 10 {
        case 0: return "You can reach me at \(email) or +44 20 7946 \(String(format: "%04d", Int(rng.next() % 10000)))."
        case 1: return "Call me on (415) 555-\(String(format: "%04d", Int(rng.next() % 10000))) after 5pm."
        case 2: return "The card was 4111 1111 1111 1111, expiry 12/27."
        case 3: return "Please refund to IBAN DE89 3704 0044 0532 0130 00."
        case 4: return "Our server IP is 192.168.\(rng.next() % 255).\(rng.next() % 255), it changed yesterday."
        case 5: return "The reset link https://app.ledgerly.example/reset?token=\(hex(&rng, 20)) did not work."
        case 6: return "We use key sk_live_\(hex(&rng, 24)) in production."
        case 7: return "I also tweeted @ledgerly_help about it. Regards, \(name)"
        case 8: return "Thanks, \(name)"
        default: return "Sent from my iPhone, IP 2001:db8::\(hex(&rng, 4))"
        }
    }

    private func hex(_ rng: inout SplitMix64, _ n: Int) -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String((0..<n).map { _ in digits[Int(rng.next() % 62)] })
    }

    private func ticket(number: Int, messages n: Int, start: Int, rng: inout SplitMix64) -> String {
        let name = Self.first[Int(rng.next() % UInt64(Self.first.count))] + " " + Self.last[Int(rng.next() % UInt64(Self.last.count))]
        let customer = Int(rng.next() % 50_000)
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "\(customer)@example.com"
        let (subject, category, problem) = Self.problems[Int(rng.next() % UInt64(Self.problems.count))]
        let channels = ["email", "chat", "phone", "web", "social"]
        let channel = channels[Int(rng.next() % 5)]
        var at = start + number * 97
        var messages: [String] = []
        for k in 0..<n {
            let role = k == 0 ? "customer" : (k % 2 == 1 ? (rng.next() % 5 == 0 ? "bot" : "agent") : (rng.next() % 6 == 0 ? "internal_note" : "customer"))
            var text: String
            switch role {
            case "customer": text = k == 0 ? "Hi, \(problem). " : "Still happening, see the screenshot. "
            case "internal_note": text = "Checked account; customer on the Pro plan since 2025. "
            default: text = Self.replies[Int(rng.next() % UInt64(Self.replies.count))] + " "
            }
            if role == "customer", rng.next() % 3 == 0 { text += pii(&rng, name: name, email: email) }
            at += 60 + Int(rng.next() % 7200)
            messages.append("{\"role\":\"\(role)\",\"channel\":\"\(channel)\",\"at\":\"\(TimestampParser.iso(Date(timeIntervalSince1970: TimeInterval(at)))!)\",\"author\":\"\(role == "customer" ? name : "Sam (Support)")\",\"text\":\"\(text)\"}")
        }
        let created = TimestampParser.iso(Date(timeIntervalSince1970: TimeInterval(start + number * 97)))!
        let resolved = TimestampParser.iso(Date(timeIntervalSince1970: TimeInterval(at)))!
        return "{\"source\":\"synthetic\",\"id\":\"S-\(number)\",\"customer\":{\"id\":\"C-\(customer)\",\"name\":\"\(name)\",\"email\":\"\(email)\"},"
            + "\"subject\":\"\(subject)\",\"status\":\"resolved\",\"priority\":\"normal\",\"channel\":\"\(channel)\",\"category\":\"\(category)\","
            + "\"tags\":[\"bench\"],\"created_at\":\"\(created)\",\"resolved_at\":\"\(resolved)\",\"csat\":\(1 + rng.next() % 5),"
            + "\"messages\":[\(messages.joined(separator: ","))],\"resolution\":{\"summary\":\"Resolved by support\",\"steps\":[\"Checked\",\"Fixed\"]}}"
    }
}

/// A small, fast, deterministic generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_11E3_3AB0
        return z ^ (z >> 31)
    }
}
