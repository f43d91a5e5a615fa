/// Turns any user text into a safe FTS5 query: words only, each quoted, joined with OR,
/// so FTS5 syntax characters (`"`, `*`, `NEAR`, `-`, `:`, parentheses) never reach the
/// parser as operators.
enum FTSQuery {
    /// BM25 column weights: title, heading path, body.
    static let titleWeight = 2.0
    static let headingWeight = 1.5

    /// The words of `text`: letters and digits, lower-cased, in order, without repeats.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }

    static func match(_ text: String) -> String? {
        var unique = words(text)
        // Function words match most chunks and carry almost no BM25 weight, but FTS5 must
        // score every row they match: leave them out unless nothing else is left.
        let content = unique.filter { !stopwords.contains($0) }
        if !content.isEmpty { unique = content }
        guard !unique.isEmpty else { return nil }
        return unique.map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}

extension FTSQuery {
    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
        "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "i", "you",
        "he", "she", "we", "they", "me", "my", "your", "our", "their", "his", "her", "them", "us", "do", "does", "did",
        "have", "has", "had", "can", "could", "will", "would", "should", "may", "might", "so", "than", "then", "there",
        "what", "which", "who", "whom", "when", "where", "why", "how", "not", "no", "into", "about", "after", "before",
        "up", "out", "over", "under", "again", "all", "any", "some", "such", "only", "own", "same", "too", "very",
    ]
}
