import KBMarkdown

/// Splits one block that is larger than the chunk budget, at the boundaries a reader
/// expects: code at lines (each part re-fenced with the block's language), tables at
/// rows (each part repeating the header row), prose at sentences, then words.
struct BlockSplitter {
    let chunker: Chunker

    func split(_ unit: Unit, budget: Int) -> [Unit] {
        let parts: [(markdown: String, text: String)]
        switch unit.kind {
        case .code(let language):
            parts = splitCode(unit, language: language, budget: budget)
        case .table:
            parts = splitTable(unit, budget: budget)
        default:
            parts = pack(pieces(of: unit.text, budget: budget), budget: budget, separator: " ")
                .map { ($0, $0) }
        }
        return parts.map {
            Unit(
                markdown: $0.markdown, text: $0.text, tokens: chunker.tokens($0.text),
                line: unit.line, endLine: unit.endLine, kind: unit.kind)
        }
    }

    private func splitCode(_ unit: Unit, language: String, budget: Int) -> [(markdown: String, text: String)] {
        let lines = unit.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let fence = unit.markdown.contains("~~~") && !unit.markdown.contains("```") ? "~~~" : "```"
        let pieces = lines.flatMap { chunker.tokens($0) > budget ? self.pieces(of: $0, budget: budget) : [$0] }
        return pack(pieces, budget: budget, separator: "\n").map {
            ("\(fence)\(language)\n\($0)\n\(fence)", $0)
        }
    }

    private func splitTable(_ unit: Unit, budget: Int) -> [(markdown: String, text: String)] {
        let mdRows = unit.markdown.split(separator: "\n").map(String.init)
        let textRows = unit.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard mdRows.count >= 3, textRows.count == mdRows.count - 1 else {
            return pack(pieces(of: unit.text, budget: budget), budget: budget, separator: "\n").map { ($0, $0) }
        }
        let headerMarkdown = mdRows[0] + "\n" + mdRows[1]
        let headerText = textRows[0]
        let rowBudget = budget - chunker.tokens(headerText)
        var result: [(String, String)] = []
        var mdPart: [String] = [], textPart: [String] = [], used = 0
        func emit() {
            guard !textPart.isEmpty else { return }
            result.append(
                (
                    ([headerMarkdown] + mdPart).joined(separator: "\n"),
                    ([headerText] + textPart).joined(separator: "\n")
                ))
            mdPart = []; textPart = []; used = 0
        }
        for (md, text) in zip(mdRows.dropFirst(2), textRows.dropFirst()) {
            let n = chunker.tokens(text)
            if n > rowBudget {
                // A single row larger than a chunk: its cells go out as prose.
                emit()
                for piece in pack(pieces(of: text, budget: budget), budget: budget, separator: " ") {
                    result.append((piece, piece))
                }
                continue
            }
            if used + n > rowBudget { emit() }
            mdPart.append(md); textPart.append(text); used += n
        }
        emit()
        return result
    }

    /// Pieces of `text`, each within `budget`: sentences, then words, then characters.
    func pieces(of text: String, budget: Int) -> [String] {
        if chunker.tokens(text) <= budget { return [text] }
        let sentences = splitKeeping(text, after: [".", "?", "!", ";", "\n"])
        if sentences.count > 1 {
            return sentences.flatMap { pieces(of: $0, budget: budget) }
        }
        let words = text.split(separator: " ").map(String.init)
        if words.count > 1 {
            return words.flatMap { pieces(of: $0, budget: budget) }
        }
        // One enormous "word": halve it until each half fits.
        let mid = text.index(text.startIndex, offsetBy: text.count / 2)
        guard mid > text.startIndex else { return [text] }
        return pieces(of: String(text[..<mid]), budget: budget) + pieces(of: String(text[mid...]), budget: budget)
    }

    private func splitKeeping(_ text: String, after marks: Set<Character>) -> [String] {
        var parts: [String] = []
        var current = ""
        var previous: Character = " "
        for ch in text {
            if marks.contains(previous), ch == " " || ch == "\n" || previous == "\n" {
                let t = current.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { parts.append(t) }
                current = ""
            }
            current.append(ch)
            previous = ch
        }
        let t = current.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { parts.append(t) }
        return parts
    }

    /// Greedily joins pieces with `separator` while the joined text stays within budget.
    private func pack(_ pieces: [String], budget: Int, separator: String) -> [String] {
        var result: [String] = []
        var current: [String] = []
        var used = 0
        for piece in pieces {
            let n = chunker.tokens(piece)
            if used + n > budget, !current.isEmpty {
                result.append(current.joined(separator: separator))
                current = []; used = 0
            }
            current.append(piece); used += n
        }
        if !current.isEmpty { result.append(current.joined(separator: separator)) }
        return result
    }
}
