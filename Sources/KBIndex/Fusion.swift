import Foundation

/// How chunk scores become one ranking of articles. The defaults were chosen by
/// measurement (`kb eval retrieval`; see docs/ARCHITECTURE.md, "Index schema").
public struct RankingParameters: Sendable, Codable, Equatable {
    /// How the keyword and semantic article rankings are fused in hybrid mode.
    public enum FusionMethod: String, Sendable, Codable, CaseIterable {
        /// Reciprocal rank fusion: Σ weight / (k + rank).
        case rrf
        /// Weighted sum of per-query normalised scores (BM25 / best BM25; cosine min-max over the candidates).
        case weighted
    }

    /// BM25 column weights: title, heading path (below the title), chunk text.
    public var titleWeight = 2.0
    public var headingWeight = 1.5
    public var bodyWeight = 1.0
    /// Articles per side that take part in fusion.
    public var fusionDepth = 100
    public var fusion = FusionMethod.weighted
    public var rrfK = 60.0
    /// Share of the keyword side in fusion (0…1); the semantic side has the rest.
    public var keywordShare = 0.7
    /// An article's score per side is its best chunk's plus this share of its second best.
    public var secondChunkShare = 0.0
    /// Drops very common English words from the keyword query (rank-neutral, faster).
    public var dropStopwords = true

    public init() {}

    /// Reads `key=value` pairs separated by commas (`rrfK=30,fusion=weighted`), for experiments.
    public init(overrides text: String) throws {
        self.init()
        for pair in text.split(separator: ",") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw IndexError.badParameter(pair: String(pair)) }
            let (key, value) = (kv[0], kv[1])
            func number() throws -> Double {
                guard let d = Double(value) else { throw IndexError.badParameter(pair: String(pair)) }
                return d
            }
            switch key {
            case "titleWeight": titleWeight = try number()
            case "headingWeight": headingWeight = try number()
            case "bodyWeight": bodyWeight = try number()
            case "fusionDepth": fusionDepth = Int(try number())
            case "rrfK": rrfK = try number()
            case "keywordShare": keywordShare = try number()
            case "secondChunkShare": secondChunkShare = try number()
            case "dropStopwords": dropStopwords = value == "true" || value == "1"
            case "fusion":
                guard let f = FusionMethod(rawValue: value) else { throw IndexError.badParameter(pair: String(pair)) }
                fusion = f
            default: throw IndexError.badParameter(pair: String(pair))
            }
        }
    }
}

/// Per-article scores of one side (keyword or semantic) for one query.
struct SideScores {
    /// Best chunk score per article (plus the second-best share), `nil` when unmatched.
    var score: [Double?]
    /// Matched articles, best first.
    var ranked: [Int32]

    init(articles: Int) {
        score = Array(repeating: nil, count: articles)
        ranked = []
    }

    /// Groups chunk scores by article: best chunk, plus `secondShare` of the second best.
    /// `rows` lists the scored chunks (`nil`: every chunk); `score(row)` gives each one's score.
    static func aggregate(rows: [Int32]?, score: (Int) -> Double, corpus: Corpus, allowed: [Bool],
                          secondShare: Double, depth: Int) -> SideScores {
        var out = SideScores(articles: corpus.articles.count)
        var best = [Double](repeating: -.infinity, count: corpus.articles.count)
        var second = best
        var touched: [Int32] = []
        func visit(_ row: Int) {
            let a = Int(corpus.chunks[row].article)
            guard allowed[a] else { return }
            let s = score(row)
            if best[a] == -.infinity { touched.append(Int32(a)) }
            if s > best[a] { second[a] = best[a]; best[a] = s } else if s > second[a] { second[a] = s }
        }
        if let rows { for r in rows { visit(Int(r)) } } else { for r in 0..<corpus.chunks.count { visit(r) } }
        for a in touched {
            let i = Int(a)
            out.score[i] = best[i] + (second[i].isFinite ? secondShare * second[i] : 0)
        }
        out.ranked = topK(depth, of: touched) { out.score[Int($0)] ?? -.infinity }
        return out
    }
}

enum Fusion {
    /// Fused article scores (higher is better) for the union of both sides' candidates.
    static func fuse(keyword: SideScores, semantic: SideScores, parameters p: RankingParameters) -> [Int32: Double] {
        var fused: [Int32: Double] = [:]
        switch p.fusion {
        case .rrf:
            for (rank, a) in keyword.ranked.enumerated() { fused[a, default: 0] += p.keywordShare / (p.rrfK + Double(rank + 1)) }
            for (rank, a) in semantic.ranked.enumerated() { fused[a, default: 0] += (1 - p.keywordShare) / (p.rrfK + Double(rank + 1)) }
        case .weighted:
            let kMax = keyword.ranked.first.flatMap { keyword.score[Int($0)] } ?? 1
            let sMax = semantic.ranked.first.flatMap { semantic.score[Int($0)] } ?? 1
            let sMin = semantic.ranked.last.flatMap { semantic.score[Int($0)] } ?? 0
            let sRange = max(sMax - sMin, 1e-9)
            func k(_ a: Int32) -> Double { (keyword.score[Int(a)] ?? 0) / max(kMax, 1e-9) }
            func s(_ a: Int32) -> Double { max(0, ((semantic.score[Int(a)] ?? sMin) - sMin) / sRange) }
            for a in keyword.ranked + semantic.ranked where fused[a] == nil {
                fused[a] = p.keywordShare * k(a) + (1 - p.keywordShare) * s(a)
            }
        }
        return fused
    }
}
