import Foundation
import KBEmbedding
import KBSupport

/// Settings of ``TopicClusterer``. Every threshold is derived from the data being clustered;
/// the two numbers here are relative rules, not values fitted to a labelled set.
public struct ClusteringOptions: Sendable, Codable, Equatable {
    /// Two groups merge while their average cosine similarity is at least
    /// `mean + z · std` of all pairwise similarities of this question set (the background).
    public var backgroundZ: Double = 2.0
    /// A topic needs at least this share of the questions (and at least `minimumTopicFloor`).
    public var minimumTopicShare: Double = 0.001
    /// Smallest topic size whatever the number of questions.
    public var minimumTopicFloor: Int = 3

    /// Upper bound on the merge threshold. A handful of inputs gives no usable background
    /// (five tickets, four of them one problem, put `mean + 2·std` above 1), so callers that
    /// cluster small sets cap it with a similarity that plainly means "the same problem".
    public var maximumThreshold: Double = 0.999

    /// Background from pairs in *different* groups only: the cut is repeated with the mean and
    /// std of the similarities between the current cut's groups until it settles. With few,
    /// distinct topics the within-topic pairs otherwise inflate the background (eight problems
    /// of a help desk put `mean + 2·std` of all pairs at cos 0.66 while no two problems average
    /// above 0.42), and the topics split.
    public var backgroundBetweenGroups: Bool = false
    /// After the cut: spherical k-means from the topics' centroids (each question moves to the
    /// nearest centroid it passes the threshold for), then near-duplicate topics (as alike to
    /// each other as to themselves) are merged.
    public var refineAndMerge: Bool = false
    /// When refining, questions move by their similarity to topic centroids computed on
    /// *smoothed* vectors: each vector averaged with its this many nearest neighbours (0: off).
    /// Smoothing pulls a question towards how its neighbours ask; the outlier test still uses
    /// the question's own vector, so one-off questions stay outliers.
    public var smoothingNeighbours: Int = 0
    /// When refining, also start k-means from this many k-means++ seedings (same number of
    /// topics as the cut) and keep the partition with the best k-means objective
    /// (`TopicSeeding.swift`); 0: the linkage's centroids only. Off in ``gapTopics``: 3 restarts
    /// raise ARI on the full intent sets but split planted demo problems (docs/GAPS.md).
    public var seedRestarts: Int = 0
    /// When refining, then make split-and-merge moves at the cut's number of topics (split a
    /// topic whose split gain stands out, merge two the threshold would join, when the k-means
    /// objective gains), then merges alone (`TopicSwaps.swift`).
    public var splitAndMerge: Bool = false

    public init(
        backgroundZ: Double = 2.0, minimumTopicShare: Double = 0.001, minimumTopicFloor: Int = 3,
        maximumThreshold: Double = 0.999, backgroundBetweenGroups: Bool = false, refineAndMerge: Bool = false,
        smoothingNeighbours: Int = 0, seedRestarts: Int = 0, splitAndMerge: Bool = false
    ) {
        self.smoothingNeighbours = smoothingNeighbours
        self.splitAndMerge = splitAndMerge
        self.seedRestarts = seedRestarts
        self.backgroundZ = backgroundZ
        self.maximumThreshold = maximumThreshold
        self.minimumTopicShare = minimumTopicShare
        self.minimumTopicFloor = minimumTopicFloor
        self.backgroundBetweenGroups = backgroundBetweenGroups
        self.refineAndMerge = refineAndMerge
    }

    /// What `kb gaps` uses: the between-groups background, refinement and merging
    /// (docs/GAPS.md, "Topics").
    public static let gapTopics = ClusteringOptions(
        backgroundBetweenGroups: true, refineAndMerge: true, smoothingNeighbours: 4,
        splitAndMerge: true)

    /// Minimum topic size for `count` questions.
    public func minimumTopicSize(count: Int) -> Int {
        max(minimumTopicFloor, Int((Double(count) * minimumTopicShare).rounded(.up)))
    }
}

/// The result of clustering: one topic id per input (`-1` for an outlier), topics numbered
/// from 0 by decreasing size, plus the data-derived parameters that produced them.
public struct Clustering: Sendable, Codable, Equatable {
    /// Topic id per input vector, `-1` for an outlier.
    public var assignments: [Int]
    /// Number of topics (ids `0..<topicCount`).
    public var topicCount: Int
    /// Mean and standard deviation of all pairwise cosine similarities.
    public var backgroundMean: Double
    public var backgroundStd: Double
    /// The merge threshold actually used (cosine similarity).
    public var similarityThreshold: Double
    /// The minimum topic size actually used.
    public var minimumTopicSize: Int
    /// For each topic, the index of its most central member (highest cosine to the centroid).
    public var centralMember: [Int]
    /// Unit-length centroid of every topic.
    public var centroids: [[Float]]

