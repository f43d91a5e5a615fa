import COpenBLAS
import Foundation

/// What search keeps in memory for one index file, loaded once per process.
struct Corpus: Sendable {
    struct Article: Sendable {
        var path: String
        var title: String
        var category: String
        var tags: [String]
        var external: Bool
    }

    struct Chunk: Sendable {
        var id: Int64
        /// Position in `articles`.
        var article: Int32
        var index: Int
        var headingPath: String
        var text: String
    }

    let dimension: Int
    var articles: [Article] = []
    var chunks: [Chunk] = []
    var rowOfChunkID: [Int64: Int32] = [:]
    /// `chunks.count × dimension` floats, row-major: row i is the vector of `chunks[i]`.
    var matrix: [Float] = []
    /// Chunks whose vector was not in the cache (their row is zeros).
    var missingVectors = 0
    /// BM25 postings of the chunks, read from the FTS5 index.
    var keyword = KeywordIndex()

    init(dimension: Int) { self.dimension = dimension }

    /// Rows of each article's chunks, in chunk order.
    func chunksByArticle() -> [[Int32]] {
        var out = [[Int32]](repeating: [], count: articles.count)
        for (i, c) in chunks.enumerated() { out[Int(c.article)].append(Int32(i)) }
        return out
    }
}

/// Exact vector search: one BLAS matrix-vector product scores every chunk.
///
/// At 384 dimensions the matrix is 1.5 kB per chunk; a product over 13,500 chunks reads
/// 20 MB and takes about a millisecond on one core, so exact search stays the fastest
/// choice up to a few hundred thousand chunks (see docs/ARCHITECTURE.md).
enum VectorMatrix {
    /// Cosine similarity of `query` (unit length) with every row of `matrix`.
    static func scores(matrix: [Float], rows: Int, dimension: Int, query: [Float]) -> [Float] {
        precondition(query.count == dimension, "query vector has \(query.count) values, the index \(dimension)")
        guard rows > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: rows) { out, initialized in
            matrix.withUnsafeBufferPointer { m in
                query.withUnsafeBufferPointer { q in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension), 1,
                                m.baseAddress!, Int32(dimension), q.baseAddress!, 1, 0, out.baseAddress!, 1)
                }
            }
            initialized = rows
        }
    }
}

/// Indices of the `k` largest values of `score` over `candidates`, best first (ties: lower index first).
func topK(_ k: Int, of candidates: [Int32], score: (Int32) -> Double) -> [Int32] {
    guard k > 0, !candidates.isEmpty else { return [] }
    if candidates.count <= k * 4 {
        return Array(candidates.sorted { (score($0), $1) > (score($1), $0) }.prefix(k))
    }
    // Keep a small sorted buffer: cheap when k is much smaller than the candidates.
    var best: [(Double, Int32)] = []
    best.reserveCapacity(k + 1)
    for c in candidates {
        let s = score(c)
        if best.count == k, let last = best.last, !(s > last.0 || (s == last.0 && c < last.1)) { continue }
        var lo = 0, hi = best.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if best[mid].0 > s || (best[mid].0 == s && best[mid].1 < c) { lo = mid + 1 } else { hi = mid }
        }
        best.insert((s, c), at: lo)
        if best.count > k { best.removeLast() }
    }
    return best.map(\.1)
}
