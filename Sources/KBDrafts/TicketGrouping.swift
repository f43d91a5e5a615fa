import Foundation
import KBEmbedding

/// Groups unit vectors by meaning without being told how many groups: leader clustering
/// visited densest first, each vector joining the nearest group centroid within
/// `similarity`, else starting a group. Products run through BLAS, so 50,000 tickets take
/// seconds: density is counted against a sample of at most `densitySample` vectors (all of
/// them below that), and each vector meets the centroids in one matrix-vector product.
struct TicketGrouping {
    var similarity: Float
    var densitySample = 4_096

    struct Cluster {
        var members: [Int]
        /// The member nearest the centroid.
        var central: Int
        /// Members ordered from the most to the least central.
        var byCentrality: [Int]
    }

    /// `vectors`: `n × d` row-major unit vectors.
    func clusters(vectors: [Float], n: Int, d: Int) -> [Cluster] {
        guard n > 0 else { return [] }
        let order = densityOrder(vectors: vectors, n: n, d: d)
        var centroids = [Float]()  // g × d sums of members
        var norms = [Float]()  // |sum| per group
        var members: [[Int]] = []
        var scores = [Float]()
        vectors.withUnsafeBufferPointer { v in
            for i in order {
                let row = v.baseAddress! + i * d
                var best = -1
                let g = members.count
                if g > 0 {
                    if scores.count < g { scores = [Float](repeating: 0, count: max(g, 2 * scores.count)) }
                    centroids.withUnsafeBufferPointer { c in
                        scores.withUnsafeMutableBufferPointer { s in
                            VectorProducts.dots(c.baseAddress!, rows: g, with: row, dimension: d, into: s.baseAddress!)
                        }
                    }
                    var bestSim = similarity
                    for k in 0..<g {
                        let s = scores[k] / max(norms[k], 1e-9)
                        if s >= bestSim { bestSim = s; best = k }
                    }
                }
                if best < 0 {
                    centroids.append(contentsOf: UnsafeBufferPointer(start: row, count: d))
                    norms.append(1)
                    members.append([i])
                } else {
                    var sq: Float = 0
                    centroids.withUnsafeMutableBufferPointer { c in
                        let base = c.baseAddress! + best * d
                        for k in 0..<d { base[k] += row[k]; sq += base[k] * base[k] }
                    }
                    norms[best] = sq.squareRoot()
                    members[best].append(i)
                }
            }
        }
        return members.indices.map { k in
            let centroid = Array(centroids[(k * d)..<((k + 1) * d)])
            let closeness = members[k].map { i in
                (i, (0..<d).reduce(Float(0)) { $0 + vectors[i * d + $1] * centroid[$1] })
            }
            let ranked = closeness.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map(\.0)
            return Cluster(members: members[k], central: ranked[0], byCentrality: ranked)
        }
    }

    /// Indices ordered by how many (sampled) neighbours lie within `similarity`, densest
    /// first; ties keep input order.
    func densityOrder(vectors: [Float], n: Int, d: Int) -> [Int] {
        let sample: [Int] =
            n <= densitySample
            ? Array(0..<n)
            : (0..<densitySample).map { $0 * n / densitySample }
        let m = sample.count
        var sampled = [Float](repeating: 0, count: m * d)
        for (r, i) in sample.enumerated() { for k in 0..<d { sampled[r * d + k] = vectors[i * d + k] } }
        var density = [Int](repeating: 0, count: n)
        let block = 256
        var sims = [Float](repeating: 0, count: block * m)
        vectors.withUnsafeBufferPointer { v in
            sampled.withUnsafeBufferPointer { s in
                sims.withUnsafeMutableBufferPointer { out in
                    for start in stride(from: 0, to: n, by: block) {
                        let rows = min(block, n - start)
                        VectorProducts.dots(
                            v.baseAddress! + start * d, rows: rows, s.baseAddress!, count: m, dimension: d,
                            into: out.baseAddress!)
                        for r in 0..<rows {
                            var count = 0
                            let line = out.baseAddress! + r * m
                            for c in 0..<m where line[c] >= similarity { count += 1 }
                            density[start + r] = count
                        }
                    }
                }
            }
        }
        return (0..<n).sorted { (density[$0], -$0) > (density[$1], -$1) }
    }
}
