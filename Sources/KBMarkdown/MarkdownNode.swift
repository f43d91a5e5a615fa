/// A cmark-gfm node converted into a Swift value. No C pointer survives the conversion:
/// ``CommonMarkConverter`` owns every cmark object and frees it before returning.
struct MarkdownNode: Sendable {
    enum Kind: Sendable, Equatable {
        case document, blockQuote, thematicBreak, paragraph
        case list(ordered: Bool)
        case item(task: Bool?)
        case codeBlock(info: String, literal: String, fenced: Bool)
        case htmlBlock(literal: String)
        case heading(level: Int)
        case table, tableRow(header: Bool), tableCell
        case text(String), softBreak, lineBreak, code(String), htmlInline(String)
        case emphasis, strong, strikethrough
        case link(url: String), image(url: String)
        case other(String)
    }

    var kind: Kind
    var children: [MarkdownNode]
    /// 1-based source lines from cmark's source positions.
    var startLine: Int
    var endLine: Int

    /// Inline content as plain text: markup removed, line breaks as spaces or newlines. Walks
    /// the tree with its own stack (no recursion, whatever the nesting).
    var plainText: String {
        enum Step {
            case node(MarkdownNode)
            case text(String)
            /// A newline unless the text already ends with one (between blocks).
            case blockBreak
        }
        var out = ""
        var steps: [Step] = [.node(self)]
        while let step = steps.popLast() {
            switch step {
            case .text(let s): out += s
            case .blockBreak: if !out.hasSuffix("\n") { out += "\n" }
            case .node(let n):
                var next: [Step] = []
                switch n.kind {
                case .text(let s), .code(let s): out += s
                case .softBreak: out += " "
                case .lineBreak: out += "\n"
                case .htmlInline(let s):
                    // `<br>` is a line break in the source; other inline tags carry no text.
                    if s.lowercased().hasPrefix("<br") { out += " " }
                case .codeBlock(_, let literal, _): out += literal
                case .htmlBlock(let literal): out += HTMLText.strip(literal)
                case .paragraph, .heading:
                    next = n.children.map { .node($0) }
                case .tableRow:
                    for (k, c) in n.children.enumerated() {
                        if k > 0 { next.append(.text(" | ")) }
                        next.append(.node(c))
                    }
                default:
                    for (k, c) in n.children.enumerated() {
                        if k > 0 && c.isBlock { next.append(.blockBreak) }
                        next.append(.node(c))
                    }
                }
                steps.append(contentsOf: next.reversed())
            }
        }
        return out
    }

    var isBlock: Bool {
        switch kind {
        case .document, .blockQuote, .thematicBreak, .paragraph, .list, .item, .codeBlock,
            .htmlBlock, .heading, .table, .tableRow:
            return true
        default:
            return false
        }
    }
}

/// Removes tags and decodes the handful of entities that appear in help-center HTML.
enum HTMLText {
    static func strip(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var inTag = false
        for ch in html {
            if inTag {
                if ch == ">" { inTag = false; out += " " }
            } else if ch == "<" {
                inTag = true
            } else {
                out.append(ch)
            }
        }
        return decodeEntities(out)
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&nbsp;", with: " ")
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
