/// Turns any user text into a safe FTS5 query: words only, each quoted, joined with OR,
/// so FTS5 syntax characters (`"`, `*`, `NEAR`, `-`, `:`, parentheses) never reach the
/// parser as operators.
enum FTSQuery {
    /// Very common English words: BM25 gives them almost no weight, but their long posting
    /// lists make an OR query slow. Dropped unless the query has nothing else.
    static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from",
        "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "my", "of", "on", "or", "so",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "why", "will", "with", "you", "your",
    ]

    /// The words of `text`: letters and digits, lower-cased, in order, without repeats.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var seen = Set<String>()
        func flush() {
            if !current.isEmpty, seen.insert(current).inserted { words.append(current) }
            current = ""
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The FTS5 MATCH expression for `text`, or `nil` when it has no word at all.
    static func match(_ text: String, dropStopwords: Bool = true) -> String? {
        let all = words(text)
        guard !all.isEmpty else { return nil }
        let kept = dropStopwords ? all.filter { !stopwords.contains($0) } : all
        return (kept.isEmpty ? all : kept).map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}
