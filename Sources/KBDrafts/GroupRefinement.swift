import Foundation
import KBClustering
import KBEmbedding
import KBTickets

/// One problem per group, judged by how the tickets were resolved.
///
/// Grouping by the customer's words alone can put two problems that read alike into one group
/// (webhook retries flooding an endpoint and webhook signatures failing), and can leave one
/// problem in two groups worded a little apart. Resolutions tell them apart: tickets of one
/// problem are fixed the same way. Both rules use one data-derived cut, `mean + 2·std` of the
/// cosine similarity of two resolutions drawn from the whole set (the same background rule the
/// grouping uses on problem texts); no threshold is tuned on a demo.
///
/// Nothing is refined unless the set's resolutions are informative: most groups with at
/// least `minTickets` resolutions share one fix among at least half their tickets. Filler or
/// free-text resolutions that rarely agree leave the groups as the words made them.
///
/// - **Split**: a group's resolutions (its most central `sample` tickets with one) are
///   clustered by average linkage at that cut. Sub-groups of at least `minTickets` become
///   groups of their own; a ticket whose resolution is unlike every sub-group's is left out
///   (it was fixed differently, so it is another problem). A group with no shared fix (no
///   sub-group, or more than half its tickets left out) is a bag of one-offs and is dropped;
///   a group with fewer than `minTickets` resolutions is kept.
/// - **Merge**: two groups become one when the average similarity of their resolutions, pair
///   by pair, passes the same cut (they were fixed the same way) and their problem centroids
///   are clearly related: above `mean + 1·std` of all problem pairs (`problemCut`). The
///   resolutions are the strong signal; the problem bound only keeps a generic fix
///   ("escalated to engineering") from joining unrelated problems.
struct GroupRefiner: Sendable {
    var minTickets: Int
    /// Resolutions put to the split test per group (the most central ones).
    var sample = 256
    /// Resolutions drawn (evenly) from the whole set for the background.
    var backgroundSample = 1_000
    /// Problem-text bound for merging: `mean + 1·std` of the set's problem pairs (from the grouping).
    var problemCut: Float

    struct Result {
        var groups: [DraftMiner.Group]
        var resolutionCut: Float?
        /// Groups split, merges, tickets left out (dropped groups included), groups dropped.
        var split = 0, merged = 0, leftOut = 0, dropped = 0
        /// Whether the set's resolutions were informative enough to refine by (see `refine`).
        var informative = false
    }

    /// What the split test found in one group.
    enum Verdict {
        /// Sub-groups that each share a fix (one when the group is one problem).
        case parts([DraftMiner.Group])
        /// No sub-group of `minTickets` shares a fix, or most tickets were fixed unlike the rest.
        case noSharedFix
        /// Fewer than `minTickets` recorded resolutions: nothing to judge.
        case unjudged
    }

