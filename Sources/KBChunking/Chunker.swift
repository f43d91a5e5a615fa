import KBMarkdown

/// Splits an article into heading-aware chunks that the embedding model reads whole.
///
/// Every chunk keeps its heading path (`Title > Resolution > Method 2`). The text the model
/// reads is the heading path, a newline, then the plain text of the chunk's blocks; its
/// token count, with `[CLS]` and `[SEP]`, never exceeds ``maxTokens``. Code blocks, tables
/// and list items are never cut: only a single block longer than the budget is split, at
/// line or row boundaries (re-fenced, or repeating the table header). Sections smaller than
/// ``minTokens`` merge with the next one when it fits.
public struct Chunker: Sendable {
    public let tokenizer: WordPieceTokenizer
    /// Token budget per chunk including `[CLS]` and `[SEP]` (at most the model window).
    public let maxTokens: Int
    /// Tokens of whole trailing blocks repeated at the start of the next chunk of a section.
    public let overlap: Int
    /// Chunks below this many tokens absorb the following section when it fits.
    public let minTokens: Int

    public init(
        tokenizer: WordPieceTokenizer, maxTokens: Int = WordPieceTokenizer.modelWindow,
        overlap: Int = 0, minTokens: Int = 64
    ) {
        precondition(maxTokens >= 32, "a chunk budget under 32 tokens cannot hold a heading path")
        self.tokenizer = tokenizer
        self.maxTokens = min(maxTokens, WordPieceTokenizer.modelWindow)
        self.overlap = max(0, overlap)
        self.minTokens = minTokens
    }

    /// The article's chunks, in document order, numbered from 0.
    public func chunk(_ article: Article) -> [Chunk] {
        var packer = Packer(chunker: self, article: article)
        for section in sections(of: article) { packer.add(section) }
        return packer.finish()
    }

    /// Word-piece tokens of `text` without `[CLS]`/`[SEP]`. Counts add up over texts
    /// joined by whitespace, which the packing relies on.
    func tokens(_ text: String) -> Int { tokenizer.countTokens(text) - 2 }

    // MARK: sections

    struct Section {
        var path: [String]
        var heading: Unit?
        var units: [Unit]
    }

    private func sections(of article: Article) -> [Section] {
        var stack: [(level: Int, text: String)] = []
        var current = Section(path: [article.title], heading: nil, units: [])
        var result: [Section] = []
        var seenTitleH1 = false
        for block in article.blocks {
            if case .heading(let level) = block.kind {
                if level == 1, !seenTitleH1, stack.isEmpty, current.units.isEmpty || isTitle(block.text, article) {
                    seenTitleH1 = true
                    continue
                }
                if !current.units.isEmpty { result.append(current) }
                while let top = stack.last, top.level >= level { stack.removeLast() }
                stack.append((level, block.text))
                current = Section(
                    path: [article.title] + stack.map(\.text),
                    heading: Unit(
                        markdown: block.markdown, text: block.text,
                        tokens: tokens(block.text), line: block.line, endLine: block.endLine),
                    units: [])
                continue
            }
            current.units.append(
                Unit(
                    markdown: block.markdown, text: block.text,
                    tokens: tokens(block.text), line: block.line, endLine: block.endLine,
                    kind: block.kind))
        }
        if !current.units.isEmpty { result.append(current) }
        return result
    }

    private func isTitle(_ text: String, _ article: Article) -> Bool {
        text.lowercased() == article.title.lowercased()
    }
}

/// A block ready for packing: its Markdown, plain text and token count.
struct Unit {
    var markdown: String
    var text: String
    var tokens: Int
    var line: Int
    var endLine: Int
    var kind: Block.Kind = .paragraph
}
