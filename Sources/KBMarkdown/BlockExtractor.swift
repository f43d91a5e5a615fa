import Foundation

/// Walks the converted cmark tree of one file and produces the article's typed blocks,
/// resolving DocFX alerts, includes, images and tab headings on the way.
struct BlockExtractor {
    let path: String
    let root: URL
    private let lines: [Substring]
    private let document: MarkdownNode
    /// First line of a part nested too deep to keep as a tree (see ``CommonMarkConverter``).
    private let flattenedAtLine: Int?
    /// Files being included, outermost first: guards against include cycles.
    private let includeStack: [String]
    private var lastHeadingLevel = 1

    private(set) var blocks: [Block] = []
    private(set) var diagnostics: [Diagnostic] = []

    /// What one article may still include, shared with the extractors of its includes.
    private let budget: IncludeBudget

    /// The article being read is external: an include marked internal is not inlined.
    private let external: Bool

    init(
        path: String, root: URL, source: String, includeStack: [String], budget: IncludeBudget = IncludeBudget(),
        external: Bool = true
    ) {
        self.external = external
        self.path = path
        self.root = root
        self.includeStack = includeStack
        self.budget = budget
        self.lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring($0) }
        let converted = CommonMarkConverter.parse(source)
        self.document = converted.document
        self.flattenedAtLine = converted.flattenedAtLine
    }

    mutating func extract() {
        if let line = flattenedAtLine {
            warn(
                "Markdown nested deeper than \(CommonMarkConverter.maxDepth) levels; the deeper part is read as plain text",
                line: line, in: includeStack.count > 1 ? includeStack[includeStack.count - 1] : path)
        }
        for node in document.children { visit(node) }
    }

    // MARK: blocks

    private mutating func visit(_ node: MarkdownNode) {
        switch node.kind {
        case .heading(let level):
            if let label = DocFX.tabLabel(node) {
                append(.heading(level: min(6, lastHeadingLevel + 1)), node, text: label)
            } else {
                lastHeadingLevel = level
                append(.heading(level: level), node, text: node.plainText)
            }
        case .paragraph:
            paragraph(node)
        case .blockQuote:
            quote(node)
        case .list(let ordered):
            for item in node.children { listItem(item, depth: 1, ordered: ordered) }
        case .codeBlock(let info, let literal, let fenced):
            let language = info.split(separator: " ").first.map(String.init) ?? ""
            append(.code(language: language), node, text: literal)
            if fenced, !fenceIsClosed(node) { blocks[blocks.count - 1].markdown += "\n```" }
        case .table:
            append(.table, node, text: node.children.map(\.plainText).joined(separator: "\n"))
        case .htmlBlock(let literal):
            append(.html, node, text: HTMLText.strip(literal))
        case .thematicBreak:
            break
        default:
            append(.paragraph, node, text: node.plainText)
        }
    }

    private mutating func paragraph(_ node: MarkdownNode) {
        let source = sourceText(node.startLine, node.endLine)
        let includes = DocFX.includes(inSource: source[...])
        var text = node.plainText
        if !includes.isEmpty {
            let leftover = includes.reduce(text) { $0.replacingOccurrences(of: "[!INCLUDE \($1.name)]", with: "") }
            if leftover.trimmed.isEmpty {
                for include in includes {
                    blocks += includeBlocks(include, line: node.startLine)
                }
                return
            }
            text = expandIncludes(text, includes, line: node.startLine)
        }
        let (imageText, onlyImages) = DocFX.replacingImages(in: text)
        append(onlyImages ? .image : .paragraph, node, text: imageText)
    }

    private mutating func quote(_ node: MarkdownNode) {
        var text = DocFX.removingDivMarkers(node.plainText)
        let source = sourceText(node.startLine, node.endLine)
        let includes = DocFX.includes(inSource: source[...])
        if !includes.isEmpty { text = expandIncludes(text, includes, line: node.startLine) }
        text = DocFX.replacingImages(in: text).text
        if let alert = DocFX.alert(in: text[...]) {
            append(.callout(kind: alert.kind), node, text: String(alert.rest))
        } else {
            append(.quote, node, text: text)
        }
    }

    private mutating func listItem(_ item: MarkdownNode, depth: Int, ordered: Bool) {
        guard case .item(let task) = item.kind else { return }
        let own = item.children.filter { if case .list = $0.kind { false } else { true } }
        let nested = item.children.filter { if case .list = $0.kind { true } else { false } }
        let end = nested.first.map { max(item.startLine, $0.startLine - 1) } ?? item.endLine
        let unclosed = own.contains { if case .codeBlock(_, _, true) = $0.kind { !fenceIsClosed($0) } else { false } }
        var text = own.map(\.plainText).joined(separator: "\n")
        let includes = DocFX.includes(inSource: sourceText(item.startLine, end)[...])
        if !includes.isEmpty { text = expandIncludes(text, includes, line: item.startLine) }
        text = DocFX.replacingImages(in: text).text
        if !text.trimmed.isEmpty || task != nil {
            appendBlock(
                Block(
                    kind: .listItem(depth: depth, ordered: ordered, task: task),
                    markdown: sourceText(item.startLine, end) + (unclosed ? "\n```" : ""), text: text,
                    line: item.startLine, endLine: end))
        }
        for list in nested {
            guard case .list(let nestedOrdered) = list.kind else { continue }
            for child in list.children { listItem(child, depth: depth + 1, ordered: nestedOrdered) }
        }
    }

    private mutating func append(_ kind: Block.Kind, _ node: MarkdownNode, text: String) {
        appendBlock(
            Block(
                kind: kind, markdown: sourceText(node.startLine, node.endLine), text: text,
                line: node.startLine, endLine: node.endLine))
    }

    private mutating func appendBlock(_ block: Block) {
        var block = block
        if case .code = block.kind {
            // Keep the first line's indentation; only drop the final newline.
            while block.text.hasSuffix("\n") { block.text.removeLast() }
        } else {
            block.text = String(block.text.trimmed)
            if block.text.isEmpty { return }
        }
        blocks.append(block)
    }

    // MARK: includes

    private mutating func expandIncludes(_ text: String, _ includes: [DocFX.Include], line: Int) -> String {
        var text = text
        for include in includes {
            let included = includeBlocks(include, line: line).map(\.text).joined(separator: "\n")
            text = text.replacingOccurrences(of: "[!INCLUDE \(include.name)]", with: included)
        }
        return text
    }

    /// The blocks of an included file, placed at the including line. A missing file, a
    /// cycle, a path resolving outside the knowledge base (by `..` anywhere or a symlink),
    /// nesting deeper than ``IncludeBudget/maxDepth`` and an article's includes past its
    /// budget are warnings naming the including file and line; nothing outside is read.
    private mutating func includeBlocks(_ include: DocFX.Include, line: Int) -> [Block] {
        let base = (includeStack.last.map { ($0 as NSString).deletingLastPathComponent }) ?? ""
        let joined = base.isEmpty ? include.path : base + "/" + include.path
        let current = includeStack.last ?? path
        guard !include.path.hasPrefix("/"), let target = ContainedPath.normalized(joined) else {
            warn("include '\(include.path)' points outside the knowledge base; not read", line: line, in: current)
            return []
        }
        let real: String
        switch ContainedPath.resolve(target, under: root) {
        case .outside:
            warn("include '\(include.path)' points outside the knowledge base; not read", line: line, in: current)
            return []
        case .missing:
            warn("include not found: '\(include.path)'", line: line, in: current)
            return []
        case .inside(let r):
            real = r
        }
        if includeStack.contains(target) {
            warn("include cycle: '\(include.path)' is already being included", line: line, in: current)
            return []
        }
        if includeStack.count > IncludeBudget.maxDepth {
            warn(
                "include '\(include.path)' nested more than \(IncludeBudget.maxDepth) deep; not read", line: line,
                in: current)
            return []
        }
        guard budget.take() else {
            if budget.reportExhausted() {
                warn(
                    "more than \(IncludeBudget.maxIncludes) includes or \(IncludeBudget.maxBytes / 1024) KB included in this article; the rest are not read",
                    line: line, in: current)
            }
            return []
        }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: real)) else {
            warn("include not readable: '\(include.path)'", line: line, in: current)
            return []
        }
        guard budget.spend(bytes: data.count) else {
            if budget.reportExhausted() {
                warn(
                    "more than \(IncludeBudget.maxIncludes) includes or \(IncludeBudget.maxBytes / 1024) KB included in this article; the rest are not read",
                    line: line, in: current)
            }
            return []
        }
        guard case .success(let source) = ArticleParser.decode(data, path: target) else {
            warn("include '\(include.path)' is empty, binary or not UTF-8", line: line, in: current)
            return []
        }
        let front = FrontMatter(source: source, path: target)
        // Internal text never rides into a customer-facing article through an include.
        if external, front.bool("external") == false || front.bool("internal") == true {
            warn(
                "include '\(include.path)' is internal and this article is external: not included", line: line,
                in: current)
            return []
        }
        var inner = BlockExtractor(
            path: path, root: root, source: front.body,
            includeStack: includeStack + [target], budget: budget, external: external)
        inner.extract()
        diagnostics += front.diagnostics + inner.diagnostics
        return inner.blocks.map {
            var b = $0
            b.line = line
            b.endLine = line
            return b
        }
    }

    // MARK: helpers

    private mutating func warn(_ message: String, line: Int, in file: String) {
        diagnostics.append(Diagnostic(path: file, line: line, message: message, severity: .warning))
    }

    /// Whether a fenced code block has its closing fence; if not, a warning names the line
    /// that opened it (cmark runs such a block to the end of its container).
    private mutating func fenceIsClosed(_ node: MarkdownNode) -> Bool {
        guard node.endLine >= 1, node.endLine <= lines.count else { return true }
        let last = lines[node.endLine - 1].drop(while: { $0 == " " || $0 == ">" || $0 == "\t" })
        if node.endLine == node.startLine || !(last.hasPrefix("```") || last.hasPrefix("~~~")) {
            let where_ = includeStack.count > 1 ? includeStack.last! : path
            warn(
                "code fence opened here is never closed; it runs to line \(node.endLine)",
                line: node.startLine, in: where_)
            return false
        }
        return true
    }

    /// Source lines `start...end` (1-based), trailing blank lines dropped.
    private func sourceText(_ start: Int, _ end: Int) -> String {
        guard start >= 1, start <= lines.count else { return "" }
        var last = min(max(end, start), lines.count)
        while last > start, lines[last - 1].allSatisfy({ $0 == " " || $0 == "\t" }) { last -= 1 }
        return lines[(start - 1)..<last].joined(separator: "\n")
    }
}

/// Caps what one article's includes may expand to: nested includes multiply (ten per level
/// over seven levels once took 42 s), so depth, count and bytes are all bounded.
final class IncludeBudget {
    static let maxDepth = 8
    static let maxIncludes = 256
    static let maxBytes = 4 << 20

    private var includes = 0
    private var bytes = 0
    private var reported = false

    /// Counts one more include; false when the article has had its share.
    func take() -> Bool {
        guard includes < Self.maxIncludes, bytes < Self.maxBytes else { return false }
        includes += 1
        return true
    }

    func spend(bytes n: Int) -> Bool {
        bytes += n
        return bytes <= Self.maxBytes
    }

    /// True the first time only: one warning per article.
    func reportExhausted() -> Bool {
        defer { reported = true }
        return !reported
    }
}
