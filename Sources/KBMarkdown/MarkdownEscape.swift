/// Text from tickets (or any input) placed into the Markdown the tool writes — drafts,
/// `gaps.md`, `metrics.md`, the review queue — must stay text: no raw HTML (`<script>`,
/// `<img onerror>`), no link or image syntax, so no live `javascript:` or `data:` link.
/// The one place every writer escapes with (KBDrafts, KBGaps and KBReports import it).
public enum MarkdownEscape {
    /// Inline text: `<` as an entity (no tag or autolink can open; a lone `>` mid-line is
    /// plain text, so menu paths such as "Settings > Team" read as written), `\`, `[`, `]`
    /// and `` ` `` backslash-escaped (no link, image or code syntax), newlines as spaces (no
    /// new block).
    public static func inline(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for ch in text {
            switch ch {
            case "<": out += "&lt;"
            case "\\": out += "\\\\"
            case "[": out += "\\["
            case "]": out += "\\]"
            case "`": out += "\\`"
            case "\n", "\r", "\r\n":
                if !lastWasSpace { out += " " }
                lastWasSpace = true
                continue
            default: out.append(ch)
            }
            lastWasSpace = ch == " "
        }
        return out
    }

    /// A table cell: ``inline(_:)`` and `|` escaped so the text cannot break the table.
    public static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// A code span: the text between backticks cannot close it or hold a newline.
    public static func code(_ text: String) -> String {
        "`" + text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\n", with: " ") + "`"
    }

    /// A link destination written by the tool (a relative file path, or a web address):
    /// `http`, `https` and `mailto` pass; any other scheme (`javascript:`, `data:`, …) is
    /// made a relative path (`./javascript:…`); the result is wrapped in `<…>` with `<`, `>`
    /// and spaces encoded, so it stays one destination.
    public static func destination(_ url: String) -> String {
        var u = url.replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E")
            .replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "\n", with: "%0A")
        if let colon = u.firstIndex(of: ":"), !u[..<colon].contains("/") {
            let scheme = u[..<colon].lowercased().filter { !$0.isWhitespace && $0 != "\t" }
            if !["http", "https", "mailto"].contains(scheme) { u = "./" + u }
        }
        return "<" + u + ">"
    }
}

/// What a Markdown renderer would make live in a document, found with cmark-gfm itself:
/// raw HTML, and links or images whose destination has a scheme other than http(s) or mailto.
/// Tests and the fuzz run check the tool's outputs with it.
public enum MarkdownAudit {
    public static func activeContent(_ markdown: String) -> [String] {
        var found: [String] = []
        var stack = [CommonMarkConverter.parse(markdown).document]
        while let node = stack.popLast() {
            switch node.kind {
            case .htmlBlock(let s), .htmlInline(let s):
                found.append("raw HTML \(s.prefix(40))")
            case .link(let url), .image(let url):
                let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                if url.contains(":"), !scheme.contains("/"), !["http", "https", "mailto"].contains(scheme) {
                    found.append("live link \(url.prefix(40))")
                }
            default: break
            }
            stack += node.children
        }
        return found
    }
}
