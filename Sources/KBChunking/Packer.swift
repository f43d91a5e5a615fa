import KBMarkdown

/// Greedy packing of one article's sections into chunks within the token budget.
struct Packer {
    let chunker: Chunker
    let article: Article

    private var chunks: [Chunk] = []
    private var path: [String] = []
    private var units: [Unit] = []
    /// Heading of the section that opened the current chunk, shown in the text if a
    /// merge shortens the path above it.
    private var heading: Unit?
    private var pathTokenCache: [[String]: Int] = [:]

    init(chunker: Chunker, article: Article) {
        self.chunker = chunker
        self.article = article
    }

    /// Token budget for block text under `path` (window minus `[CLS]`, `[SEP]` and the path).
    private mutating func budget(for path: [String]) -> Int {
        chunker.maxTokens - 2 - pathTokens(path)
    }

    private mutating func pathTokens(_ path: [String]) -> Int {
        if let n = pathTokenCache[path] { return n }
        let n = chunker.tokens(Self.display(path))
        pathTokenCache[path] = n
        return n
    }

    /// The heading path as the model reads it; very deep paths keep the title and the
    /// nearest headings so the path never eats the window.
    static func display(_ path: [String]) -> String {
        path.joined(separator: " > ")
    }

    private var used: Int { units.reduce(0) { $0 + $1.tokens } }

    mutating func add(_ section: Chunker.Section) {
        var sectionPath = section.path
        while sectionPath.count > 2, pathTokens(sectionPath) > chunker.maxTokens / 4 {
            sectionPath.remove(at: 1)
        }
        // A tiny chunk absorbs the next section (heading included) when all of it fits.
        if !units.isEmpty, used + (path.isEmpty ? 0 : pathTokens(path)) < chunker.minTokens {
            let shared = Array(zip(path, sectionPath).prefix(while: { $0 == $1 }).map(\.0))
            var incoming = section.units
            if let h = section.heading { incoming.insert(h, at: 0) }
            var existing = units
            if path.count > shared.count, let h = heading { existing.insert(h, at: 0) }
            let total = (existing + incoming).reduce(0) { $0 + $1.tokens }
            if !shared.isEmpty, total <= budget(for: shared) {
                path = shared
                units = existing + incoming
                heading = nil
                return
            }
        }
        flush()
        path = sectionPath
        heading = section.heading
        let limit = budget(for: path)
        for unit in section.units {
            for part in unit.tokens > limit ? BlockSplitter(chunker: chunker).split(unit, budget: limit) : [unit] {
                if used + part.tokens > limit {
                    let carried = overlapUnits(limit: limit - part.tokens)
                    flush()
                    path = sectionPath
                    units = carried
                }
                units.append(part)
            }
        }
    }

    /// Trailing whole units of the current chunk worth at most `overlap` tokens.
    private func overlapUnits(limit: Int) -> [Unit] {
        guard chunker.overlap > 0 else { return [] }
        var carried: [Unit] = []
        var total = 0
        for unit in units.reversed() {
            guard total + unit.tokens <= min(chunker.overlap, limit) else { break }
            total += unit.tokens
            carried.insert(unit, at: 0)
        }
        return carried.count == units.count ? [] : carried
    }

    private mutating func flush() {
        guard !units.isEmpty else { return }
        let display = Self.display(path)
        let embedText = ([display] + units.map(\.text)).joined(separator: "\n")
        chunks.append(
            Chunk(
                article: article.path, slug: article.slug, index: chunks.count, headingPath: path,
                text: units.map(\.markdown).joined(separator: "\n\n"), embedText: embedText,
                tokens: chunker.tokenizer.countTokens(embedText), external: article.external,
                category: article.category, tags: article.tags,
                line: units.map(\.line).min() ?? 0, endLine: units.map(\.endLine).max() ?? 0))
        units = []
    }

    mutating func finish() -> [Chunk] {
        flush()
        // A tiny last chunk joins the one before it when both fit under the shorter path.
        if chunks.count >= 2, let last = chunks.last, last.tokens < chunker.minTokens {
            let prev = chunks[chunks.count - 2]
            let shared = Array(zip(prev.headingPath, last.headingPath).prefix(while: { $0 == $1 }).map(\.0))
            if !shared.isEmpty, shared == prev.headingPath {
                let prevBody = prev.embedText.dropFirst(Self.display(prev.headingPath).count + 1)
                let lastBody = last.embedText.dropFirst(Self.display(last.headingPath).count + 1)
                let headingLine = last.headingPath.count > shared.count ? [last.headingPath.last!] : []
                let embedText = ([Self.display(shared), String(prevBody)] + headingLine + [String(lastBody)])
                    .joined(separator: "\n")
                let count = chunker.tokenizer.countTokens(embedText)
                if count <= chunker.maxTokens {
                    var merged = prev
                    merged.headingPath = shared
                    merged.embedText = embedText
                    merged.tokens = count
                    let headingMarkdown = headingLine.map {
                        "\(String(repeating: "#", count: min(6, last.headingPath.count))) \($0)"
                    }
                    merged.text = ([prev.text] + headingMarkdown + [last.text]).joined(separator: "\n\n")
                    merged.endLine = max(prev.endLine, last.endLine)
                    chunks.removeLast(2)
                    chunks.append(merged)
                }
            }
        }
        return chunks
    }
}
