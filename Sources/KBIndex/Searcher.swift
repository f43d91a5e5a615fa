import Foundation
import GRDB
import KBEmbedding
import Synchronization

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

public struct SearchOptions: Sendable {
    public var mode: SearchMode = .hybrid
    public var top = 10
    public var category: String?
    /// Every listed tag must be on the chunk's article.
    public var tags: [String] = []
    public var audience: Audience = .external
    /// Best chunks kept per article hit.
    public var chunksPerHit = 3
    /// Articles (paths) left out as if they were not in the index: the drop-half evaluation.
    public var excludedArticles: Set<String> = []
    /// How hybrid mode combines the two rankings (``FusionRule/chosen`` unless measuring).
    public var fusion: FusionRule = .chosen

    public init(
        mode: SearchMode = .hybrid, top: Int = 10, category: String? = nil, tags: [String] = [],
        audience: Audience = .external
    ) {
        self.mode = mode; self.top = top; self.category = category; self.tags = tags; self.audience = audience
    }
}

/// How hybrid search combines the keyword and the semantic ranking of articles.
public enum FusionRule: Sendable, Equatable {
    /// `α · BM25/best BM25 + (1 − α) · cosine scaled to [0, 1]` over the query's candidates.
    case weightedSum(alpha: Double)
    /// Reciprocal-rank fusion, `1/(60 + keyword rank) + w/(60 + semantic rank)`.
    case reciprocalRank(semanticWeight: Double)

    /// The rule chosen by measurement (docs/ARCHITECTURE.md, "Search quality").
    public static let chosen = FusionRule.weightedSum(alpha: 0.7)
}

/// One article in the results, with its best chunks.
public struct SearchHit: Sendable, Codable {
    public struct ChunkHit: Sendable, Codable {
        public var index: Int
        public var headingPath: String
        public var text: String
        public var keywordScore: Double?
        public var semanticScore: Double?
    }

    public var articlePath: String
    public var title: String
    public var category: String
    public var external: Bool
    /// The fused score used for ranking (mode-dependent scale; higher is better).
    public var score: Double
    /// Best BM25 score of the article's chunks (higher is better), when matched by words.
    public var keywordScore: Double?
    /// Best cosine similarity of the article's chunks to the query.
    public var semanticScore: Double?
    public var keywordRank: Int?
    public var semanticRank: Int?
    public var chunks: [ChunkHit]
    /// Hybrid mode with a fitted answered test (``AnswerDetector``): the probability that this
    /// article is the one that answers the query, and the query's verdict (the probability that
    /// one of its candidates answers it — the sum of their `answerScore` — is at or above the KB's
    /// threshold). `confident` false means "no good match": nothing in the KB answers the query.
    public var answerScore: Double?
    public var confident: Bool?
}

/// Searches one index file. Loads chunk metadata and vectors once (a contiguous float
/// matrix scored with one BLAS product per query), so a process can answer many queries.
/// Immutable once loaded: a different answered test is a new searcher over the same loaded
/// data (``using(detector:)``), so one searcher is shared by threads without locks.
public final class Searcher: Sendable {
    struct ChunkMeta: Sendable {
        var id: Int64
        var article: Int
        var index: Int
        var headingPath: String
        var text: String
        var category: String
        var tags: Set<String>
        var external: Bool
    }

    struct ArticleMeta: Sendable {
        var path: String
        var title: String
        var category: String
        var external: Bool
    }

    /// What the index file holds, read once.
    struct Loaded: Sendable {
        var chunks: [ChunkMeta] = []
        var articles: [ArticleMeta] = []
        var rowOfChunkID: [Int64: Int] = [:]
        /// `chunks.count × dimension`, row i = vector of chunks[i] (zeros if missing).
        var matrix: [Float] = []
        /// Article row by path, and chunk row by article row and chunk index, for the term cache.
        var articleRowOfPath: [String: Int] = [:]
        var chunkRowOfArticleIndex: [Int: Int] = [:]
    }

    /// Content words of each chunk (heading path and text) and article title, computed the first
    /// time the answered test looks at them: the same chunks come back for many questions.
    final class TermCache: Sendable {
        let chunkTerms = Mutex<[Int: Set<String>]>([:])
        let titleTerms = Mutex<[Int: Set<String>]>([:])
    }

    public let path: String
    let db: DatabaseQueue
    let embedder: MiniLMEmbedder?
    let dimension: Int
    let chunks: [ChunkMeta]
    let articles: [ArticleMeta]
    let rowOfChunkID: [Int64: Int]
    /// `chunks.count × dimension`, row i = vector of chunks[i] (zeros if missing).
    let matrix: [Float]
    /// BM25 postings in memory when opened with `keywordIndex: true`.
    let keywordIndex: KeywordIndex?
    /// The KB's answered test, fitted when the index was written (nil in an index written
    /// before it existed, or with too few articles to fit one), or the one given.
    public let detector: AnswerDetector?
    /// Rarity of title words, for the detector's lexical signals.
    public let termWeights: TermWeights
    let articleRowOfPath: [String: Int]
    let chunkRowOfArticleIndex: [Int: Int]
    let terms: TermCache

