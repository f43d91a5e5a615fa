import Foundation
import KBEmbedding
import KBSupport

/// The stages ``ClusteringOptions/gapTopics`` adds to the average-linkage cut: a background
/// measured between groups, spherical k-means refinement and merging of near-duplicate topics.
/// Every threshold is the one the data gave; nothing here is fitted to labels.
extension TopicClusterer {
    /// Repeats the cut with the background of the pairs that lie in different groups of the
    /// current cut, until the threshold moves by less than 1e-4 (at most 20 rounds). Returns the
    /// final groups, threshold and background.
    static func settleBetweenGroups(
        merges: [(Int, Int, Float)], groups: [Int], threshold: Double, vectors: [Float],
        count n: Int, dimension dim: Int, options: ClusteringOptions,
        allPairs: (mean: Double, std: Double)
    )
        -> (groups: [Int], threshold: Double, mean: Double, std: Double)
    {
        let total = pairSums(members: Array(0..<n), vectors: vectors, dimension: dim)
        var groups = groups, threshold = threshold, background = allPairs
        for _ in 0..<20 {
            var sum = total.sum, squares = total.squares, pairs = total.pairs
            var byGroup = [Int: [Int]]()
            for (i, g) in groups.enumerated() { byGroup[g, default: []].append(i) }
            for members in byGroup.values where members.count > 1 {
                let within = pairSums(members: members, vectors: vectors, dimension: dim)
                sum -= within.sum; squares -= within.squares; pairs -= within.pairs
            }
            guard pairs >= 1 else { break }  // one group holds everything: nothing to compare with
            let mean = sum / pairs
            let std = sqrt(max(0, squares / pairs - mean * mean))
            let next = min(options.maximumThreshold, mean + options.backgroundZ * std)
            background = (mean, std)
            if abs(next - threshold) < 1e-4 { break }
            threshold = next
            groups = cut(merges: merges, count: n, maxDistance: 1 - threshold)
        }
        return (groups, threshold, background.mean, background.std)
    }

    /// Sum, sum of squares and number of the cosine similarities of all unordered pairs of
    /// `members`: directly for small groups, else from their Gram matrix (`sgemm`; the smaller of
    /// `m×m` and `d×d`).
    static func pairSums(
        members: [Int], vectors: [Float], dimension dim: Int
    ) -> (sum: Double, squares: Double, pairs: Double) {
        let m = members.count
        guard m > 1 else { return (0, 0, 0) }
        let pairs = Double(m * (m - 1) / 2)
        // Small groups (most of them): the pairs directly; a BLAS call per group costs more.
        if m <= 64 {
            var sum = 0.0, squares = 0.0
            vectors.withUnsafeBufferPointer { v in
                for a in 0..<m {
                    let x = v.baseAddress! + members[a] * dim
                    for b in (a + 1)..<m {
                        let y = v.baseAddress! + members[b] * dim
                        var s: Float = 0
                        for k in 0..<dim { s += x[k] * y[k] }
                        sum += Double(s); squares += Double(s) * Double(s)
                    }
                }
            }
            return (sum, squares, pairs)
        }
        var rows = [Float](repeating: 0, count: m * dim)
        var total = [Double](repeating: 0, count: dim)
        var norms = 0.0, squaredNorms = 0.0
        for (r, i) in members.enumerated() {
            var q = 0.0
            for k in 0..<dim {
                let x = vectors[i * dim + k]
                rows[r * dim + k] = x
                total[k] += Double(x)
                q += Double(x) * Double(x)
            }
            norms += q; squaredNorms += q * q
        }
        let side = min(m, dim)
        var gram = [Float](repeating: 0, count: side * side)
        rows.withUnsafeBufferPointer { x in
            gram.withUnsafeMutableBufferPointer { g in
                if m <= dim {  // X Xᵀ
                    VectorProducts.dots(
                        x.baseAddress!, rows: m, x.baseAddress!, count: m, dimension: dim, into: g.baseAddress!)
                } else {  // Xᵀ X: same Frobenius norm
                    VectorProducts.gram(columnsOf: x.baseAddress!, rows: m, dimension: dim, into: g.baseAddress!)
                }
            }
        }
        let frobenius = gram.reduce(0.0) { $0 + Double($1) * Double($1) }
        let sumAll = total.reduce(0) { $0 + $1 * $1 }
        return ((sumAll - norms) / 2, (frobenius - squaredNorms) / 2, pairs)
    }