    /// `embed` returns unit vectors for texts (the miner's cached embedder).
    func refine(
        _ groups: [DraftMiner.Group], all tickets: [ResolvedTicket],
        embed: ([String]) throws -> [[Float]]
    ) rethrows -> Result {
        // Texts needed: a background draw and each group's central sample.
        let withText = tickets.compactMap(\.resolutionText)
        let step = max(1, withText.count / backgroundSample)
        let background = stride(from: 0, to: withText.count, by: step).prefix(backgroundSample).map { withText[$0] }
        var needed = Set(background)
        for g in groups {
            for i in g.byCentrality.prefix(sample) { if let t = g.tickets[i].resolutionText { needed.insert(t) } }
        }
        let texts = needed.sorted()
        guard background.count >= 2 else { return Result(groups: groups) }
        let vectors = Dictionary(uniqueKeysWithValues: zip(texts, try embed(texts)))
        let cut = Self.backgroundCut(background.map { vectors[$0]! })
        var result = Result(groups: groups, resolutionCut: cut)
        let verdicts = groups.map { split($0, vectors: vectors, cut: cut) }
        // The set's resolutions are informative when most groups that can be judged share
        // one fix among at least half their tickets (generated and templated fixes do;
        // free-text or filler resolutions that rarely agree do not). Only then are groups
        // split, dropped or merged by resolution; otherwise they stay as the words grouped them.
        var judged = 0, sharing = 0
        for (g, v) in zip(groups, verdicts) {
            switch v {
            case .parts(let p):
                judged += 1; if (p.map(\.tickets.count).max() ?? 0) * 2 >= g.tickets.count { sharing += 1 }
            case .noSharedFix: judged += 1
            case .unjudged: break
            }
        }
        result.informative = sharing * 2 > judged
        guard result.informative else { return result }
        var parts: [DraftMiner.Group] = []
        for (g, verdict) in zip(groups, verdicts) {
            let pieces: [DraftMiner.Group]
            switch verdict {
            case .parts(let p): pieces = p
            case .unjudged: pieces = [g]
            // A group with no fix shared by `minTickets` tickets is a bag of one-off problems.
            case .noSharedFix: pieces = []
            }
            if pieces.isEmpty { result.dropped += 1 }
            if pieces.count > 1 { result.split += 1 }
            result.leftOut += g.tickets.count - pieces.reduce(0) { $0 + $1.tickets.count }
            parts += pieces
        }
        let merged = merge(parts, vectors: vectors, cut: cut)
        result.merged = parts.count - merged.count
        result.groups = merged.sorted {
            ($0.tickets.count, $1.tickets.first?.id ?? 0) > ($1.tickets.count, $0.tickets.first?.id ?? 0)
        }
        return result
    }

    /// `mean + 2·std` of the pairwise cosine similarities of `vectors`.
    static func backgroundCut(_ vectors: [[Float]]) -> Float {
        var sum = 0.0, sq = 0.0, n = 0.0
        for a in vectors.indices {
            for b in (a + 1)..<vectors.count {
                let s = Double(VectorProducts.dot(vectors[a], vectors[b]))
                sum += s; sq += s * s; n += 1
            }
        }
        let mean = sum / max(n, 1)
        return Float(mean + 2 * max(sq / max(n, 1) - mean * mean, 0).squareRoot())
    }

    /// The group's sub-problems by resolution.
    func split(_ g: DraftMiner.Group, vectors: [String: [Float]], cut: Float) -> Verdict {
        let sampled = g.byCentrality.prefix(sample).filter { g.tickets[$0].resolutionText != nil }
        guard sampled.count >= minTickets else { return .unjudged }
        let clustering = TopicClusterer(
            options: ClusteringOptions(
                backgroundZ: 1e9, minimumTopicShare: 0, minimumTopicFloor: minTickets,
                maximumThreshold: Double(cut))
        )
        .cluster(sampled.map { vectors[g.tickets[$0].resolutionText!]! })
        guard clustering.topicCount > 0 else { return .noSharedFix }
        // Sub-problem of each member: its own (sampled) or its resolution's, else the nearest
        // sub-group by problem text; -1 = fixed unlike every sub-group.
        var part = [Int](repeating: -2, count: g.tickets.count)
        var byText: [String: Int] = [:]
        for (k, i) in sampled.enumerated() {
            part[i] = clustering.assignments[k]
            byText[g.tickets[i].resolutionText!] = clustering.assignments[k]
        }
        let problemCentroids = (0..<clustering.topicCount).map { t in
            centroid(of: sampled.indices.filter { clustering.assignments[$0] == t }.map { g.vectors[sampled[$0]] })
        }
        for i in part.indices where part[i] == -2 {
            if let t = g.tickets[i].resolutionText, let known = byText[t] { part[i] = known; continue }
            if let t = g.tickets[i].resolutionText, let v = vectors[t] {
                let best = clustering.centroids.indices.max {
                    VectorProducts.dot(v, clustering.centroids[$0]) < VectorProducts.dot(v, clustering.centroids[$1])
                }!
                if VectorProducts.dot(v, clustering.centroids[best]) >= cut { part[i] = best; continue }
            }
            part[i] = problemCentroids.indices.max {
                VectorProducts.dot(g.vectors[i], problemCentroids[$0])
                    < VectorProducts.dot(g.vectors[i], problemCentroids[$1])
            }!
        }
        let leftOut = part.filter { $0 < 0 }.count
        if leftOut * 2 > g.tickets.count { return .noSharedFix }
        return .parts(
            (0..<clustering.topicCount).compactMap { t in
                let members = part.indices.filter { part[$0] == t }
                return members.count >= minTickets
                    ? Self.group(members.map { g.tickets[$0] }, vectors: members.map { g.vectors[$0] }) : nil
            })
    }