    /// Opens `path`; `embedder` is needed for semantic and hybrid modes. `keywordIndex` reads
    /// the FTS5 index's postings into memory (about a second per 10,000 chunks), so the keyword
    /// side of many queries is scored here instead of by FTS5 row by row: same BM25 scores,
    /// much faster for a batch (`--queries`, evaluations, gaps); a one-off search does not need it.
    public convenience init(path: String, embedder: MiniLMEmbedder?, keywordIndex: Bool = false) throws {
        try self.init(
            path: path, embedder: embedder, modelHash: embedder?.modelHash ?? "",
            dimension: embedder?.dimension ?? 384, keywordIndex: keywordIndex)
    }

    /// A searcher for callers that bring their own query vectors from `vectorsOf` (the fit of the
    /// answered test at index time): only vectors of that model are loaded.
    convenience init(path: String, vectorsOf model: any TextEmbedder, keywordIndex: Bool = false) throws {
        try self.init(
            path: path, embedder: nil, modelHash: model.modelHash, dimension: model.dimension,
            keywordIndex: keywordIndex)
    }

    private init(path: String, embedder: MiniLMEmbedder?, modelHash: String, dimension: Int, keywordIndex: Bool) throws
    {
        self.path = path
        let db = try IndexDatabase.openForReading(path: path)
        self.db = db
        self.embedder = embedder
        self.dimension = dimension
        let loaded = try Self.load(db: db, model: modelHash, dimension: dimension)
        chunks = loaded.chunks
        articles = loaded.articles
        rowOfChunkID = loaded.rowOfChunkID
        matrix = loaded.matrix
        articleRowOfPath = loaded.articleRowOfPath
        chunkRowOfArticleIndex = loaded.chunkRowOfArticleIndex
        termWeights = TermWeights(titles: loaded.articles.map(\.title))
        detector = try db.read { db in try AnswerCalibration.stored(db) }
        terms = TermCache()
        if keywordIndex {
            let rows = loaded.rowOfChunkID.mapValues { Int32($0) }
            self.keywordIndex = try db.read { db in try KeywordIndex(db, rowOfChunkID: rows, rows: loaded.chunks.count)
            }
        } else {
            self.keywordIndex = nil
        }
    }

    /// The same loaded index judged by `detector` (an evaluation's own fit, or a fit made in
    /// memory for an index written before the answered test was stored).
    public func using(detector: AnswerDetector?) -> Searcher { Searcher(self, detector: detector) }

    private init(_ other: Searcher, detector: AnswerDetector?) {
        path = other.path
        db = other.db
        embedder = other.embedder
        dimension = other.dimension
        chunks = other.chunks
        articles = other.articles
        rowOfChunkID = other.rowOfChunkID
        matrix = other.matrix
        keywordIndex = other.keywordIndex
        termWeights = other.termWeights
        articleRowOfPath = other.articleRowOfPath
        chunkRowOfArticleIndex = other.chunkRowOfArticleIndex
        terms = other.terms
        self.detector = detector
    }

