import Foundation

/// Split-and-merge moves after the refinement (``ClusteringOptions/splitAndMerge``). The cut
/// decides how many topics there are, but average linkage leaves some large topics that hold two
/// or three intents next to fragments of one intent, and k-means from those centroids stays
/// there. A move splits one topic in two (2-means) and merges two others, and is made when the
/// split gains more of the spherical k-means objective (on the smoothed vectors a topic's share
/// is the length of the sum of its vectors) than the merge loses:
///
/// 1. only pairs the cut's own rule would join may merge (mean cosine between them ≥ the
///    threshold), and only splits whose gain stands out from the split gains of all topics
///    (≥ mean + z·std of them, the z of the background rule; a topic too small to split gains 0),
///    so a topic is split only where it is markedly less whole than the others;
/// 2. then merges alone: a merge that some split would pay for, without the split (the cut
///    over-splits small question sets into fragments of one intent).
///
/// Disjoint moves are made together, the topics refined again, until none is left (at most 10
/// rounds each); near-duplicate topics are merged after each stage. Measured in docs/GAPS.md
/// ("Split and merge"; `bench/peers/gaps_topics_lab3.py`, method `zm2`).
extension TopicClusterer {
    static func splitAndMerge(
        assignment: [Int], vectors: [Float], smoothed: [Float]?, count n: Int, dimension dim: Int,
        threshold: Double, minSize: Int, splitZ: Double
    ) -> [Int] {
        let space = smoothed ?? vectors
        var assignment = compacted(assignment)
        for mergeOnly in [false, true] {
            for _ in 0..<10 {
                guard
                    let moved = swapRound(
                        assignment: assignment, vectors: vectors, space: space, count: n, dimension: dim,
                        threshold: threshold, minSize: minSize, splitZ: mergeOnly ? nil : splitZ,
                        mergeOnly: mergeOnly)
                else { break }
                assignment = compacted(
                    refine(
                        assignment: compacted(moved), vectors: vectors, smoothed: smoothed, count: n,
                        dimension: dim, threshold: threshold))
            }
            assignment = compacted(mergeTopics(assignment: assignment, vectors: vectors, count: n, dimension: dim))
        }
        return assignment
    }

    /// One round of disjoint moves on a compacted assignment; nil when no move pays.
    static func swapRound(
        assignment: [Int], vectors: [Float], space: [Float], count n: Int, dimension dim: Int,
        threshold: Double, minSize: Int, splitZ: Double?, mergeOnly: Bool
    ) -> [Int]? {
        let k = (assignment.max() ?? -1) + 1
        guard k > 2 else { return nil }
        var members = [[Int]](repeating: [], count: k)
        for (i, t) in assignment.enumerated() where t >= 0 { members[t].append(i) }
        let sums = members.map { sum(rows: $0, of: space, dimension: dim) }
        let ownSums = members.map { sum(rows: $0, of: vectors, dimension: dim) }
        let norms = sums.map { sqrt(dotD($0, $0)) }

        // Splits, largest gain first.
        var splits: [(gain: Double, topic: Int, moved: [Int])] = []
        for t in 0..<k where members[t].count >= 2 * minSize {
            let side = twoMeans(rows: members[t], of: space, dimension: dim)
            let a = zip(members[t], side).filter { !$0.1 }.map(\.0), b = zip(members[t], side).filter { $0.1 }.map(\.0)
            guard min(a.count, b.count) >= minSize else { continue }
            let sa = sum(rows: a, of: space, dimension: dim), sb = sum(rows: b, of: space, dimension: dim)
            splits.append((sqrt(dotD(sa, sa)) + sqrt(dotD(sb, sb)) - norms[t], t, b))
        }
        splits.sort { $0.gain > $1.gain }
        if let z = splitZ, !splits.isEmpty {
            let gains = splits.map(\.gain) + [Double](repeating: 0, count: k - splits.count)
            let mean = gains.reduce(0, +) / Double(k)
            let std = sqrt(max(0, gains.reduce(0) { $0 + $1 * $1 } / Double(k) - mean * mean))
            splits = splits.filter { $0.gain >= mean + z * std }
        }
        guard !splits.isEmpty else { return nil }

        // Merges the threshold allows, smallest loss first.
        var merges: [(loss: Double, a: Int, b: Int)] = []
        for a in 0..<k where !members[a].isEmpty {
            for b in (a + 1)..<k where !members[b].isEmpty {
                let cross = dotD(ownSums[a], ownSums[b]) / Double(members[a].count * members[b].count)
                guard cross >= threshold else { continue }
                let joined = zip(sums[a], sums[b]).map { $0 + $1 }
                merges.append((norms[a] + norms[b] - sqrt(dotD(joined, joined)), a, b))
            }
        }
        merges.sort { ($0.loss, $0.a, $0.b) < ($1.loss, $1.a, $1.b) }

        var next = assignment, used = Set<Int>(), m = 0, moves = 0
        for split in splits where !used.contains(split.topic) {
            while m < merges.count,
                used.contains(merges[m].a) || used.contains(merges[m].b)
                    || merges[m].a == split.topic || merges[m].b == split.topic
            { m += 1 }
            guard m < merges.count, merges[m].loss < split.gain else { break }
            let (a, b) = (merges[m].a, merges[m].b)
            m += 1
            for i in members[b] { next[i] = a }
            if !mergeOnly { for i in split.moved { next[i] = b } }  // b's id goes to the split-off half
            used.formUnion([split.topic, a, b])
            moves += 1
        }
        return moves > 0 ? next : nil
    }

    /// Spherical 2-means of `rows`, seeded by the row least like their mean and the row least like
    /// that one; `true` for the second half.
    static func twoMeans(rows: [Int], of x: [Float], dimension dim: Int) -> [Bool] {
        func row(_ i: Int) -> ArraySlice<Float> { x[i * dim..<(i + 1) * dim] }
        let mean = sum(rows: rows, of: x, dimension: dim)
        let first = rows.min { dotD(row($0), mean) < dotD(row($1), mean) } ?? rows[0]
        let second = rows.min { dotD(row($0), row(first)) < dotD(row($1), row(first)) } ?? rows[0]
        var centres = [row(first).map(Double.init), row(second).map(Double.init)]
        var side: [Bool]?
        for _ in 0..<30 {
            let next = rows.map { dotD(row($0), centres[1]) > dotD(row($0), centres[0]) }
            if next == side { break }
            side = next
            for c in 0..<2 {
                let half = zip(rows, next).filter { $0.1 == (c == 1) }.map(\.0)
                guard !half.isEmpty else { continue }
                let s = sum(rows: half, of: x, dimension: dim)
                let norm = sqrt(dotD(s, s))
                if norm > 0 { centres[c] = s.map { $0 / norm } }
            }
        }
        return side ?? [Bool](repeating: false, count: rows.count)
    }

    /// Topic ids renumbered 0, 1, … in their order, empty ones dropped (outliers stay −1).
    static func compacted(_ assignment: [Int]) -> [Int] {
        let ids = Set(assignment.filter { $0 >= 0 }).sorted()
        let map = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        return assignment.map { map[$0] ?? -1 }
    }

    static func sum(rows: [Int], of x: [Float], dimension dim: Int) -> [Double] {
        var s = [Double](repeating: 0, count: dim)
        x.withUnsafeBufferPointer { v in
            for i in rows { for d in 0..<dim { s[d] += Double(v[i * dim + d]) } }
        }
        return s
    }
}

@inline(__always) func dotD<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    var s = 0.0
    for (x, y) in zip(a, b) { s += Double(x) * Double(y) }
    return s
}
