import COpenBLAS
import Foundation

extension Searcher {
    /// Ranked article hits for `query` whose embedding `vector` the caller already computed
    /// (batch-embedded questions, e.g. `kb gaps`); same ranking as ``search(_:options:)``.
    public func search(_ query: String, vector: [Float], options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let depth = max(100, options.top * 20)
        let keyword = options.mode != .semantic ? try keywordChunks(query, options, limit: depth) : []
        let semantic = options.mode != .keyword ? semanticChunks(vector: vector, options, limit: depth) : []
        return Fusion.hits(keyword: keyword, semantic: semantic, mode: options.mode, searcher: self, options: options)
    }

    func semanticChunks(vector q: [Float], _ o: SearchOptions, limit: Int) -> [(chunk: Int, score: Double)] {
        guard !chunks.isEmpty, q.count == dimension else { return [] }
        var scores = [Float](repeating: 0, count: chunks.count)
        matrix.withUnsafeBufferPointer { m in
            q.withUnsafeBufferPointer { qp in
                scores.withUnsafeMutableBufferPointer { s in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(chunks.count), Int32(dimension), 1,
                                m.baseAddress!, Int32(dimension), qp.baseAddress!, 1, 0, s.baseAddress!, 1)
                }
            }
        }
        var candidates: [(chunk: Int, score: Double)] = []
        for i in 0..<chunks.count where allowed(chunks[i], o) { candidates.append((i, Double(scores[i]))) }
        candidates.sort { $0.score > $1.score }
        if candidates.count > limit { candidates.removeLast(candidates.count - limit) }
        return candidates
    }
}
