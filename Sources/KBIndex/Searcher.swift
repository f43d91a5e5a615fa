import Foundation
import KBEmbedding

/// How to rank: words (FTS5 BM25), meaning (vector cosine) or both fused.
public enum SearchMode: String, Sendable, CaseIterable, Codable {
    case hybrid, keyword, semantic
}

/// Who may see a result.
public enum Audience: String, Sendable, CaseIterable, Codable {
    /// Customer-facing articles only (the default: internal articles never leak).
    case external
    case `internal`
    case all
}

/// What to search for and how.
public struct SearchOptions: Sendable {
    public var mode: SearchMode = .hybrid
    /// Number of article hits returned.
    public var top = 10
    /// Only articles of this category (case-insensitive).
    public var category: String?
    /// Every listed tag must be on the article (case-insensitive).
    public var tags: [String] = []
    public var audience: Audience = .external
    /// Best chunks kept per article hit.
    public var chunksPerHit = 3

    public init(mode: SearchMode = .hybrid, top: Int = 10, category: String? = nil, tags: [String] = [],
                audience: Audience = .external, chunksPerHit: Int = 3) {
        self.mode = mode; self.top = top; self.category = category; self.tags = tags
        self.audience = audience; self.chunksPerHit = chunksPerHit
    }
}

/// One article in the results, with its best chunks. Encoded with snake-case keys by
/// `kb search --json`; these fields are stable.
public struct SearchHit: Sendable, Codable, Equatable {
    public struct ChunkHit: Sendable, Codable, Equatable {
        /// Position of the chunk in its article.
        public var index: Int
        /// `Title > Section > Sub`.
        public var headingPath: String
        /// Markdown source of the chunk.
        public var text: String
        /// BM25 of the chunk (higher is better), when it matched the words.
        public var keywordScore: Double?
        /// Cosine similarity of the chunk to the query.
        public var semanticScore: Double?
    }

    public var articlePath: String
    public var title: String
    public var category: String
    public var external: Bool
    /// The ranking score (mode-dependent scale; higher is better).
    public var score: Double
    /// The article's keyword score (best chunk BM25), when matched by words.
    public var keywordScore: Double?
    /// The article's semantic score (best chunk cosine).
    public var semanticScore: Double?
    /// 1-based rank of the article on each side, when among its candidates.
    public var keywordRank: Int?
    public var semanticRank: Int?
    public var chunks: [ChunkHit]
}

/// Searches one index file. Chunk metadata and vectors are loaded once into memory (a
/// contiguous float matrix scored with one BLAS product per query), so one process can
/// answer many queries; FTS5 answers the keyword side.
public final class Searcher: Sendable {
    public let path: String
    let store: IndexStore
    let embedder: (any TextEmbedder)?
    let corpus: Corpus
    let articleChunks: [[Int32]]
    let externalMask: [Bool]
    public let parameters: RankingParameters

    /// Opens `path`; `embedder` is needed for the semantic and hybrid modes.
    public init(path: String, embedder: (any TextEmbedder)?, parameters: RankingParameters = RankingParameters()) throws {
        self.path = path
        self.store = try IndexStore.forReading(path: path)
        self.embedder = embedder
        self.parameters = parameters
        corpus = try store.loadCorpus(model: embedder?.modelHash ?? "", dimension: embedder?.dimension ?? 384)
        articleChunks = corpus.chunksByArticle()
        externalMask = corpus.articles.map(\.external)
    }

    private init(_ other: Searcher, parameters: RankingParameters) {
        path = other.path; store = other.store; embedder = other.embedder; corpus = other.corpus
        articleChunks = other.articleChunks; externalMask = other.externalMask; self.parameters = parameters
    }

    /// The same index and model with other ranking parameters (nothing is loaded again).
    public func with(parameters: RankingParameters) -> Searcher { Searcher(self, parameters: parameters) }

    /// Number of chunks and articles searched.
    public var chunkCount: Int { corpus.chunks.count }
    public var articleCount: Int { corpus.articles.count }
    /// Chunks without a vector for the embedder's model (searched by words only).
    public var chunksWithoutVector: Int { corpus.missingVectors }