    /// Share of inputs left as outliers.
    public var outlierShare: Double {
        assignments.isEmpty ? 0 : Double(assignments.filter { $0 < 0 }.count) / Double(assignments.count)
    }
    /// Members of each topic (input indices, ascending).
    public var members: [[Int]] {
        var m = [[Int]](repeating: [], count: topicCount)
        for (i, t) in assignments.enumerated() where t >= 0 { m[t].append(i) }
        return m
    }
}

/// Clusters unit-length vectors into topics without being told how many.
///
/// Method (see docs/GAPS.md for the measurements behind it):
/// 1. cosine similarities of all pairs (OpenBLAS `sgemm`, in row blocks, kept as a condensed
///    triangle of floats: 200 MB for 10,000 vectors);
/// 2. average-linkage agglomerative clustering (NN-chain, exact, O(N²)), cut where the average
///    similarity between two groups falls below `mean + z·std` of the background similarity
///    distribution: groups are kept together only while they are markedly more similar than two
///    random questions of the same set;
/// 3. groups smaller than the minimum topic size are dissolved: each member joins the nearest
///    topic centroid if it passes the same threshold, otherwise it is an outlier.
///
/// With ``ClusteringOptions/gapTopics`` (what `kb gaps` uses; `TopicRefinement.swift`) the
/// background of step 2 is measured between the cut's groups and the cut repeated until it
/// settles, and after step 3 the topics are refined by spherical k-means (questions move by their
/// neighbour-smoothed vectors) and near-duplicate topics merged. The default options keep the
/// plain rule, which `kb drafts` uses.
public struct TopicClusterer: Sendable {
    public var options: ClusteringOptions

    public init(options: ClusteringOptions = ClusteringOptions()) {
        self.options = options
    }

    /// Clusters `vectors` (all of one length, L2-normalised).
    public func cluster(_ vectors: [[Float]]) -> Clustering {
        let n = vectors.count
        let dim = vectors.first?.count ?? 0
        guard n >= 2 else {
            let centroids = vectors.map { normalised($0) }
            return Clustering(
                assignments: n == 1 ? [-1] : [], topicCount: 0, backgroundMean: 0, backgroundStd: 0,
                similarityThreshold: 1, minimumTopicSize: options.minimumTopicSize(count: n),
                centralMember: [], centroids: n == 1 ? [] : centroids)
        }
        var flat = [Float](repeating: 0, count: n * dim)
        for (i, v) in vectors.enumerated() { flat.replaceSubrange(i * dim..<(i + 1) * dim, with: v) }
        let neighbours = options.refineAndMerge ? options.smoothingNeighbours : 0
        var distances = CondensedDistances(vectors: flat, count: n, dimension: dim, neighbours: neighbours)
        let smoothed = Self.smoothed(flat, count: n, dimension: dim, nearest: distances.nearest, neighbours: neighbours)
        var mean = distances.similarityMean, std = distances.similarityStd
        var threshold = min(options.maximumThreshold, mean + options.backgroundZ * std)
        let merges = distances.averageLinkage()
        var groups = Self.cut(merges: merges, count: n, maxDistance: 1 - threshold)
        if options.backgroundBetweenGroups {
            (groups, threshold, mean, std) = Self.settleBetweenGroups(
                merges: merges, groups: groups, threshold: threshold, vectors: flat, count: n, dimension: dim,
                options: options, allPairs: (mean, std))
        }
        let minSize = options.minimumTopicSize(count: n)
        var assignment = Self.keepBig(
            groups: groups, vectors: flat, count: n, dimension: dim, threshold: threshold,
            minSize: minSize)
        if options.refineAndMerge {
            assignment = Self.refine(
                assignment: assignment, vectors: flat, smoothed: smoothed, count: n, dimension: dim,
                threshold: threshold)
            assignment = Self.mergeTopics(assignment: assignment, vectors: flat, count: n, dimension: dim)
            if options.splitAndMerge {
                assignment = Self.splitAndMerge(
                    assignment: assignment, vectors: flat, smoothed: smoothed, count: n,
                    dimension: dim, threshold: threshold, minSize: minSize,
                    splitZ: options.backgroundZ)
            }
            assignment = Self.bestOfRestarts(
                refined: assignment, restarts: options.seedRestarts, vectors: flat,
                smoothed: smoothed, count: n, dimension: dim, threshold: threshold)
        }
        return Self.finish(
            assignment: assignment, vectors: flat, count: n, dimension: dim, threshold: threshold,
            minSize: minSize, mean: mean, std: std)
    }

