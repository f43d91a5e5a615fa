/// Turns any user text into a safe FTS5 query: words only, each quoted, joined with OR,
/// so FTS5 syntax characters (`"`, `*`, `NEAR`, `-`, `:`, parentheses) never reach the
/// parser as operators.
enum FTSQuery {
    /// BM25 column weights: title, heading path, body.
    static let titleWeight = 2.0
    static let headingWeight = 1.5

    static func match(_ text: String) -> String? {
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
        let unique = words.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return nil }
        return unique.map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}
