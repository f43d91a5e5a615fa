/// Chunk scores → article hits: each article takes its best chunk per mode; hybrid
/// ranking fuses the two article rankings by reciprocal rank (k = 60).
enum Fusion {
    static let rrfK = 60.0

    static func hits(keyword: [(chunk: Int, score: Double)], semantic: [(chunk: Int, score: Double)],
                     mode: SearchMode, searcher: Searcher, options: SearchOptions) -> [SearchHit] {
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
        var hits: [SearchHit] = []
        for (article, a) in acc {
            let score: Double
            switch mode {
            case .keyword: score = a.keyword ?? 0
            case .semantic: score = a.semantic ?? -1
            case .hybrid:
                score = (a.keywordRank.map { 1 / (rrfK + Double($0)) } ?? 0) + (a.semanticRank.map { 1 / (rrfK + Double($0)) } ?? 0)
            }
            let best = a.chunkScores.sorted {
                (($0.value.s ?? -1) + ($0.value.k ?? 0) / 100, $1.key) > (($1.value.s ?? -1) + ($1.value.k ?? 0) / 100, $0.key)
            }.prefix(options.chunksPerHit)
            let meta = searcher.articles[article]
            hits.append(SearchHit(
                articlePath: meta.path, title: meta.title, category: meta.category, external: meta.external, score: score,
                keywordScore: a.keyword, semanticScore: a.semantic, keywordRank: a.keywordRank, semanticRank: a.semanticRank,
                chunks: best.map { (i, s) in
                    let c = searcher.chunks[i]
                    return SearchHit.ChunkHit(index: c.index, headingPath: c.headingPath, text: c.text, keywordScore: s.k, semanticScore: s.s)
                }))
        }
        hits.sort { ($0.score, $1.articlePath) > ($1.score, $0.articlePath) }
        return Array(hits.prefix(options.top))
    }
}
