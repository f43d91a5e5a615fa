import Foundation
import KBEmbedding
import KBSupport

/// Restarts of the refinement (``ClusteringOptions/seedRestarts``): the average-linkage cut decides
/// how many topics there are, but its centroids are one starting point of k-means among many, and
/// the chaining of the tree often leaves it in a poor local optimum. The same number of topics is
/// also seeded by k-means++ on the smoothed vectors (fixed seeds, so runs repeat), each start is
/// refined and merged the same way, and the partition whose questions lie closest to their
/// topics' centres (the spherical k-means objective on the smoothed vectors) is kept. Nothing is
/// fitted to labels: the objective is the one k-means itself minimises.
extension TopicClusterer {
    /// The best of the linkage-seeded `refined` partition and `restarts` k-means++ starts.
    static func bestOfRestarts(
        refined: [Int], restarts: Int, vectors: [Float], smoothed: [Float]?, count n: Int,
        dimension dim: Int, threshold: Double
    ) -> [Int] {
        let space = smoothed ?? vectors
        let k = Set(refined.filter { $0 >= 0 }).count
        guard restarts > 0, k > 1, n > k else { return refined }
        var best = refined
        var bestObjective = objective(assignment: refined, vectors: space, count: n, dimension: dim)
        for r in 0..<restarts {
            var rng = SplitMix(seed: UInt64(r + 1))
            let seeds = kMeansPlusPlus(space, count: n, dimension: dim, k: k, rng: &rng)
            var assignment = nearest(space, count: n, dimension: dim, centres: seeds)
            assignment = refine(
                assignment: assignment, vectors: vectors, smoothed: smoothed, count: n, dimension: dim,
                threshold: threshold)
            assignment = mergeTopics(assignment: assignment, vectors: vectors, count: n, dimension: dim)
            let o = objective(assignment: assignment, vectors: space, count: n, dimension: dim)
            if o > bestObjective { best = assignment; bestObjective = o }
        }
        return best
    }

    /// Sum over all questions of the cosine to the nearest topic centre (outliers included, so
    /// partitions with different outliers compare on the same questions).
    static func objective(assignment: [Int], vectors: [Float], count n: Int, dimension dim: Int) -> Double {
        let k = (assignment.max() ?? -1) + 1
        guard k > 0 else { return -.infinity }
        let centres = centroidsOf(assignment: assignment, topics: k, vectors: vectors, dimension: dim).flatMap { $0 }
        let scores = products(vectors, count: n, centres, k, dimension: dim)
        var total = 0.0
        for i in 0..<n { total += Double((0..<k).reduce(-Float.infinity) { max($0, scores[i * k + $1]) }) }
        return total
    }

    /// Each row's most similar centre.
    static func nearest(_ x: [Float], count n: Int, dimension dim: Int, centres: [Float]) -> [Int] {
        let k = centres.count / dim
        let scores = products(x, count: n, centres, k, dimension: dim)
        return (0..<n).map { i in
            var best = 0
            for t in 1..<max(k, 1) where scores[i * k + t] > scores[i * k + best] { best = t }
            return best
        }
    }

    /// `k` centres chosen by greedy k-means++ (each new centre the best of 2 + ln k candidates drawn
    /// by squared distance to the nearest centre so far), as rows of unit vectors.
    static func kMeansPlusPlus(
        _ x: [Float], count n: Int, dimension dim: Int, k: Int,
        rng: inout SplitMix
    ) -> [Float] {
        var centres = [Float]()
        centres.reserveCapacity(k * dim)
        let first = Int.random(in: 0..<n, using: &rng)
        centres += x[first * dim..<(first + 1) * dim]
        // Squared Euclidean distance of unit vectors: 2 − 2 cos.
        var d2 = products(x, count: n, Array(centres), 1, dimension: dim).map { max(0, 2 - 2 * Double($0)) }
        let tries = 2 + Int(log(Double(k)))
        for _ in 1..<k {
            let total = d2.reduce(0, +)
            guard total > 0 else { break }
            var candidates = [Int]()
            for _ in 0..<tries {
                var target = Double.random(in: 0..<total, using: &rng), pick = n - 1
                for i in 0..<n { target -= d2[i]; if target < 0 { pick = i; break } }
                candidates.append(pick)
            }
            let rows = candidates.flatMap { x[$0 * dim..<($0 + 1) * dim] }
            let s = products(x, count: n, rows, candidates.count, dimension: dim)
            var bestTry = 0, bestPotential = Double.infinity, bestD2 = d2
            for c in candidates.indices {
                var potential = 0.0
                var next = d2
                for i in 0..<n {
                    next[i] = min(d2[i], max(0, 2 - 2 * Double(s[i * candidates.count + c])))
                    potential += next[i]
                }
                if potential < bestPotential { bestPotential = potential; bestTry = c; bestD2 = next }
            }
            centres += x[candidates[bestTry] * dim..<(candidates[bestTry] + 1) * dim]
            d2 = bestD2
        }
        return centres
    }

    /// `x (n × dim) · cᵀ (dim × k)`, row-major `n × k`.
    static func products(_ x: [Float], count n: Int, _ c: [Float], _ k: Int, dimension dim: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n * k)
        x.withUnsafeBufferPointer { xp in
            c.withUnsafeBufferPointer { cp in
                out.withUnsafeMutableBufferPointer { op in
                    VectorProducts.dots(
                        xp.baseAddress!, rows: n, cp.baseAddress!, count: k, dimension: dim, into: op.baseAddress!)
                }
            }
        }
        return out
    }
}