    /// Ranked article hits for `query`.
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let vector = options.mode == .keyword ? nil : try queryVector(query)
        return try search(query, vector: vector, options: options)
    }

    /// The query's embedding (`nil` without an embedder).
    public func queryVector(_ query: String) throws -> [Float]? {
        guard let embedder else { return nil }
        return try embedder.embed([query]).first
    }

    /// Embeddings of many queries in one batch (`nil`s without an embedder).
    public func queryVectors(_ queries: [String]) throws -> [[Float]?] {
        guard let embedder else { return Array(repeating: nil, count: queries.count) }
        return try embedder.embed(queries)
    }

    /// Ranked hits for `query` whose embedding `vector` the caller already computed
    /// (evaluations and `kb gaps` embed their questions in one batch); same ranking as
    /// ``search(_:options:)``.
    public func search(_ query: String, vector: [Float]?, options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let p = parameters
        let allowed = allowedArticles(options)
        var keywordChunks: [Double] = []
        var keyword = SideScores(articles: corpus.articles.count)
        if options.mode != .semantic {
            let terms = try store.terms(query, dropStopwords: p.dropStopwords)
            let (score, rows) = corpus.keyword.scores(terms: terms, weights: (p.titleWeight, p.headingWeight, p.bodyWeight))
            keywordChunks = score
            keyword = SideScores.aggregate(rows: rows, score: { score[$0] }, corpus: corpus, allowed: allowed,
                                           secondShare: p.secondChunkShare, depth: p.fusionDepth)
        }
        var chunkCosine: [Float] = []
        var semantic = SideScores(articles: corpus.articles.count)
        if options.mode != .keyword, let vector {
            chunkCosine = VectorMatrix.scores(matrix: corpus.matrix, rows: corpus.chunks.count, dimension: corpus.dimension, query: vector)
            let cosine = chunkCosine
            semantic = SideScores.aggregate(rows: nil, score: { Double(cosine[$0]) }, corpus: corpus, allowed: allowed,
                                            secondShare: p.secondChunkShare, depth: p.fusionDepth)
        }
        let scored: [Int32: Double]
        switch options.mode {
        case .keyword: scored = Dictionary(uniqueKeysWithValues: keyword.ranked.map { ($0, keyword.score[Int($0)] ?? 0) })
        case .semantic: scored = Dictionary(uniqueKeysWithValues: semantic.ranked.map { ($0, semantic.score[Int($0)] ?? 0) })
        case .hybrid: scored = Fusion.fuse(keyword: keyword, semantic: semantic, parameters: p)
        }
        let top = topK(options.top, of: Array(scored.keys)) { scored[$0] ?? 0 }
        let keywordRank = Dictionary(uniqueKeysWithValues: keyword.ranked.enumerated().map { ($1, $0 + 1) })
        let semanticRank = Dictionary(uniqueKeysWithValues: semantic.ranked.enumerated().map { ($1, $0 + 1) })
        return top.map { a in
            let article = corpus.articles[Int(a)]
            return SearchHit(
                articlePath: article.path, title: article.title, category: article.category, external: article.external,
                score: scored[a] ?? 0, keywordScore: keyword.score[Int(a)], semanticScore: semantic.score[Int(a)],
                keywordRank: keywordRank[a], semanticRank: semanticRank[a],
                chunks: bestChunks(of: a, keyword: keywordChunks, cosine: chunkCosine, mode: options.mode, count: options.chunksPerHit))
        }
    }

    /// The article's chunks ordered by the mode's chunk score (keyword: BM25; semantic:
    /// cosine; hybrid: cosine plus the chunk's BM25 relative to the article's best).
    private func bestChunks(of article: Int32, keyword: [Double], cosine: [Float], mode: SearchMode, count: Int) -> [SearchHit.ChunkHit] {
        let rows = articleChunks[Int(article)]
        func bm25(_ r: Int32) -> Double? { keyword.isEmpty || keyword[Int(r)] == 0 ? nil : keyword[Int(r)] }
        let kBest = rows.compactMap(bm25).max() ?? 1
        func score(_ r: Int32) -> Double {
            let k = bm25(r).map { $0 / max(kBest, 1e-9) }
            let s = cosine.isEmpty ? nil : Double(cosine[Int(r)])
            switch mode {
            case .keyword: return k ?? -1
            case .semantic: return s ?? -1
            case .hybrid: return (s ?? 0) + 0.5 * (k ?? 0)
            }
        }
        return topK(count, of: rows, score: score).map { r in
            let c = corpus.chunks[Int(r)]
            return SearchHit.ChunkHit(index: c.index, headingPath: c.headingPath, text: c.text,
                                      keywordScore: bm25(r), semanticScore: cosine.isEmpty ? nil : Double(cosine[Int(r)]))
        }
    }

    /// Articles the filters let through (filters apply to both sides).
    private func allowedArticles(_ o: SearchOptions) -> [Bool] {
        if o.category == nil, o.tags.isEmpty {
            switch o.audience {
            case .external: return externalMask
            case .all: return Array(repeating: true, count: corpus.articles.count)
            case .internal: return externalMask.map { !$0 }
            }
        }
        let category = o.category?.lowercased()
        let tags = o.tags.map { $0.lowercased() }
        return corpus.articles.map { a in
            switch o.audience {
            case .external: if !a.external { return false }
            case .internal: if a.external { return false }
            case .all: break
            }
            if let category, a.category.lowercased() != category { return false }
            let own = Set(a.tags.map { $0.lowercased() })
            return tags.allSatisfy(own.contains)
        }
    }
}
