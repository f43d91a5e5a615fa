import KBSupport

/// A planted set for measuring the redactor (`kb eval redaction`): sentences written for the
/// project, each holding one value of a kind issue 16 found left unredacted (and the kinds
/// before it), generated from a seed; and ordinary support text that must come out unchanged.
/// Recall is the share of planted values no longer present after redaction.
public enum RedactionEval {
    public struct Result: Sendable, CustomStringConvertible {
        /// Per kind: (removed, planted).
        public var byKind: [(kind: String, removed: Int, planted: Int)] = []
        public var ordinaryKept = 0
        public var ordinaryTotal = 0
        /// Planted values left in the output, with their sentence (for the report).
        public var missed: [String] = []

        public var recall: Double {
            let planted = byKind.reduce(0) { $0 + $1.planted }
            return planted == 0 ? 1 : Double(byKind.reduce(0) { $0 + $1.removed }) / Double(planted)
        }

        public var description: String {
            var lines = byKind.map { "  \($0.kind): \($0.removed)/\($0.planted)" }
            lines.insert(
                String(
                    format: "redaction recall %.4f on %d planted values; ordinary text kept %d/%d",
                    recall, byKind.reduce(0) { $0 + $1.planted }, ordinaryKept, ordinaryTotal), at: 0)
            return (lines + missed.prefix(20).map { "  missed: \($0)" }).joined(separator: "\n")
        }
    }

    typealias Seeded = SplitMix

    static let firsts = [
        "Ryan", "Jane", "Priya", "Lukas", "Sofia", "Omar", "Chen", "Maria", "Tomasz", "Amelia", "Kenji", "Fatima",
    ]
    static let lasts = [
        "Smith", "Miller", "Nowak", "Okafor", "Haddad", "Tanaka", "Rossi", "Dubois", "Schmidt", "Fernandes", "García",
        "O'Connor",
    ]
    /// First names not in the gazetteer: found by their context only.
    static let rareFirsts = ["Carmichael", "Thaddeus", "Odalys", "Ignatius", "Marisol", "Evander"]
    static let cities = ["Portland", "Leeds", "Lyon", "Porto", "Kraków", "Osaka"]

    static func luhnCard(_ r: inout Seeded) -> String {
        var d = [4] + (0..<14).map { _ in r.int(10) }
        var sum = 0
        for (i, v) in d.reversed().enumerated() { var x = v; if i % 2 == 0 { x *= 2; if x > 9 { x -= 9 } }; sum += x }
        d.append((10 - sum % 10) % 10)
        return d.map(String.init).joined()
    }

    static func iban(_ r: inout Seeded) -> String {
        let bban = r.digits(18)
        var remainder = 0
        // "DE00" → 1314 00
        for ch in (bban + "131400").unicodeScalars { remainder = (remainder * 10 + Int(ch.value - 48)) % 97 }
        let check = 98 - remainder
        return "DE" + (check < 10 ? "0" : "") + String(check) + bban
    }

    static func grouped(_ s: String, _ size: Int, _ sep: String) -> String {
        var out = "", count = 0
        for ch in s { if count > 0 && count % size == 0 { out += sep }; out.append(ch); count += 1 }
        return out
    }

