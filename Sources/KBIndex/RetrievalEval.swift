import Foundation

/// Known-item retrieval quality: for each query, where its expected article ranks.
public struct RetrievalScores: Sendable, Codable {
    public var mode: SearchMode
    public var queries: Int
    public var recallAt1: Double
    public var recallAt10: Double
    public var mrrAt10: Double
}

public enum RetrievalEval {
    /// Reads `query<TAB>article path` rows; bad rows are returned as `file:line: what`.
    public static func readQueries(path: String) throws -> (pairs: [(query: String, article: String)], problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw IndexError.missing(path: path) }
        var pairs: [(String, String)] = []
        var problems: [String] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if t.isEmpty { continue }
            let parts = t.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                problems.append("\(path):\(i + 1): expected 'query<TAB>article path'")
                continue
            }
            pairs.append((parts[0], parts[1]))
        }
        return (pairs, problems)
    }

    /// Expected articles that are not in the index (a typo in the queries file, or the wrong --kb).
    public static func unknownArticles(_ searcher: Searcher, pairs: [(query: String, article: String)]) -> [String] {
        let known = Set(searcher.corpus.articles.map(\.path))
        return Array(Set(pairs.map(\.article)).subtracting(known)).sorted()
    }

    /// Scores every mode over all pairs, embedding each query once (audience `all`: the
    /// evaluation asks where the expected article ranks, whoever may see it).
    public static func evaluate(_ searcher: Searcher, pairs: [(query: String, article: String)],
                                modes: [SearchMode] = SearchMode.allCases, vectors given: [[Float]?]? = nil) throws -> [RetrievalScores] {
        let vectors: [[Float]?] = try given ?? (modes.contains(where: { $0 != .keyword })
            ? searcher.queryVectors(pairs.map(\.query)) : Array(repeating: nil, count: pairs.count))
        return try modes.map { mode in
            var r1 = 0.0, r10 = 0.0, mrr = 0.0
            for ((query, article), vector) in zip(pairs, vectors) {
                let hits = try searcher.search(query, vector: vector, options: SearchOptions(mode: mode, top: 10, audience: .all, chunksPerHit: 1))
                if let rank = hits.firstIndex(where: { $0.articlePath == article }) {
                    if rank == 0 { r1 += 1 }
                    r10 += 1
                    mrr += 1 / Double(rank + 1)
                }
            }
            let n = Double(max(1, pairs.count))
            return RetrievalScores(mode: mode, queries: pairs.count, recallAt1: r1 / n, recallAt10: r10 / n, mrrAt10: mrr / n)
        }
    }

    /// Scores one mode (see ``evaluate(_:pairs:modes:vectors:)``).
    public static func score(_ searcher: Searcher, pairs: [(query: String, article: String)], mode: SearchMode) throws -> RetrievalScores {
        try evaluate(searcher, pairs: pairs, modes: [mode])[0]
    }
}