    private static func load(db: DatabaseQueue, model: String, dimension: Int) throws -> Loaded {
        try db.read { db in
            var l = Loaded()
            var articleRow: [Int64: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, path, title, category, external FROM article ORDER BY path")
            {
                articleRow[row["id"]] = l.articles.count
                l.articleRowOfPath[row["path"]] = l.articles.count
                l.articles.append(
                    ArticleMeta(
                        path: row["path"], title: row["title"], category: row["category"], external: row["external"]))
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT chunk.id, chunk.articleId, chunk.idx, chunk.heading_path, chunk.text, chunk.category, chunk.tags,
                           chunk.external, embedding.vector
                    FROM chunk LEFT JOIN embedding ON embedding.text_hash = chunk.text_hash AND embedding.model_hash = ?
                    ORDER BY chunk.id
                    """, arguments: [model])
            l.matrix = [Float](repeating: 0, count: rows.count * dimension)
            for (i, row) in rows.enumerated() {
                let id: Int64 = row["id"]
                l.rowOfChunkID[id] = i
                l.chunkRowOfArticleIndex[(articleRow[row["articleId"]] ?? 0) << 20 | Int(row["idx"] as Int)] = i
                l.chunks.append(
                    ChunkMeta(
                        id: id, article: articleRow[row["articleId"]] ?? 0, index: row["idx"],
                        headingPath: row["heading_path"], text: row["text"], category: row["category"],
                        tags: Set(JSONList.decode(row["tags"])), external: row["external"]))
                if let blob: Data = row["vector"], blob.count == dimension * 4 {
                    blob.withUnsafeBytes { raw in
                        let src = raw.bindMemory(to: Float.self)
                        for c in 0..<dimension { l.matrix[i * dimension + c] = src[c] }
                    }
                }
            }
            return l
        }
    }

    /// Number of chunks searched.
    public var chunkCount: Int { chunks.count }

    /// Whether chunk `i` passes the audience, category and tag filters. Reads the fields in
    /// place: copying a `ChunkMeta` per chunk per query would retain its strings each time.
    func allowed(_ i: Int, _ o: SearchOptions) -> Bool {
        switch o.audience {
        case .external: if !chunks[i].external { return false }
        case .internal: if chunks[i].external { return false }
        case .all: break
        }
        if !o.excludedArticles.isEmpty, o.excludedArticles.contains(articles[chunks[i].article].path) { return false }
        if let cat = o.category, chunks[i].category.caseInsensitiveCompare(cat) != .orderedSame { return false }
        for t in o.tags where !chunks[i].tags.contains(where: { $0.caseInsensitiveCompare(t) == .orderedSame }) {
            return false
        }
        return true
    }

    /// Ranked article hits for `query` (embedded here when the mode needs meaning).
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let vector = options.mode == .keyword ? [] : try embedder.map { try $0.embed([query])[0] } ?? []
        return try search(query, vector: vector, options: options)
    }

    func keywordChunks(
        _ query: String, _ o: SearchOptions, limit: Int, mask: [Bool]? = nil
    ) throws -> [(chunk: Int, score: Double)] {
        if let keywordIndex {
            let terms = try db.read { db in try KeywordIndex.terms(query, dropStopwords: true, db: db) }
            let (score, rows) = keywordIndex.scores(
                terms: terms, weights: (FTSQuery.titleWeight, FTSQuery.headingWeight, 1.0))
            var matched: [(Int, Double)] = []
            matched.reserveCapacity(rows.count)
            for r in rows {
                let i = Int(r)
                if mask.map({ $0[i] }) ?? allowed(i, o) { matched.append((i, score[i])) }
            }
            return TopK.best(matched, limit: limit)
        }
        guard let match = FTSQuery.match(query) else { return [] }
        let rows = try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT rowid, bm25(chunk_fts, \(FTSQuery.titleWeight), \(FTSQuery.headingWeight), 1.0) AS s
                    FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY s LIMIT ?
                    """, arguments: [match, limit * 2])
        }
        var out: [(Int, Double)] = []
        for row in rows {
            guard let i = rowOfChunkID[row["rowid"]], allowed(i, o) else { continue }
            out.append((i, -(row["s"] as Double)))
            if out.count >= limit { break }
        }
        return out
    }

    /// The `limit` best chunks by cosine to `q` (one BLAS product over all chunks).
    func semanticChunks(vector q: [Float], _ o: SearchOptions, limit: Int) -> [(chunk: Int, score: Double)] {
        guard !chunks.isEmpty, q.count == dimension else { return [] }
        var scores = [Float](repeating: 0, count: chunks.count)
        matrix.withUnsafeBufferPointer { m in
            q.withUnsafeBufferPointer { qp in
                scores.withUnsafeMutableBufferPointer { s in
                    VectorProducts.dots(
                        m.baseAddress!, rows: chunks.count, with: qp.baseAddress!, dimension: dimension,
                        into: s.baseAddress!)
                }
            }
        }
        return scores.withUnsafeBufferPointer { topChunks(scores: $0, o, limit: limit) }
    }

    /// The `limit` best allowed chunks by `scores` (one per chunk).
    func topChunks(
        scores: UnsafeBufferPointer<Float>, _ o: SearchOptions, limit: Int, mask: [Bool]? = nil
    ) -> [(chunk: Int, score: Double)] {
        // The limit-th best allowed score by a selection over plain floats, then only the
        // chunks at or above it become candidates.
        var values: [Float] = []
        values.reserveCapacity(chunks.count)
        for i in 0..<chunks.count where mask.map({ $0[i] }) ?? allowed(i, o) { values.append(scores[i]) }
        let threshold = values.count > limit && limit > 0 ? Double(TopK.kthLargest(&values, limit)) : -Double.infinity
        var candidates: [(Int, Double)] = []
        for i in 0..<chunks.count where Double(scores[i]) >= threshold && (mask.map({ $0[i] }) ?? allowed(i, o)) {
            candidates.append((i, Double(scores[i])))
        }
        return TopK.best(candidates, limit: limit)
    }

    /// `allowed(i, o)` for every chunk, computed once for a batch of queries.
    func allowedMask(_ o: SearchOptions) -> [Bool] {
        (0..<chunks.count).map { allowed($0, o) }
    }
}

/// The best `limit` of (index, score) pairs, best first, ties by lower index: a threshold
/// from a partial selection, then a sort of only what passes it.
enum TopK {
    /// The `k`-th largest of `values` (reordered in place), `k` ≥ 1: quickselect.
    static func kthLargest<T: Comparable>(_ values: inout [T], _ k: Int) -> T {
        let target = values.count - k
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let pivot = values[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { hi = j } else if target >= i { lo = i } else { break }
        }
        return values[target]
    }

    static func best(_ items: [(Int, Double)], limit: Int) -> [(chunk: Int, score: Double)] {
        var kept = items
        if items.count > limit, limit > 0 {
            var values = items.map(\.1)
            let threshold = kthLargest(&values, limit)
            kept = items.filter { $0.1 >= threshold }
        }
        kept.sort { ($0.1, $1.0) > ($1.1, $0.0) }
        return kept.prefix(max(limit, 0)).map { ($0.0, $0.1) }
    }
}