    static func aws(_ r: inout Seeded) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
        var s = ""
        repeat { s = String((0..<40).map { _ in alphabet[r.int(alphabet.count)] }) } while s.first == "/"
        return s
    }

    /// (kind, planted value(s), sentence) for one draw of each kind.
    static func planted(_ r: inout Seeded) -> [(String, [String], String)] {
        let card = luhnCard(&r), card2 = luhnCard(&r), card3 = luhnCard(&r), ib = iban(&r), ib2 = iban(&r)
        let f = r.pick(firsts), l = r.pick(lasts), rare = r.pick(rareFirsts), l2 = r.pick(lasts), f3 = r.pick(firsts),
            l3 = r.pick(lasts)
        let f4 = r.pick(firsts), l4 = r.pick(lasts)
        let v4 = "198.51.\(r.int(256)).\(r.int(256))", v6 = "2001:db8::\(r.int(9000) + 1)",
            port = String(r.int(60000) + 1)
        let local = "\(r.int(900) + 100)-\(r.digits(4))", ext = String(r.int(900) + 1)
        let zoned = "fe80::" + String(r.int(0xFFFF) + 1, radix: 16)
        let tel = "+1" + String(r.int(800) + 200) + r.digits(7)
        let handle = r.pick(["łukasz", "zoë", "josé", "søren", "jürgen"]) + r.digits(3)
        let key = aws(&r)
        return [
            ("card in parentheses", [card], "Charged twice on my card (\(card)) yesterday."),
            ("card after a label", [card2], "Details: card:\(card2), expiry next year."),
            ("card with dots", [card3], "Number \(grouped(card3, 4, ".")) was declined."),
            ("IBAN in parentheses", [ib], "Refund to (\(grouped(ib, 4, " "))) please."),
            ("IBAN with dashes", [ib2], "IBAN \(grouped(ib2, 4, "-")) is mine."),
            ("IPv4 with prefix", [v4], "Blocked from \(v4)/24 since Monday."),
            ("IPv6 with port", [v6], "Server [\(v6)]:\(port) refuses the sync."),
            ("IPv6 with zone", [zoned], "Link-local \(zoned)%eth0 shows up."),
            ("tel: link", [String(tel.dropFirst(2))], "Call tel:\(tel) after five."),
            ("AWS secret key", [key], "Our aws_secret is \(key) for the bucket."),
            ("local number with extension", [local], "Reach me at \(local) ext. \(ext) any time."),
            ("handle with non-ASCII letters", [handle], "Ping @\(handle) on the forum."),
            ("self-introduction", [f, l], "Hello, my name is \(f) \(l) of \(r.pick(cities)) and the export fails."),
            ("contact label", [rare, l2], "For billing, contact: \(rare) \(l2)"),
            ("signature", [f3, l3], "The sync stopped again.\n\nThanks,\n\(f3) \(l3)"),
            ("name in free text", [f4, l4], "\(f4) \(l4) asked about the duplicate invoice."),
        ]
    }

    /// Support text with product names, versions, error codes and ticket ids: kept as is.
    static let ordinary = [
        "Ledgerly Pro 3.2.1 crashes with ERR_SYNC_409 on ticket T-48213.",
        "Invoice INV-2026-0042 for $49.00 was due 2026-11-20 at 10:30.",
        "Build 20261120 fixed HTTP 502 on the Google Drive connector.",
        "Apple Pay and Stripe Checkout both fail with code E-1042.",
        "Grant Access in Settings, then open Reports and export CSV.",
        "Order #123456 shipped; see KB-2291 and ticket 7781234.",
        "Version v2.14.3 on iOS 17.4 with 3 accounts and 1,250 transactions.",
        "my name is on the invoice but the Xero Sync says otherwise.",
    ]

    public static func run(seed: UInt64 = 16, draws: Int = 100) -> Result {
        var r = Seeded(seed: seed)
        let redactor = Redactor()
        var counts: [String: (Int, Int)] = [:]
        var order: [String] = []
        var result = Result()
        for _ in 0..<draws {
            for (kind, values, sentence) in planted(&r) {
                if counts[kind] == nil { order.append(kind); counts[kind] = (0, 0) }
                let out = redactor.redact(sentence)
                let removed = values.allSatisfy { !out.contains($0) }
                counts[kind, default: (0, 0)].0 += removed ? 1 : 0
                counts[kind, default: (0, 0)].1 += 1
                if !removed { result.missed.append("\(kind): \(out)") }
            }
        }
        result.byKind = order.map { ($0, counts[$0]?.0 ?? 0, counts[$0]?.1 ?? 0) }
        for text in ordinary {
            result.ordinaryTotal += 1
            if redactor.redact(text) == text {
                result.ordinaryKept += 1
            } else {
                result.missed.append("ordinary changed: \(redactor.redact(text))")
            }
        }
        return result
    }
}
