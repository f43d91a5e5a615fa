import Foundation
import KBSupport
import KBTickets

/// A seeded generator of hostile inputs (issue 16): malformed articles and ticket rows, plus
/// the reproductions of every crash, hang and bomb the issue found. Each input says whether it
/// must be reported (a diagnostic naming the file, or a problem naming the row).
public struct HostileCorpus {
    public struct ArticleCase: Sendable {
        public var path: String
        public var data: Data
        public var kind: String
        /// A diagnostic naming this file is required.
        public var mustReport: Bool
    }

    public struct TicketRow: Sendable {
        public var line: String
        public var kind: String
        /// A problem naming this row is required.
        public var mustReport: Bool
    }

    var rng: SplitMix

    public init(seed: UInt64) { rng = SplitMix(seed: seed) }

    /// Snippets under `includes/` that the include cases use.
    public static let includeFiles: [(String, String)] = {
        var files = [("includes/ok.md", "Shared text.\n")]
        for level in 0..<7 {
            let body = level == 6 ? "Leaf." : String(repeating: "[!INCLUDE [n](fan\(level + 1).md)]\n\n", count: 10)
            files.append(("includes/fan\(level).md", body))
        }
        files.append(("includes/self.md", "[!INCLUDE [again](self.md)]\n"))
        return files
    }()

    /// The reproductions from the issue, each exactly as reported.
    public static func reproductions() -> [ArticleCase] {
        func text(_ path: String, _ s: String, _ kind: String, report: Bool = true) -> ArticleCase {
            ArticleCase(path: path, data: Data(s.utf8), kind: kind, mustReport: report)
        }
        var bomb = ["---", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
            previous = name
        }
        return [
            text(
                "repro/deep-list.md", "# Deep\n\n" + String(repeating: "- ", count: 15_000) + "x\n", "repro: deep list"),
            text(
                "repro/passwd.md", "# P\n\n[!INCLUDE [x](../../../../../../../etc/passwd)]\n",
                "repro: include traversal"),
            text(
                "repro/dotdot.md", "# P\n\n[!INCLUDE [x](includes/../../x)]\n\n[!INCLUDE [y](./../x)]\n",
                "repro: include traversal"),
            text(
                "repro/bomb.md", (bomb + ["---", "# Bomb", "", "Body."]).joined(separator: "\n"), "repro: alias bomb"),
            text(
                "repro/include-scan.md", "# S\n\n" + String(repeating: "[!INCLUDE [", count: 8_000) + "\n",
                "repro: quadratic include scan", report: false),
            text("repro/fan.md", "# Fan\n\n[!INCLUDE [n](../includes/fan0.md)]\n", "repro: nested include fan-out"),
            text("repro/cycle.md", "# C\n\n[!INCLUDE [n](../includes/self.md)]\n", "repro: include cycle"),
        ]
    }

    // MARK: articles

    static let good = """
        ---
        title: Reconnect a bank feed
        tags: [bank, feeds]
        ---
        # Reconnect a bank feed

        When a feed stops, **reconnect** it from *Settings*.

        1. Open Settings.
        2. Choose Bank feeds.
           - Pick the account.
        3. Select Reconnect.

        > [!NOTE]
        > Feeds refresh every 4 hours.

        | Plan | Feeds |
        | --- | --- |
        | Pro | 10 |

        ```bash
        kb search "feed"
        ```
        """

    static let tokens = [
        "*", "_", "`", "[", "]", "(", ")", "<", ">", "#", "-", "+", "|", "!", ":", "~", "\n", " ", "\"", "\\",
        "[!INCLUDE [", "](", "---\n", "```", "> ", "1. ", "<div>", "&amp;", "[!NOTE]", ":::image", "\t", "    ",
    ]

