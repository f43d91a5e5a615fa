import Foundation
import KBEmbedding
import KBSupport

extension Searcher {
    /// Ranked hits for many queries whose vectors are already known (`kb gaps`, the
    /// evaluations): the same ranking as ``search(_:vector:options:)``, but the semantic
    /// scores of a block of 64 queries come from one `sgemm`, so the chunk matrix is read
    /// once per block instead of once per query, and blocks are shared between two threads.
    public func searchBatch(
        _ queries: [String], vectors: [[Float]], options: SearchOptions = SearchOptions()
    ) throws -> [[SearchHit]] {
        try searchBatch(queries, vectors: vectors, options: options, exclusions: nil)
    }

    /// The same, with chunks and articles left out per query (the answered test's
    /// pseudo-questions: their own chunk, or their whole article). `judge` false skips the
    /// answered test's verdicts (the fit that makes the test uses this).
    func searchBatch(
        _ queries: [String], vectors: [[Float]], options requested: SearchOptions,
        exclusions: [SearchExclusion]?, judge: Bool = true
    ) throws -> [[SearchHit]] {
        precondition(queries.count == vectors.count, "one vector per query")
        precondition(exclusions.map { $0.count == queries.count } ?? true, "one exclusion per query")
        let options = judge ? judgedOptions(requested) : requested
        let n = queries.count, m = chunks.count, d = dimension
        guard n > 0 else { return [] }
        let block = 64
        let blocks = (n + block - 1) / block
        var results = [[SearchHit]](repeating: [], count: n)
        let failure = FirstError()
        let depth = max(100, options.top * 20)
        let mask = allowedMask(options)
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            // One score buffer per worker, reused for every block (a fresh 3 MB buffer per
            // block cost more in page clearing than the product itself).
            let work: @Sendable (Int, inout [Float]) -> Void = { [self] b, scores in
                let rows = (b * block)..<min(n, (b + 1) * block)
                if options.mode != .keyword, m > 0 {
                    var q = [Float](repeating: 0, count: rows.count * d)
                    for (r, i) in rows.enumerated() where vectors[i].count == d {
                        for k in 0..<d { q[r * d + k] = vectors[i][k] }
                    }
                    q.withUnsafeBufferPointer { qp in
                        matrix.withUnsafeBufferPointer { mp in
                            scores.withUnsafeMutableBufferPointer { sp in
                                VectorProducts.dots(
                                    qp.baseAddress!, rows: rows.count, mp.baseAddress!, count: m, dimension: d,
                                    into: sp.baseAddress!)
                            }
                        }
                    }
                }
                for (r, i) in rows.enumerated() {
                    do {
                        guard !queries[i].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                            throw IndexError.emptyQuery
                        }
                        var keyword =
                            options.mode != .semantic
                            ? try keywordChunks(queries[i], options, limit: depth, mask: mask) : []
                        var semantic =
                            options.mode != .keyword && vectors[i].count == d
                            ? scores.withUnsafeBufferPointer {
                                topChunks(
                                    scores: UnsafeBufferPointer(rebasing: $0[(r * m)..<((r + 1) * m)]), options,
                                    limit: depth, mask: mask)
                            }
                            : []
                        if let x = exclusions?[i] {
                            keyword.removeAll { x.excludes($0.chunk, article: chunks[$0.chunk].article) }
                            semantic.removeAll { x.excludes($0.chunk, article: chunks[$0.chunk].article) }
                        }
                        let hits = Fusion.hits(
                            keyword: keyword, semantic: semantic, mode: options.mode, searcher: self, options: options)
                        out[i] = judge ? judged(queries[i], hits, requested) : hits
                    } catch {
                        failure.record(error)
                    }
                }
            }
            let next = WorkCounter()
            DispatchQueue.concurrentPerform(iterations: min(2, blocks)) { _ in
                var scores = [Float](repeating: 0, count: block * max(m, 1))
                while true {
                    let b = next.take()
                    if b >= blocks { break }
                    work(b, &scores)
                }
            }
        }
        if let error = failure.error { throw error }
        return results
    }
}

/// What one query of a batch must not see: one chunk (row) and/or whole articles (rows).
struct SearchExclusion: Sendable {
    var chunk: Int?
    var articles: Set<Int> = []

    func excludes(_ chunkRow: Int, article: Int) -> Bool { chunkRow == chunk || articles.contains(article) }
}
