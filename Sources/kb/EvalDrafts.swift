import ArgumentParser
import Foundation
import KBChunking
import KBDrafts
import KBEmbedding
import KBIndex
import KBTickets

/// `kb eval drafts`: ticket grouping against known groups.
struct EvalDrafts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts",
        abstract: "Score draft mining against known groups (a JSON map of external ticket id → group label or null).")

    @OptionGroup var tickets: TicketDatabaseOptions

    @Option(help: ArgumentHelp("Ground truth: JSON object, ticket id → group label (null for one-offs).", valueName: "file"))
    var truth: String = "pipelines/demo/ground-truth.json"

    @Option(help: ArgumentHelp("Index of the published KB.", valueName: "path"))
    var index: String = "kb/index.sqlite"

    @OptionGroup var model: ModelOptions

    @Option(help: "Cosine similarity for joining a ticket group.")
    var similarity: Float = DraftMiner().similarity

    @Option(help: "Best KB similarity from which a problem counts as answered.")
    var answeredAt: Double = DraftMiner().answeredAt

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: truth),
              let labels = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("\(truth): cannot read a JSON object of ticket id → label")
        }
        func label(_ t: ResolvedTicket) -> String? { labels[String(t.reference.split(separator: ":", maxSplits: 1).last ?? "")] as? String }
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        let store = try TicketStore(path: tickets.db)
        let resolved = try store.resolvedTickets()
        var miner = DraftMiner()
        miner.similarity = similarity
        miner.answeredAt = answeredAt
        let groups = try miner.group(resolved, embedder: embedder)
        // Which labels the KB covers: most of their tickets link an article.
        let byLabel = Dictionary(grouping: resolved.filter { label($0) != nil }, by: { label($0)! })
        let covered = Set(byLabel.filter { $0.value.filter { $0.linkedArticle != nil }.count * 2 > $0.value.count }.keys)
        let planted = Set(byLabel.filter { $0.value.count >= miner.minTickets && !covered.contains($0.key) }.keys)
        var pure = 0, total = 0
        var found = Set<String>(), duplicates = 0, drafts = 0
        let searcher = FileManager.default.fileExists(atPath: index) ? try Searcher(path: index, embedder: embedder) : nil
        for g in groups {
            let ls = g.tickets.map { label($0) ?? "(one-off)" }
            let (major, count) = Dictionary(grouping: ls, by: { $0 }).map { ($0.key, $0.value.count) }.max { $0.1 < $1.1 }!
            pure += count; total += ls.count
            let central = g.tickets[g.central]
            let answered = (try searcher?.search(central.problemText, options: SearchOptions(mode: .semantic, top: 1)).first?.semanticScore ?? 0) >= miner.answeredAt
            if answered { continue }
            drafts += 1
            if covered.contains(major) { duplicates += 1 }
            if planted.contains(major), Double(count) / Double(ls.count) >= 0.5 { found.insert(major) }
        }
        print("kb eval drafts — \(resolved.count) resolved tickets, \(planted.count) planted recurring problems the KB does not cover, \(covered.count) it covers")
        print(String(format: "  groups found      %d (purity %.3f)", groups.count, total == 0 ? 0 : Double(pure) / Double(total)))
        print("  drafts            \(drafts) (\(duplicates) duplicate a problem the KB answers)")
        print(String(format: "  planted recall    %d / %d = %.3f  missing: %@", found.count, planted.count,
                     planted.isEmpty ? 0 : Double(found.count) / Double(planted.count), planted.subtracting(found).sorted().joined(separator: ", ")))
    }
}
