import Foundation
import KBClustering
import KBEmbedding
import KBIndex
import KBSupport
import KBTickets
import Yams

/// Finds recurring resolved problems the KB does not answer yet and writes a draft for each.
///
/// Groups: tickets are embedded (subject + first customer message) and grouped by
/// average-linkage clustering with a cut derived from the set itself (``TopicClusterer``,
/// shared with `kb gaps`; beyond `maxExact` tickets, over near-duplicate micro-groups from
/// ``TicketGrouping``); no number of groups is given. A group of at least
/// `minTickets` tickets gets no draft when the published, external KB already answers it
/// (``coverage(of:search:threshold:)``: most of its resolutions link the same article, or
/// most of its most central tickets pass the KB's own answered test, unless its agents solved it
/// without the articles they usually cite); the article is reported instead.
public struct DraftMiner: Sendable {
    public var similarity: Float = 0.62
    public var minTickets = 3
    /// A rejected group is proposed again only when it grew by this factor.
    public var regrowth = 1.5
    /// Ticket-vector cache file (`nil`: embed every run).
    public var cachePath: String?
    /// Central tickets of a group put to the answered test.
    public var probes = 5

    public init() {}

    public struct Group: Sendable {
        public var tickets: [ResolvedTicket]
        /// Index into `tickets` of the most central one.
        public var central: Int
        /// Indices into `tickets`, most central first.
        public var byCentrality: [Int]
        public var kbHit: (path: String, score: Double)?
        /// Vectors of `tickets`, in the same order.
        var vectors: [[Float]]
    }

    public struct Outcome: Sendable {
        public var groups: [Group] = []
        public var written: [DraftWrite] = []
        public var answeredByKB: [(title: String, article: String, score: Double)] = []
        public var skippedRejected: [String] = []
        /// Untouched earlier drafts removed because their tickets now sit in this run's drafts.
        public var superseded: [String] = []
        /// The KB's own answered threshold (from the index), when there is one.
        public var threshold: Double?
        /// Groups split by resolution, merges of groups about one problem, tickets left out
        /// (fixed unlike the rest of their group), groups dropped (no shared fix), and the
        /// resolution cut used (`nil`: resolutions missing or not informative, nothing refined;
        /// ``GroupRefiner``).
        public var refinement: (split: Int, merged: Int, leftOut: Int, dropped: Int, resolutionCut: Float?) = (
            0, 0, 0, 0, nil
        )
        public var seconds: (embed: Double, group: Double, check: Double) = (0, 0, 0)
    }

    /// Groups resolved tickets by meaning (groups of at least `minTickets`), one problem per
    /// group (``GroupRefiner``).
    public func group(_ tickets: [ResolvedTicket], embedder: MiniLMEmbedder) throws -> [Group] {
        var embed = CachedEmbedding(path: cachePath, embedder: embedder)
        let groups = try refined(tickets, vectors: embed(tickets.map(\.problemText)), embed: &embed).groups
        try embed.save()
        return groups
    }

    /// `group(_:vectors:)`, then split by resolution and merged (``GroupRefiner``).
    func refined(
        _ tickets: [ResolvedTicket], vectors: [[Float]], embed: inout CachedEmbedding
    ) throws -> GroupRefiner.Result {
        let (groups, problemCut) = group(tickets, vectors: vectors)
        return try GroupRefiner(minTickets: minTickets, problemCut: problemCut)
            .refine(groups, all: tickets) { try embed($0) }
    }

    /// Up to this many tickets are clustered exactly; more are first gathered into
    /// near-duplicate micro-groups (leader clustering at `microSimilarity`).
    public var maxExact = 10_000
    public var microSimilarity: Float = 0.8

