import Foundation

/// Search results as JSON, for scripts: snake-case keys (`article_path`, `title`,
/// `heading_path`, `text`, `score`, `keyword_score`, `semantic_score`, …), sorted.
public enum SearchJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// Answers one query per line of `input`, one compact JSON result list per line of
    /// output, in order. A blank line gives `[]`, so output line n answers input line n.
    public static func batch(_ searcher: Searcher, input: String, options: SearchOptions,
                             write: (Data) -> Void) throws {
        let encoder = encoder()
        var lines = input.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            let query = line.trimmingCharacters(in: .whitespacesAndNewlines)
            let hits = query.isEmpty ? [] : try searcher.search(query, options: options)
            write(try encoder.encode(hits))
        }
    }
}