    /// Greedy merging of groups about the same problem, closest problem centroids first: the
    /// average similarity of their resolutions, pair by pair (``sum(A)·sum(B) / |A||B|``,
    /// comparable with the pairwise cut, unlike two centroids), passes the resolution cut, and
    /// their problem centroids pass the problem cut.
    func merge(_ groups: [DraftMiner.Group], vectors: [String: [Float]], cut: Float) -> [DraftMiner.Group] {
        var groups = groups
        func resolutionSum(_ g: DraftMiner.Group) -> (sum: [Float], n: Int)? {
            let vs = g.byCentrality.prefix(sample).compactMap { g.tickets[$0].resolutionText.flatMap { vectors[$0] } }
            guard let d = vs.first?.count else { return nil }
            var sum = [Float](repeating: 0, count: d)
            for v in vs { for k in 0..<d { sum[k] += v[k] } }
            return (sum, vs.count)
        }
        // Centroids and sums are updated as groups merge, not recomputed over every ticket.
        var problem = groups.map { centroid(of: $0.vectors) }
        var resolution = groups.map(resolutionSum)
        while groups.count > 1 {
            var best: (a: Int, b: Int, s: Float)?
            for a in groups.indices {
                for b in (a + 1)..<groups.count {
                    guard let ra = resolution[a], let rb = resolution[b],
                        VectorProducts.dot(ra.sum, rb.sum) / Float(ra.n * rb.n) >= cut
                    else { continue }
                    let s = VectorProducts.dot(problem[a], problem[b])
                    if s >= problemCut, s > (best?.s ?? -2) { best = (a, b, s) }
                }
            }
            guard let (a, b, _) = best else { break }
            let joined = Self.group(
                groups[a].tickets + groups[b].tickets, vectors: groups[a].vectors + groups[b].vectors)
            groups.remove(at: b); problem.remove(at: b); resolution.remove(at: b)
            groups[a] = joined
            problem[a] = centroid(of: joined.vectors)
            resolution[a] = resolutionSum(joined)
        }
        return groups
    }

    /// A group with its members ordered by closeness to their own centroid (tickets by id).
    static func group(_ tickets: [ResolvedTicket], vectors: [[Float]]) -> DraftMiner.Group {
        let order = tickets.indices.sorted { tickets[$0].id < tickets[$1].id }
        let ts = order.map { tickets[$0] }, vs = order.map { vectors[$0] }
        let c = centroid(of: vs)
        let closeness = vs.map { VectorProducts.dot($0, c) }
        let ranked = ts.indices.sorted { (closeness[$0], $1) > (closeness[$1], $0) }
        return DraftMiner.Group(tickets: ts, central: ranked[0], byCentrality: ranked, kbHit: nil, vectors: vs)
    }
}

/// Unit-length mean of `vectors`.
func centroid(of vectors: [[Float]]) -> [Float] {
    guard let d = vectors.first?.count else { return [] }
    var sum = [Float](repeating: 0, count: d)
    for v in vectors { for k in 0..<d { sum[k] += v[k] } }
    let norm = max(sum.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-9)
    return sum.map { $0 / norm }
}

extension ResolvedTicket {
    /// How the ticket was fixed, as the resolution test reads it: cause and steps, else the
    /// summary; `nil` when nothing was recorded.
    var resolutionText: String? {
        let parts = [resolutionCause ?? "", resolutionSteps.joined(separator: ". ")].filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: ". ") }
        return resolutionSummary.flatMap { $0.isEmpty ? nil : $0 }
    }
}