    /// Average-linkage topics (``TopicClusterer``, cut where groups stop being markedly more
    /// alike than two random tickets of the same set, and at the latest at `similarity`, which
    /// small sets need); groups of fewer than `minTickets` tickets are dropped. Also returns the
    /// set's problem bound for merging, `mean + 1·std` of all pairs (``GroupRefiner``).
    func group(_ tickets: [ResolvedTicket], vectors: [[Float]]) -> (groups: [Group], problemCut: Float) {
        guard let d = vectors.first?.count, vectors.count >= minTickets else { return ([], 1) }
        var reps: [[Float]] = vectors
        var repMembers: [[Int]] = vectors.indices.map { [$0] }
        if vectors.count > maxExact {
            let micro = TicketGrouping(similarity: microSimilarity).clusters(
                vectors: vectors.flatMap { $0 }, n: vectors.count, d: d)
            repMembers = micro.map(\.members)
            reps = micro.map { c in
                var sum = [Float](repeating: 0, count: d)
                for i in c.members { for k in 0..<d { sum[k] += vectors[i][k] } }
                let norm = max(sum.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-9)
                return sum.map { $0 / norm }
            }
        }
        let exact = vectors.count <= maxExact
        let clustering = TopicClusterer(
            options: ClusteringOptions(
                minimumTopicShare: 0, minimumTopicFloor: exact ? minTickets : 1,
                maximumThreshold: Double(similarity))
        )
        .cluster(reps)
        let problemCut = Float(clustering.backgroundMean + clustering.backgroundStd)
        let groups = clustering.members.enumerated().compactMap { topic, repIndices -> Group? in
            let order = repIndices.flatMap { repMembers[$0] }.sorted()
            guard order.count >= minTickets else { return nil }
            let centroid = clustering.centroids[topic]
            func closeness(_ i: Int) -> Float { (0..<d).reduce(Float(0)) { $0 + vectors[i][$1] * centroid[$1] } }
            let ranked = order.indices.sorted { (closeness(order[$0]), $1) > (closeness(order[$1]), $0) }
            return Group(
                tickets: order.map { tickets[$0] }, central: ranked[0], byCentrality: ranked,
                kbHit: nil, vectors: order.map { vectors[$0] })
        }
        return (groups, problemCut)
    }

