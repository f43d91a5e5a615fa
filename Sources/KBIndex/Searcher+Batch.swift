import COpenBLAS
import Foundation

extension Searcher {
    /// Ranked hits for many queries whose vectors are already known (`kb gaps`, the
    /// evaluations): the same ranking as ``search(_:vector:options:)``, but the semantic
    /// scores of a block of 64 queries come from one `sgemm`, so the chunk matrix is read
    /// once per block instead of once per query, and blocks are shared between two threads.
    public func searchBatch(_ queries: [String], vectors: [[Float]], options: SearchOptions = SearchOptions()) throws -> [[SearchHit]] {
        precondition(queries.count == vectors.count, "one vector per query")
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
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(m), Int32(d), 1,
                                            qp.baseAddress!, Int32(d), mp.baseAddress!, Int32(d), 0, sp.baseAddress!, Int32(m))
                            }
                        }
                    }
                }
                for (r, i) in rows.enumerated() {
                    do {
                        guard !queries[i].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
                        let keyword = options.mode != .semantic ? try keywordChunks(queries[i], options, limit: depth, mask: mask) : []
                        let semantic = options.mode != .keyword && vectors[i].count == d
                            ? scores.withUnsafeBufferPointer { topChunks(scores: UnsafeBufferPointer(rebasing: $0[(r * m)..<((r + 1) * m)]), options, limit: depth, mask: mask) }
                            : []
                        out[i] = Fusion.hits(keyword: keyword, semantic: semantic, mode: options.mode, searcher: self, options: options)
                    } catch {
                        failure.record(error)
                    }
                }
            }
            let next = BlockCounter()
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

/// The first error thrown by any worker.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func record(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

/// Hands out block numbers to workers.
final class BlockCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}
