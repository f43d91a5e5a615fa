import CCmarkGFM
import Foundation
import Synchronization

/// The one place that touches cmark-gfm. It parses a Markdown string with the GFM
/// extensions (table, strikethrough, autolink, tasklist) and source positions, converts
/// the whole tree into ``MarkdownNode`` values, and frees every C object before returning.
enum CommonMarkConverter {
    static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]

    /// cmark-gfm keeps global state without locks: its one-time extension registration is a
    /// plain check-then-set, and every parse adds the extensions' special characters to a
    /// global table and removes them when it finishes. Two parses at once can therefore lose
    /// each other's tables, strikethrough or autolinks (seen here: a parallel run of the
    /// 2,448-article help center produced 452 chunks fewer, once). So registration runs
    /// once (a Swift `static let` initialises exactly once, thread-safely) and cmark's own
    /// parsing is serialised by `cmarkLock`; converting the finished tree into Swift values,
    /// and everything after it, stays parallel.
    nonisolated(unsafe) static let extensions: [OpaquePointer] = {
        cmark_gfm_core_extensions_ensure_registered()
        return extensionNames.compactMap { cmark_find_syntax_extension($0) }
    }()
    static let cmarkLock = Mutex<Void>(())

    /// Deepest nesting kept as a tree: below it a subtree becomes one paragraph of its text,
    /// so no later walk (here, in ``MarkdownNode``, in ``BlockExtractor``, or Swift's own
    /// release of the tree) recurses deeper than this, whatever the input.
    static let maxDepth = 64

    /// The converted document and, when something was nested deeper than ``maxDepth``,
    /// the first line where it was flattened.
    struct Converted {
        var document: MarkdownNode
        var flattenedAtLine: Int?
    }

    static func parse(_ source: String) -> Converted {
        guard let root = parseTree(source) else {
            return Converted(
                document: MarkdownNode(kind: .document, children: [], startLine: 1, endLine: 1), flattenedAtLine: nil)
        }
        defer { cmark_node_free(root) }
        return convert(root)
    }

    /// cmark's own parse, under ``cmarkLock``; the caller owns the returned tree and frees it.
    private static func parseTree(_ source: String) -> OpaquePointer? {
        cmarkLock.withLock { _ -> OpaquePointer? in
            guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_UNSAFE) else { return nil }
            defer { cmark_parser_free(parser) }
            for ext in extensions { cmark_parser_attach_syntax_extension(parser, ext) }
            var source = source
            source.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { chars in
                    cmark_parser_feed(parser, chars.baseAddress, chars.count)
                }
            }
            return cmark_parser_finish(parser)
        }
    }

    private static func string(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    /// Converts the tree with an explicit stack (no recursion: a 15,000-deep list once
    /// overflowed the call stack here).
    private static func convert(_ root: OpaquePointer) -> Converted {
        struct Frame {
            let node: OpaquePointer
            var children: [MarkdownNode] = []
            var next: OpaquePointer?
        }
        var flattenedAt: Int?
        var stack = [Frame(node: root, next: cmark_node_first_child(root))]
        while let top = stack.last {
            if let child = top.next {
                stack[stack.count - 1].next = cmark_node_next(child)
                if stack.count >= maxDepth {
                    let line = Int(cmark_node_get_start_line(child))
                    flattenedAt = min(flattenedAt ?? line, line)
                    stack[stack.count - 1].children.append(flattened(child))
                } else {
                    stack.append(Frame(node: child, next: cmark_node_first_child(child)))
                }
                continue
            }
            let done = stack.removeLast()
            let node = MarkdownNode(
                kind: kind(of: done.node), children: done.children,
                startLine: Int(cmark_node_get_start_line(done.node)),
                endLine: Int(cmark_node_get_end_line(done.node)))
            if stack.isEmpty { return Converted(document: node, flattenedAtLine: flattenedAt) }
            stack[stack.count - 1].children.append(node)
        }
        return Converted(
            document: MarkdownNode(kind: .document, children: [], startLine: 1, endLine: 1),
            flattenedAtLine: flattenedAt)
    }

    /// A subtree too deep to keep as a tree: its text, walked with cmark's own iterator.
    private static func flattened(_ subtree: OpaquePointer) -> MarkdownNode {
        var text = ""
        if let iter = cmark_iter_new(subtree) {
            defer { cmark_iter_free(iter) }
            while true {
                let event = cmark_iter_next(iter)
                if event == CMARK_EVENT_DONE { break }
                guard let current = cmark_iter_get_node(iter) else { continue }
                switch cmark_node_get_type(current) {
                case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                    if event == CMARK_EVENT_ENTER { text += string(cmark_node_get_literal(current)) }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    text += " "
                case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                    if event == CMARK_EVENT_EXIT, !text.isEmpty, !text.hasSuffix(" ") { text += " " }
                default:
                    break
                }
            }
        }
        let start = Int(cmark_node_get_start_line(subtree)), end = Int(cmark_node_get_end_line(subtree))
        func node(_ kind: MarkdownNode.Kind, _ children: [MarkdownNode] = []) -> MarkdownNode {
            MarkdownNode(kind: kind, children: children, startLine: start, endLine: end)
        }
        // Keep the node's place in its parent: a list stays a list of one item, an item an
        // item, inline content inline; everything else becomes one paragraph.
        let paragraph = node(.paragraph, [node(.text(text))])
        switch cmark_node_get_type(subtree) {
        case CMARK_NODE_LIST: return node(kind(of: subtree), [node(.item(task: nil), [paragraph])])
        case CMARK_NODE_ITEM: return node(.item(task: nil), [paragraph])
        case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK,
            CMARK_NODE_IMAGE, CMARK_NODE_HTML_INLINE, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            return node(.text(text))
        default: return paragraph
        }
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST)
        case CMARK_NODE_ITEM:
            let isTask = string(cmark_node_get_type_string(node)) == "tasklist"
            return .item(task: isTask ? cmark_gfm_extensions_get_tasklist_item_checked(node) : nil)
        case CMARK_NODE_CODE_BLOCK:
            var length: Int32 = 0, offset: Int32 = 0
            var character: CChar = 0
            let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
            return .codeBlock(
                info: string(cmark_node_get_fence_info(node)),
                literal: string(cmark_node_get_literal(node)), fenced: fenced)
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock(literal: string(cmark_node_get_literal(node)))
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_TEXT: return .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_INLINE: return .htmlInline(string(cmark_node_get_literal(node)))
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link(url: string(cmark_node_get_url(node)))
        case CMARK_NODE_IMAGE: return .image(url: string(cmark_node_get_url(node)))
        default:
            // Extension nodes are told apart by their type string.
            switch string(cmark_node_get_type_string(node)) {
            case "table": return .table
            case "table_header": return .tableRow(header: true)
            case "table_row": return .tableRow(header: false)
            case "table_cell": return .tableCell
            case "strikethrough": return .strikethrough
            case let other: return .other(other)
            }
        }
    }
}