    /// Flat groups from merges whose height is at most `maxDistance` (union–find); valid because
    /// average linkage is monotone, so those merges form whole subtrees.
    static func cut(merges: [(Int, Int, Float)], count n: Int, maxDistance: Double) -> [Int] {
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for (a, b, d) in merges where Double(d) <= maxDistance + 1e-7 {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        return (0..<n).map { find($0) }
    }

    /// Groups of at least `minSize` become topics (largest first); members of smaller groups join
    /// the nearest topic centroid they pass `threshold` for, else stay outliers (`-1`).
    static func keepBig(
        groups: [Int], vectors: [Float], count n: Int, dimension dim: Int, threshold: Double,
        minSize: Int
    ) -> [Int] {
        var size = [Int: Int]()
        for g in groups { size[g, default: 0] += 1 }
        // Big groups, largest first (ties by first member) so topic ids are stable.
        let big = size.filter { $0.value >= minSize }.keys.sorted { (size[$0]!, -$0) > (size[$1]!, -$1) }
        let topicOf = Dictionary(uniqueKeysWithValues: big.enumerated().map { ($1, $0) })
        var assignment = groups.map { topicOf[$0] ?? -1 }
        let centroids = centroidsOf(assignment: assignment, topics: big.count, vectors: vectors, dimension: dim)
        for i in 0..<n where assignment[i] < 0 && !centroids.isEmpty {
            let row = Array(vectors[i * dim..<(i + 1) * dim])
            var best = -1, bestSim = -Float.infinity
            for (t, c) in centroids.enumerated() {
                let s = VectorProducts.dot(row, c)
                if s > bestSim { bestSim = s; best = t }
            }
            if Double(bestSim) >= threshold { assignment[i] = best }
        }
        return assignment
    }

    /// The ``Clustering``: topics re-numbered by size (topic 0 the largest, empty ones dropped),
    /// centroids and most central members.
    static func finish(
        assignment: [Int], vectors: [Float], count n: Int, dimension dim: Int, threshold: Double,
        minSize: Int, mean: Double, std: Double
    ) -> Clustering {
        let topics = (assignment.max() ?? -1) + 1
        var finalSize = [Int](repeating: 0, count: topics)
        for t in assignment where t >= 0 { finalSize[t] += 1 }
        let order = (0..<topics).filter { finalSize[$0] > 0 }.sorted { (finalSize[$0], -$0) > (finalSize[$1], -$1) }
        var renumber = [Int](repeating: -1, count: topics)
        for (new, old) in order.enumerated() { renumber[old] = new }
        let assignment = assignment.map { $0 >= 0 ? renumber[$0] : -1 }
        let big = order
        let centroids = centroidsOf(assignment: assignment, topics: big.count, vectors: vectors, dimension: dim)
        var central = [Int](repeating: -1, count: big.count)
        var centralSim = [Float](repeating: -.infinity, count: big.count)
        for i in 0..<n where assignment[i] >= 0 {
            let t = assignment[i]
            let s = VectorProducts.dot(Array(vectors[i * dim..<(i + 1) * dim]), centroids[t])
            if s > centralSim[t] { centralSim[t] = s; central[t] = i }
        }
        return Clustering(
            assignments: assignment, topicCount: big.count, backgroundMean: mean, backgroundStd: std,
            similarityThreshold: threshold, minimumTopicSize: minSize, centralMember: central,
            centroids: centroids)
    }

    static func centroidsOf(assignment: [Int], topics: Int, vectors: [Float], dimension dim: Int) -> [[Float]] {
        var sums = [Float](repeating: 0, count: topics * dim)
        vectors.withUnsafeBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { s in
                for (i, t) in assignment.enumerated() where t >= 0 {
                    for d in 0..<dim { s[t * dim + d] += v[i * dim + d] }
                }
            }
        }
        return (0..<topics).map { normalised(Array(sums[$0 * dim..<($0 + 1) * dim])) }
    }
}

func normalised(_ v: [Float]) -> [Float] {
    let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
    return norm > 0 ? v.map { $0 / norm } : v
}

/// Cosine distances of all pairs, upper triangle row by row, with NN-chain average linkage.
struct CondensedDistances {
    let n: Int
    var d: [Float]
    private(set) var similarityMean = 0.0
    private(set) var similarityStd = 0.0

    /// `neighbours` nearest other rows of each row (row-major, `n × neighbours`), most similar
    /// first; empty unless asked for.
    private(set) var nearest: [Int] = []

