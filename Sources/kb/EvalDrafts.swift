import ArgumentParser
import Foundation
import KBChunking
import KBDrafts
import KBEmbedding
import KBIndex
import KBSupport
import KBTickets

/// `kb eval drafts`: ticket grouping against known groups.
struct EvalDrafts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts",
        abstract: "Score draft mining against known groups (a JSON map of external ticket id → group label or null).")

    @OptionGroup var tickets: TicketStoreOptions

    @Option(
        help: ArgumentHelp("Ground truth: JSON object, ticket id → group label (null for one-offs).", valueName: "file")
    )
    var truth: String = "pipelines/demo/ground-truth.json"

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var model: ModelOptions

    @Option(help: "Cosine similarity for joining a ticket group.")
    var similarity: Float = DraftMiner().similarity

    @Option(help: ArgumentHelp("Ticket-vector cache file.", valueName: "path"))
    var cache: String?

    @Flag(help: "List every group: its labels, size and the article that answers it.")
    var verbose = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: truth),
            let labels = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw ValidationError("\(truth): cannot read a JSON object of ticket id → label")
        }
        func label(_ t: ResolvedTicket) -> String? {
            labels[String(t.reference.split(separator: ":", maxSplits: 1).last ?? "")] as? String
        }
        let embedder = try model.embedder()
        let store = try TicketStore(path: tickets.db, key: ProjectContext.pseudonymKey)
        let resolved = try store.resolvedTickets()
        var miner = DraftMiner()
        miner.similarity = similarity
        miner.cachePath = cache
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try miner.assess(resolved, indexPath: database.db, embedder: embedder)
        let seconds = (clock.now - start).seconds
        // Which labels the KB covers: most of their tickets link an article.
        let byLabel = Dictionary(grouping: resolved.filter { label($0) != nil }, by: { label($0)! })
        let covered = Set(
            byLabel.filter { $0.value.filter { $0.linkedArticle != nil }.count * 2 > $0.value.count }.keys)
        let planted = Set(byLabel.filter { $0.value.count >= miner.minTickets && !covered.contains($0.key) }.keys)
        var pure = 0, total = 0, draftPure = 0, draftTotal = 0, mixed: [String] = [], oneOffDrafts = 0
        var draftsOf: [String: Int] = [:], foundIn = Set<String>(), duplicates = 0, drafts = 0
        for g in outcome.groups {
            let ls = g.tickets.map { label($0) ?? "(one-off)" }
            let counts = Dictionary(grouping: ls, by: { $0 }).mapValues(\.count)
            let (major, count) = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
            pure += count; total += ls.count
            if verbose {
                let mix = counts.map { "\($0.key)×\($0.value)" }.sorted().joined(separator: " ")
                printError(
                    "  group of \(ls.count): \(mix)"
                        + (g.kbHit.map { " — answered by \($0.path) (\(String(format: "%.2f", $0.score)))" }
                            ?? " — draft"))
            }
            if g.kbHit != nil { continue }
            drafts += 1
            // Strict: one-off tickets (label null) are each their own problem, so a draft of
            // one-offs counts none of them as pure.
            draftPure += major == "(one-off)" ? 0 : count; draftTotal += ls.count
            if major == "(one-off)" { oneOffDrafts += 1 }
            if covered.contains(major) { duplicates += 1 }
            draftsOf[major, default: 0] += 1
            if Double(count) / Double(ls.count) >= 0.5 { foundIn.insert(major) }
            // Mixing: a second recurring problem with enough tickets to be a group of its own.
            let others = counts.filter { $0.key != major && $0.key != "(one-off)" && $0.value >= miner.minTickets }
            if !others.isEmpty { mixed.append(([major] + others.keys.sorted()).joined(separator: " + ")) }
        }
        let found = planted.intersection(foundIn)
        let split = draftsOf.filter { $0.value > 1 }.keys.sorted()
        print(
            "kb eval drafts — \(resolved.count) resolved tickets, \(planted.count) planted recurring problems the KB does not cover, \(covered.count) it covers"
        )
        print(
            String(
                format: "  groups found      %d (purity %.3f)", outcome.groups.count,
                total == 0 ? 0 : Double(pure) / Double(total)))
        print(
            "  drafts            \(drafts) (\(duplicates) duplicate a problem the KB answers; \(outcome.answeredByKB.count) groups answered by the KB, the KB's own threshold \(outcome.threshold.map { String(format: "%.3f", $0) } ?? "none"))"
        )
        print(
            String(
                format:
                    "  drafts purity     %.3f (%d of %d tickets in drafts belong to their draft's problem; one-offs never do)",
                draftTotal == 0 ? 0 : Double(draftPure) / Double(draftTotal), draftPure, draftTotal))
        print("  one-off drafts    \(oneOffDrafts) (drafts made mostly of unrelated one-off tickets)")
        print(
            "  mixing problems   \(mixed.count) drafts\(mixed.isEmpty ? "" : ": " + mixed.joined(separator: "; "))  (a second problem with ≥ \(miner.minTickets) tickets)"
        )
        print(
            "  split problems    \(split.count) problems over several drafts\(split.isEmpty ? "" : ": " + split.map { "\($0)×\(draftsOf[$0]!)" }.joined(separator: ", "))"
        )
        print(
            String(
                format: "  planted recall    %d / %d = %.3f  missing: %@", found.count, planted.count,
                planted.isEmpty ? 0 : Double(found.count) / Double(planted.count),
                planted.subtracting(found).sorted().joined(separator: ", ")))
        let r = outcome.refinement
        print(
            "  refinement        \(r.split) groups split by resolution, \(r.merged) merges, \(r.dropped) groups without a shared fix dropped, \(r.leftOut) tickets left out"
                + (r.resolutionCut.map { String(format: " (resolution cut %.3f)", $0) }
                    ?? " (resolutions missing or not informative: not refined)"))
        print(
            String(
                format: "  time              %.1f s (embed %.1f s, group %.1f s, KB check %.1f s)", seconds,
                outcome.seconds.embed, outcome.seconds.group, outcome.seconds.check))
    }
}