    /// Each vector averaged with its `neighbours` nearest others and re-normalised (`nil` when
    /// smoothing is off).
    static func smoothed(
        _ vectors: [Float], count n: Int, dimension dim: Int, nearest: [Int], neighbours: Int
    ) -> [Float]? {
        let k = min(neighbours, n - 1)
        guard k > 0, nearest.count == n * k else { return nil }
        var out = [Float](repeating: 0, count: n * dim)
        vectors.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<n {
                    let row = o.baseAddress! + i * dim
                    for j in [i] + nearest[i * k..<(i + 1) * k] {
                        let x = v.baseAddress! + j * dim
                        for d in 0..<dim { row[d] += x[d] }
                    }
                    var norm: Float = 0
                    for d in 0..<dim { norm += row[d] * row[d] }
                    norm = norm.squareRoot()
                    if norm > 0 { for d in 0..<dim { row[d] /= norm } }
                }
            }
        }
        return out
    }

    /// Spherical k-means from the current topics: each question moves to the topic whose
    /// centroid it is most similar to — on the smoothed vectors when given — if its own vector
    /// passes `threshold` against that topic's centroid (else it is an outlier); centroids are
    /// recomputed, until nothing moves (at most 50 rounds).
    static func refine(
        assignment: [Int], vectors: [Float], smoothed: [Float]? = nil, count n: Int, dimension dim: Int,
        threshold: Double
    ) -> [Int] {
        var assignment = assignment
        let k = (assignment.max() ?? -1) + 1
        guard k > 0 else { return assignment }
        let moving = smoothed ?? vectors
        var scores = [Float](repeating: 0, count: n * k)
        for _ in 0..<50 {
            let own = centroidsOf(assignment: assignment, topics: k, vectors: vectors, dimension: dim)
            let centroids =
                smoothed == nil
                ? own.flatMap { $0 }
                : centroidsOf(assignment: assignment, topics: k, vectors: moving, dimension: dim).flatMap { $0 }
            moving.withUnsafeBufferPointer { x in
                centroids.withUnsafeBufferPointer { c in
                    scores.withUnsafeMutableBufferPointer { s in
                        VectorProducts.dots(
                            x.baseAddress!, rows: n, c.baseAddress!, count: k, dimension: dim, into: s.baseAddress!)
                    }
                }
            }
            var moved = 0
            let ownFlat = smoothed == nil ? [] : own.flatMap { $0 }
            vectors.withUnsafeBufferPointer { v in
                ownFlat.withUnsafeBufferPointer { o in
                    for i in 0..<n {
                        var best = -1, bestScore = -Float.infinity
                        for t in 0..<k where scores[i * k + t] > bestScore { bestScore = scores[i * k + t]; best = t }
                        var ownScore = bestScore
                        if smoothed != nil {
                            ownScore = 0
                            for d in 0..<dim { ownScore += v[i * dim + d] * o[best * dim + d] }
                        }
                        let next = Double(ownScore) >= threshold ? best : -1
                        if next != assignment[i] { assignment[i] = next; moved += 1 }
                    }
                }
            }
            if moved == 0 { break }
        }
        return assignment
    }

    /// Merges near-duplicate topics: two topics whose questions are, on average, as similar to
    /// each other as the questions of the looser of the two are among themselves (mean pairwise
    /// cosine between them ≥ the smaller of their own mean pairwise cosines) cannot be told apart
    /// and become one; the most indistinct pair first, repeated until no pair qualifies.
    static func mergeTopics(assignment: [Int], vectors: [Float], count n: Int, dimension dim: Int) -> [Int] {
        let k = (assignment.max() ?? -1) + 1
        guard k > 1 else { return assignment }
        var means = [[Double]](repeating: [Double](repeating: 0, count: dim), count: k)
        var size = [Double](repeating: 0, count: k)
        for (i, t) in assignment.enumerated() where t >= 0 {
            size[t] += 1
            for d in 0..<dim { means[t][d] += Double(vectors[i * dim + d]) }
        }
        for t in 0..<k where size[t] > 0 { means[t] = means[t].map { $0 / size[t] } }
        // Sum of the similarities of all pairs inside each topic: (|Σx|² − m) / 2.
        var withinSum = [Double](repeating: 0, count: k)
        for t in 0..<k {
            let squaredNorm: Double = means[t].reduce(0) { $0 + $1 * $1 }
            withinSum[t] = (size[t] * size[t] * squaredNorm - size[t]) / 2
        }
        func within(_ t: Int) -> Double { size[t] > 1 ? withinSum[t] / (size[t] * (size[t] - 1) / 2) : 1 }
        var similarity = [[Double]](repeating: [Double](repeating: -.infinity, count: k), count: k)
        for a in 0..<k where size[a] > 0 {
            for b in (a + 1)..<k where size[b] > 0 {
                let s = zip(means[a], means[b]).reduce(0) { $0 + $1.0 * $1.1 }
                similarity[a][b] = s; similarity[b][a] = s
            }
        }
        var target = Array(0..<k)
        var alive = (0..<k).filter { size[$0] > 0 }
        while alive.count > 1 {
            var best: (Int, Int, Double)?
            for a in alive {
                for b in alive where a < b {
                    let margin = similarity[a][b] - min(within(a), within(b))
                    if margin >= 0 && margin > (best?.2 ?? -.infinity) { best = (a, b, margin) }
                }
            }
            guard let (a, b, _) = best else { break }
            withinSum[a] += withinSum[b] + size[a] * size[b] * similarity[a][b]
            // Mean pairwise similarity to the union is the size-weighted mean (Lance–Williams).
            for c in alive where c != a && c != b {
                let v = (size[a] * similarity[a][c] + size[b] * similarity[b][c]) / (size[a] + size[b])
                similarity[a][c] = v; similarity[c][a] = v
            }
            size[a] += size[b]
            alive.removeAll { $0 == b }
            for t in 0..<k where target[t] == b { target[t] = a }
        }
        return assignment.map { $0 >= 0 ? target[$0] : -1 }
    }
}