    init(vectors: [Float], count n: Int, dimension dim: Int, neighbours: Int = 0) {
        self.n = n
        let kNN = min(neighbours, n - 1)
        if kNN > 0 { nearest = [Int](repeating: 0, count: n * kNN) }
        d = [Float](repeating: 0, count: n * (n - 1) / 2)
        var sum = 0.0, sumSq = 0.0
        let block = 512
        var tile = [Float](repeating: 0, count: block * n)
        for start in stride(from: 0, to: n, by: block) {
            let rows = min(block, n - start)
            vectors.withUnsafeBufferPointer { v in
                tile.withUnsafeMutableBufferPointer { t in
                    VectorProducts.dots(
                        v.baseAddress! + start * dim, rows: rows, v.baseAddress!, count: n, dimension: dim,
                        into: t.baseAddress!)
                }
            }
            for r in 0..<rows {
                let i = start + r
                if kNN > 0 {
                    nearest.replaceSubrange(
                        i * kNN..<(i + 1) * kNN, with: Self.top(kNN, in: tile, row: r, n: n, skipping: i))
                }
                guard i + 1 < n else { continue }
                var rowSum = 0.0, rowSq = 0.0
                let base = Self.offset(i, i + 1, n)
                for j in (i + 1)..<n {
                    let s = tile[r * n + j]
                    rowSum += Double(s); rowSq += Double(s) * Double(s)
                    d[base + j - i - 1] = max(0, 1 - s)
                }
                sum += rowSum; sumSq += rowSq
            }
        }
        let pairs = Double(d.count)
        similarityMean = sum / pairs
        similarityStd = sqrt(max(0, sumSq / pairs - similarityMean * similarityMean))
    }

    /// Indices of the `k` largest entries of `tile`'s row `r` (length `n`) other than column `skip`.
    static func top(_ k: Int, in tile: [Float], row r: Int, n: Int, skipping skip: Int) -> [Int] {
        var index = [Int](repeating: -1, count: k), value = [Float](repeating: -.infinity, count: k)
        tile.withUnsafeBufferPointer { t in
            let row = t.baseAddress! + r * n
            for j in 0..<n where j != skip && row[j] > value[k - 1] {
                var p = k - 1
                while p > 0 && value[p - 1] < row[j] { value[p] = value[p - 1]; index[p] = index[p - 1]; p -= 1 }
                value[p] = row[j]; index[p] = j
            }
        }
        return index
    }

    @inline(__always) static func offset(_ i: Int, _ j: Int, _ n: Int) -> Int {
        i * n - i * (i + 1) / 2 + (j - i - 1)
    }

    @inline(__always) func at(_ i: Int, _ j: Int) -> Float {
        i < j ? d[Self.offset(i, j, n)] : d[Self.offset(j, i, n)]
    }

    /// Exact average-linkage (UPGMA) merges `(a, b, height)` by the nearest-neighbour chain
    /// algorithm; consumes the matrix (Lance–Williams updates in place).
    mutating func averageLinkage() -> [(Int, Int, Float)] {
        var active = [Bool](repeating: true, count: n)
        var size = [Int](repeating: 1, count: n)
        var alive = Array(0..<n)  // compact list of active clusters
        var position = Array(0..<n)
        var merges: [(Int, Int, Float)] = []
        merges.reserveCapacity(n - 1)
        var chain: [Int] = []
        while alive.count > 1 {
            if chain.isEmpty { chain.append(alive[0]) }
            while true {
                let x = chain[chain.count - 1]
                let previous = chain.count >= 2 ? chain[chain.count - 2] : -1
                var best = previous, bestD = previous >= 0 ? at(x, previous) : Float.infinity
                d.withUnsafeBufferPointer { dp in
                    for y in alive where y != x {
                        let v = y < x ? dp[Self.offset(y, x, n)] : dp[Self.offset(x, y, n)]
                        if v < bestD { bestD = v; best = y }
                    }
                }
                if best == previous {
                    chain.removeLast(2)
                    // Merge x into the lower id; update distances to every other active cluster.
                    let keep = min(x, previous), gone = max(x, previous)
                    let sk = Float(size[keep]), sg = Float(size[gone])
                    for k in alive where k != keep && k != gone {
                        let v = (sk * at(k, keep) + sg * at(k, gone)) / (sk + sg)
                        if k < keep { d[Self.offset(k, keep, n)] = v } else { d[Self.offset(keep, k, n)] = v }
                    }
                    size[keep] += size[gone]
                    active[gone] = false
                    let p = position[gone], last = alive[alive.count - 1]
                    alive[p] = last; position[last] = p; alive.removeLast()
                    merges.append((keep, gone, bestD))
                    break
                }
                chain.append(best)
            }
        }
        return merges
    }
}
