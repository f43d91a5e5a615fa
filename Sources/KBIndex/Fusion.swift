import Foundation

/// Chunk scores → article hits: each article takes its best chunk per mode. Hybrid
/// ranking is a weighted sum of the two scores, each scaled to the query's own range
/// (0.7 · BM25/best BM25 + 0.3 · cosine scaled to [0, 1]), chosen by measurement over
/// reciprocal-rank fusion (see docs/ARCHITECTURE.md, "Search quality").
enum Fusion {
    static let rrfK = 60.0

    static func hits(
        keyword: [(chunk: Int, score: Double)], semantic: [(chunk: Int, score: Double)],
        mode: SearchMode, searcher: Searcher, options: SearchOptions
    ) -> [SearchHit] {
        struct Acc {
            var keyword: Double?, semantic: Double?
            var keywordRank: Int?, semanticRank: Int?
            var chunkScores: [Int: (k: Double?, s: Double?)] = [:]
        }
        var acc: [Int: Acc] = [:]
        func collect(_ list: [(chunk: Int, score: Double)], keywordSide: Bool) {
            var rank = 0
            for (chunk, score) in list {
                let article = searcher.chunks[chunk].article
                var a = acc[article] ?? Acc()
                var cs = a.chunkScores[chunk] ?? (nil, nil)
                if keywordSide {
                    cs.k = score
                    if a.keyword == nil { rank += 1; a.keyword = score; a.keywordRank = rank }
                } else {
                    cs.s = score
                    if a.semantic == nil { rank += 1; a.semantic = score; a.semanticRank = rank }
                }
                a.chunkScores[chunk] = cs
                acc[article] = a
            }
        }
        collect(keyword, keywordSide: true)
        collect(semantic, keywordSide: false)
        let maxKeyword = keyword.map(\.score).max() ?? 0
        let maxSemantic = semantic.map(\.score).max() ?? 0
        let minSemantic = semantic.map(\.score).min() ?? 0
        // Score every article, keep the best `top`, and only then build their hits.
        var scored: [(article: Int, score: Double)] = []
        scored.reserveCapacity(acc.count)
        for (article, a) in acc {
            let score: Double
            switch mode {
            case .keyword: score = a.keyword ?? 0
            case .semantic: score = a.semantic ?? -1
            case .hybrid:
                switch options.fusion {
                case .reciprocalRank(let semanticWeight):
                    score =
                        (a.keywordRank.map { 1 / (rrfK + Double($0)) } ?? 0)
                        + semanticWeight * (a.semanticRank.map { 1 / (rrfK + Double($0)) } ?? 0)
                case .weightedSum(let alpha):
                    // Weighted sum of scores scaled to the query's best: BM25 / best BM25,
                    // and cosine mapped from [worst, best] of the semantic candidates to [0, 1].
                    let kw = (a.keyword ?? 0) / max(maxKeyword, 1e-9)
                    let sem = a.semantic.map { ($0 - minSemantic) / max(maxSemantic - minSemantic, 1e-9) } ?? 0
                    score = alpha * kw + (1 - alpha) * sem
                }
            }
            scored.append((article, score))
        }
        let articles = searcher.articles
        scored.sort { ($0.score, articles[$1.article].path) > ($1.score, articles[$0.article].path) }
        return scored.prefix(options.top).map { article, score in
            let a = acc[article]!
            let best = a.chunkScores.sorted {
                (($0.value.s ?? -1) + ($0.value.k ?? 0) / 100, $1.key) > (
                    ($1.value.s ?? -1) + ($1.value.k ?? 0) / 100, $0.key
                )
            }.prefix(options.chunksPerHit)
            let meta = articles[article]
            return SearchHit(
                articlePath: meta.path, title: meta.title, category: meta.category, external: meta.external,
                score: score,
                keywordScore: a.keyword, semanticScore: a.semantic, keywordRank: a.keywordRank,
                semanticRank: a.semanticRank,
                chunks: best.map { (i, s) in
                    let c = searcher.chunks[i]
                    return SearchHit.ChunkHit(
                        index: c.index, headingPath: c.headingPath, text: c.text, keywordScore: s.k, semanticScore: s.s)
                })
        }
    }
}
