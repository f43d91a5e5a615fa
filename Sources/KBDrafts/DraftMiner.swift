import Foundation
import KBEmbedding
import KBIndex
import KBTickets
import Yams

/// Finds recurring resolved problems the KB does not answer yet and writes a draft for each.
///
/// Groups: tickets are embedded (subject + first customer message) and grouped by
/// leader clustering: visited densest first, each joins the nearest group centroid within
/// `similarity`, else starts a group. No number of groups is given. Groups with at least
/// `minTickets` tickets whose central wording the published, external KB already answers
/// (best semantic hit ≥ `answeredAt`) get no draft; the hit is reported instead.
public struct DraftMiner: Sendable {
    public var similarity: Float = 0.62
    public var minTickets = 3
    public var answeredAt = 0.6
    /// A rejected group is proposed again only when it grew by this factor.
    public var regrowth = 1.5

    public init() {}

    public struct Group: Sendable {
        public var tickets: [ResolvedTicket]
        /// Index into `tickets` of the most central one.
        public var central: Int
        public var kbHit: (path: String, score: Double)?
    }

    public struct Outcome: Sendable {
        public var groups: [Group] = []
        public var written: [DraftWrite] = []
        public var answeredByKB: [(title: String, article: String, score: Double)] = []
        public var skippedRejected: [String] = []
    }

    /// Groups resolved tickets by meaning.
    public func group(_ tickets: [ResolvedTicket], embedder: MiniLMEmbedder) throws -> [Group] {
        guard !tickets.isEmpty else { return [] }
        let vectors = try embedder.embed(tickets.map(\.problemText))
        let n = tickets.count, d = embedder.dimension
        func cos(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        // Density: neighbours above the threshold.
        var density = [Int](repeating: 0, count: n)
        for i in 0..<n { for j in (i + 1)..<n where cos(vectors[i], vectors[j]) >= similarity { density[i] += 1; density[j] += 1 } }
        let order = (0..<n).sorted { (density[$0], -$0) > (density[$1], -$1) }
        var centroids: [[Float]] = []
        var members: [[Int]] = []
        for i in order {
            var best = -1
            var bestSim = similarity
            for (c, centroid) in centroids.enumerated() {
                let norm = centroid.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let s = cos(vectors[i], centroid) / max(norm, 1e-9)
                if s >= bestSim { bestSim = s; best = c }
            }
            if best < 0 {
                centroids.append(vectors[i]); members.append([i])
            } else {
                for k in 0..<d { centroids[best][k] += vectors[i][k] }
                members[best].append(i)
            }
        }
        return zip(centroids, members).filter { $0.1.count >= minTickets }.map { centroid, idx in
            let central = idx.indices.max { cos(vectors[idx[$0]], centroid) < cos(vectors[idx[$1]], centroid) } ?? 0
            return Group(tickets: idx.map { tickets[$0] }, central: central, kbHit: nil)
        }
    }

    /// Mines `store`, checks each group against the index, writes drafts into `drafts`.
    public func run(store: TicketStore, indexPath: String, drafts: DraftStore, embedder: MiniLMEmbedder,
                    now: Date = Date()) throws -> Outcome {
        var outcome = Outcome()
        let tickets = try store.resolvedTickets()
        outcome.groups = try group(tickets, embedder: embedder)
        let searcher = FileManager.default.fileExists(atPath: indexPath) ? try Searcher(path: indexPath, embedder: embedder) : nil
        let existing = try drafts.list(now: now).drafts
        for var g in outcome.groups {
            let central = g.tickets[g.central]
            if let hit = try searcher?.search(central.problemText, options: SearchOptions(mode: .semantic, top: 1)).first,
               let score = hit.semanticScore, score >= answeredAt {
                g.kbHit = (hit.articlePath, score)
                outcome.answeredByKB.append((central.subject, hit.articlePath, score))
                continue
            }
            let doc = DraftWriter.document(for: g, now: now)
            let refs = Set(g.tickets.map(\.reference))
            // The same group as an earlier draft: most of its source tickets overlap.
            let match = existing.first { d in
                let old = Set(d.sourceTickets)
                return !old.isEmpty && Double(old.intersection(refs).count) / Double(old.union(refs).count) >= 0.5
            }
            let id = match?.id ?? Slug.make(doc["title"] ?? "draft")
            if let m = match, m.status == ReviewState.rejected.rawValue {
                let rejectedAt = (try? drafts.load(m.id))?["rejected_ticket_count"].flatMap(Int.init) ?? m.ticketCount
                if Double(refs.count) < Double(rejectedAt) * regrowth { outcome.skippedRejected.append(m.id); continue }
            }
            if let m = match, m.status == ReviewState.published.rawValue { continue }
            outcome.written.append(try drafts.writeGenerated(doc, id: id))
        }
        return outcome
    }
}