    /// The published article that already answers `g`, if any: the same article linked by at
    /// least half its resolutions; else, where this help desk's agents cite articles (`citationRate`),
    /// none when the group cites far less often than the desk does (it was solved without an
    /// article, ``CitationTest/binomialLowerTail(_:_:_:)`` under 5 %); else the most common answering
    /// article when most of its `probes` most central tickets pass the KB's own answered test.
    public func coverage(
        of g: Group, searcher: Searcher?, citationRate: Double?
    ) throws -> (path: String, score: Double)? {
        let links = Dictionary(grouping: g.tickets.compactMap(\.linkedArticle), by: { $0 })
        if let (article, cited) = links.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }),
            cited.count * 2 >= g.tickets.count
        {
            return (article, Double(cited.count) / Double(g.tickets.count))
        }
        if let rate = citationRate, g.tickets.count >= 3,
            CitationTest.binomialLowerTail(g.tickets.filter { $0.linkedArticle != nil }.count, g.tickets.count, rate)
                < 0.05
        {
            return nil
        }
        guard let searcher, searcher.detector != nil else { return nil }
        let probed = Array(g.byCentrality.prefix(probes))
        let hits = try searcher.searchBatch(
            probed.map { g.tickets[$0].problemText }, vectors: probed.map { g.vectors[$0] },
            options: SearchOptions(mode: .hybrid, top: AnswerCalibration.depth))
        let verdicts = hits.map(AnswerScore.init(hits:)).filter(\.answered)
        guard verdicts.count * 2 > probed.count else { return nil }
        let top = Dictionary(grouping: verdicts.compactMap(\.bestArticle), by: { $0 })
            .max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }
        return top.map { ($0.key, verdicts.map(\.score).max() ?? 0) }
    }

    /// Groups `tickets` and checks each group against the index at `indexPath`.
    public func assess(_ tickets: [ResolvedTicket], indexPath: String, embedder: MiniLMEmbedder) throws -> Outcome {
        var outcome = Outcome()
        let clock = ContinuousClock()
        var start = clock.now
        var embed = CachedEmbedding(path: cachePath, embedder: embedder)
        let vectors = try embed(tickets.map(\.problemText))
        outcome.seconds.embed = (clock.now - start).seconds
        start = clock.now
        let refined = try refined(tickets, vectors: vectors, embed: &embed)
        try embed.save()
        outcome.groups = refined.groups
        outcome.refinement = (
            refined.split, refined.merged, refined.leftOut, refined.dropped,
            refined.informative ? refined.resolutionCut : nil
        )
        outcome.seconds.group = (clock.now - start).seconds
        start = clock.now
        var searcher: Searcher?
        if FileManager.default.fileExists(atPath: indexPath) {
            searcher = try Searcher(path: indexPath, embedder: embedder, keywordIndex: true)
        }
        outcome.threshold = searcher?.detector?.threshold
        let citing = tickets.filter { $0.linkedArticle != nil }.count
        let citationRate = citing >= CitationTest.minimumCitations ? Double(citing) / Double(tickets.count) : nil
        for k in outcome.groups.indices {
            guard let hit = try coverage(of: outcome.groups[k], searcher: searcher, citationRate: citationRate) else {
                continue
            }
            outcome.groups[k].kbHit = hit
            let g = outcome.groups[k]
            outcome.answeredByKB.append((g.tickets[g.central].subject, hit.path, hit.score))
        }
        outcome.seconds.check = (clock.now - start).seconds
        return outcome
    }

    /// Mines `store`, checks each group against the index, writes drafts into `drafts`.
    public func run(
        store: TicketStore, indexPath: String, drafts: DraftStore, embedder: MiniLMEmbedder,
        now: Date = Date()
    ) throws -> Outcome {
        var outcome = try assess(try store.resolvedTickets(), indexPath: indexPath, embedder: embedder)
        let existing = try drafts.list(now: now).drafts
        let spread = DraftText.spreadTags(outcome.groups.map(\.tickets))
        var taken = Set(existing.map(\.id)), assigned = Set<String>(), renamed = Set<String>(), covered = Set<String>()
        for g in outcome.groups where g.kbHit == nil {
            let doc = DraftWriter.document(for: g, now: now, spreadTags: spread)
            let refs = Set(g.tickets.map(\.reference))
            // The same group as an earlier draft: most of its source tickets overlap (and no
            // other group of this run took that draft already).
            // A published or rejected draft also claims a group that holds most of its tickets,
            // or most of whose tickets it holds: its problem is settled whatever the group grew into.
            let match = existing.first { d in
                let old = Set(d.sourceTickets)
                guard !assigned.contains(d.id), !old.isEmpty else { return false }
                let shared = Double(old.intersection(refs).count)
                if d.status == ReviewState.published.rawValue || d.status == ReviewState.rejected.rawValue,
                    shared / Double(min(old.count, refs.count)) >= 0.5
                {
                    return true
                }
                return shared / Double(old.union(refs).count) >= 0.5
            }
            // A file name of its own: never another draft's, so no draft is overwritten.
            let base = Slug.make(doc["title"] ?? "draft")
            var slug = base, k = 2
            while assigned.contains(slug) || (taken.contains(slug) && slug != match?.id) {
                slug = "\(base)-\(k)"; k += 1
            }
            var id = match?.id ?? slug
            // An untouched earlier draft takes the new title's file name (an edited one keeps its own).
            if let m = match, m.id != slug, try drafts.renameUntouched(m.id, to: slug) {
                taken.remove(m.id); taken.insert(slug); renamed.insert(m.id); id = slug
            }
            assigned.insert(id)
            if let m = match, m.status == ReviewState.rejected.rawValue {
                let rejectedAt = (try? drafts.load(m.id))?["rejected_ticket_count"].flatMap(Int.init) ?? m.ticketCount
                if Double(refs.count) < Double(rejectedAt) * regrowth { outcome.skippedRejected.append(m.id); continue }
            }
            if let m = match, m.status == ReviewState.published.rawValue { continue }
            outcome.written.append(try drafts.writeGenerated(doc, id: id))
            covered.formUnion(refs)
        }
        // An earlier draft no group matched, whose tickets now mostly sit in this run's
        // drafts, is superseded (a split or merged group): removed if nobody touched it.
        for d in existing where !assigned.contains(d.id) && !renamed.contains(d.id) && !d.sourceTickets.isEmpty {
            let moved = d.sourceTickets.filter(covered.contains).count
            if moved * 2 >= d.sourceTickets.count, try drafts.removeUntouched(d.id) { outcome.superseded.append(d.id) }
        }
        return outcome
    }
}

/// Ticket and resolution texts embedded through one cache file (read once per run, written
/// once when anything was added), or straight through the model without one.
struct CachedEmbedding {
    let embedder: MiniLMEmbedder
    var cache: QuestionVectorCache?

    init(path: String?, embedder: MiniLMEmbedder) {
        self.embedder = embedder
        cache = path.map { QuestionVectorCache(path: $0, modelHash: embedder.modelHash) }
    }

    mutating func callAsFunction(_ texts: [String]) throws -> [[Float]] {
        guard let got = try cache?.vectors(for: texts, embedder: embedder) else { return try embedder.embed(texts) }
        return got.vectors
    }

    func save() throws { try cache?.save() }
}