    /// One malformed article, chosen and shaped by the seed.
    public mutating func article(_ index: Int) -> ArticleCase {
        let path = "fuzz/a\(index).md"
        let n = 50 + rng.int(20_000)
        func text(_ s: String, _ kind: String, report: Bool) -> ArticleCase {
            ArticleCase(path: path, data: Data(s.utf8), kind: kind, mustReport: report)
        }
        switch rng.int(16) {
        case 0:
            return text(
                "# L\n\n" + String(repeating: rng.pick(["- ", "* ", "1. ", "> ", "> - "]), count: n) + "x\n",
                "deep nesting", report: n > 40)
        case 1:
            return text(
                "# E\n\n" + String(repeating: "*a ", count: n) + String(repeating: "a* ", count: n), "emphasis run",
                report: false)
        case 2:
            return text(
                "# B\n\n" + String(repeating: "[", count: n) + "x" + String(repeating: "](u)", count: n), "bracket run",
                report: false)
        case 3:
            let target = rng.pick([
                "../../../../etc/passwd", "/etc/passwd", "includes/../../../x.md", "./../../x",
                "../" + String(repeating: "../", count: rng.int(30)) + "etc/hostname",
            ])
            return text("# I\n\n[!INCLUDE [x](\(target))]\n", "include outside", report: true)
        case 4:
            return text(
                "# R\n\n"
                    + String(repeating: rng.pick(["[!INCLUDE [", "[!include [x](", "[!INCLUDE [x]("]), count: n / 4),
                "include run", report: false)
        case 5:
            let depth = 33 + rng.int(2_000)
            return text(
                "---\ntitle: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                    + "\n---\n# Y\n\nBody.\n", "deep YAML", report: true)
        case 6: return text("---\na: &x [1, 2]\nb: *x\n---\n# Y\n\nBody.\n", "YAML alias", report: true)
        case 7: return text("---\ntitle: [unclosed\n---\n# Y\n\nBody.\n", "invalid YAML", report: true)
        case 8:
            return ArticleCase(
                path: path, data: Data("# Bin\n\nab".utf8) + Data([0, 1, 2]) + Data("cd\n".utf8), kind: "binary",
                mustReport: true)
        case 9:
            return ArticleCase(
                path: path, data: Data("# Caf".utf8) + Data([0xE9, 0xFF, 0x0A]), kind: "invalid UTF-8", mustReport: true
            )
        case 10: return text(rng.pick(["", "   \n\n", "\t\n"]), "empty", report: true)
        case 11:
            return text(
                "# F\n\ntext\n\n```\n" + String(repeating: "code\n", count: n / 10), "unclosed fence", report: true)
        case 12:
            return text(
                "# T\n\n|" + String(repeating: " c |", count: n / 4) + "\n|" + String(repeating: "---|", count: n / 4)
                    + "\n", "wide table", report: false)
        case 13:
            return text(
                "# H\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n"
                    + String(repeating: "<div>", count: n / 5), "HTML", report: false)
        case 14:
            var bytes = Array(Self.good.utf8)
            for _ in 0..<(1 + rng.int(40)) { bytes[rng.int(bytes.count)] = UInt8(truncatingIfNeeded: rng.int(128)) }
            return ArticleCase(path: path, data: Data(bytes), kind: "byte flips", mustReport: bytes.contains(0))
        default:
            var s = "# Tokens\n\n"
            for _ in 0..<(n / 4) { s += rng.pick(Self.tokens) }
            return text(s, "token soup", report: false)
        }
    }

    // MARK: tickets

    /// One JSONL ticket row, good or bad.
    public mutating func ticketRow(_ index: Int) -> TicketRow {
        let id = "F-\(index)"
        let good =
            #"{"source":"fuzz","id":"\#(id)","status":"open","subject":"Export fails","created_at":"2026-10-01T00:00:00Z","messages":[{"role":"customer","text":"Export to CSV fails with E-1042"}]}"#
        switch rng.int(12) {
        case 0: return TicketRow(line: String(good.dropLast(rng.int(40) + 1)), kind: "truncated JSON", mustReport: true)
        case 1:
            return TicketRow(
                line: good.replacingOccurrences(of: #""id":"\#(id)","#, with: ""), kind: "missing id", mustReport: true)
        case 2:
            return TicketRow(
                line: good.replacingOccurrences(of: #""status":"open""#, with: #""status":["open"]"#),
                kind: "status wrong type", mustReport: true)
        case 3:
            return TicketRow(
                line: good.replacingOccurrences(of: #""subject""#, with: #""csat":"5","subject""#),
                kind: "csat as text", mustReport: true)
        case 4:
            return TicketRow(
                line: good.replacingOccurrences(
                    of: "2026-10-01T00:00:00Z",
                    with: rng.pick([
                        "2026-13-45T25:61:00Z", "yesterday", "99999-01-01", "Tue Oct 31 22:10:47 +0000 99999999999",
                    ])), kind: "bad date", mustReport: true)
        case 5:
            return TicketRow(
                line: good.replacingOccurrences(
                    of: #""status":"open""#, with: #""status":"open","priority":"p1","channel":"fax""#),
                kind: "unknown enums", mustReport: true)
        case 6:
            let depth = 10 + rng.int(100_000)
            return TicketRow(
                line: #"{"source":"fuzz","id":"\#(id)","status":"open","subject":"x","tags":"#
                    + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}",
                kind: "deep JSON", mustReport: true)
        case 7:
            return TicketRow(
                line: good.replacingOccurrences(
                    of: "Export to CSV fails with E-1042",
                    with: String(repeating: "<script>alert(1)</script> ", count: 1 + rng.int(2_000))),
                kind: "HTML text", mustReport: false)
        case 8:
            return TicketRow(
                line: String(repeating: "\u{FFFD}", count: rng.int(100)) + "\u{0}", kind: "garbage", mustReport: true)
        case 9:
            return TicketRow(
                line: good.replacingOccurrences(of: #""messages""#, with: #""messages":"see attachment","x""#),
                kind: "messages wrong type", mustReport: true)
        default: return TicketRow(line: good, kind: "good", mustReport: false)
        }
    }

    /// A CSV line for the flat form (`id,status,subject`), good or with broken quoting.
    public mutating func csvRow(_ index: Int) -> TicketRow {
        switch rng.int(6) {
        case 0: return TicketRow(line: "C-\(index),open,\"stray \(index)", kind: "stray quote", mustReport: true)
        case 1: return TicketRow(line: "C-\(index),open,\"say \"hi\" now\"", kind: "undoubled quote", mustReport: true)
        case 2: return TicketRow(line: "C-\(index),open", kind: "short row", mustReport: true)
        case 3: return TicketRow(line: "C-\(index),open,\"quoted, fine\"", kind: "good quoted", mustReport: false)
        default: return TicketRow(line: "C-\(index),open,plain \(index)", kind: "good", mustReport: false)
        }
    }
}
