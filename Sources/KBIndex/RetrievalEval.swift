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
    public static func readQueries(
        path: String
    ) throws -> (pairs: [(query: String, article: String)], problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw IndexError.missing(path: path) }
        var pairs: [(String, String)] = []
        var problems: [String] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
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

    /// Scores one mode over all pairs (audience `all`: the eval asks where the article ranks).
    public static func score(
        _ searcher: Searcher, pairs: [(query: String, article: String)], mode: SearchMode,
        fusion: FusionRule = .chosen
    ) throws -> RetrievalScores {
        var r1 = 0.0, r10 = 0.0, mrr = 0.0
        for (query, article) in pairs {
            var options = SearchOptions(mode: mode, top: 10, audience: .all)
            options.fusion = fusion
            let hits = try searcher.search(query, options: options)
            if let rank = hits.firstIndex(where: { $0.articlePath == article }) {
                if rank == 0 { r1 += 1 }
                r10 += 1
                mrr += 1 / Double(rank + 1)
            }
        }
        let n = Double(max(1, pairs.count))
        return RetrievalScores(
            mode: mode, queries: pairs.count, recallAt1: r1 / n, recallAt10: r10 / n, mrrAt10: mrr / n)
    }
}
