import ArgumentParser
import Foundation
import KBChunking
import KBDrafts
import KBEmbedding
import KBTickets

/// `kb drafts`: mine resolved tickets for KB drafts.
struct Drafts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Mine resolved tickets for recurring problems the KB does not answer, and write drafts into kb/drafts/.",
        discussion:
            "An editor's change to a draft is never overwritten: the new version goes beside it as <id>.proposed.md.")

    @OptionGroup var tickets: TicketStoreOptions

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Drafts folder.", valueName: "dir"))
    var drafts: String = Paths.drafts

    @Option(help: "Smallest group of tickets that gets a draft.")
    var minTickets: Int = 3

    @Option(help: ArgumentHelp("Ticket-vector cache file (only unseen problem texts are embedded).", valueName: "path"))
    var cache: String = Paths.cache("draft-vectors.bin")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print what was written as JSON on standard output.")
    var json = false

    func run() async throws {
        let embedder = try model.embedder()
        var miner = DraftMiner()
        miner.minTickets = minTickets
        miner.cachePath = cache
        let outcome = try miner.run(
            store: TicketStore(path: tickets.db, key: ProjectContext.pseudonymKey), indexPath: database.db,
            drafts: DraftStore(folder: URL(fileURLWithPath: drafts, isDirectory: true)), embedder: embedder)
        for a in outcome.answeredByKB {
            printError(
                String(
                    format: "drafts: no draft for \"%@\": the KB answers it (%@, score %.2f)", a.title, a.article,
                    a.score))
        }
        for w in outcome.written {
            switch w {
            case .created(let p): printError("drafts: new \(p)")
            case .updated(let p): printError("drafts: updated \(p)")
            case .unchanged: break
            case .proposedBeside(let p, let proposal, true):
                printError("drafts: \(p) was edited or is under review; new version in \(proposal) (`kb review diff`)")
            case .proposedBeside(let p, let proposal, false):
                printError("drafts: \(p) cannot be read (kept as the editor saved it); new version in \(proposal)")
            }
        }
        for id in outcome.superseded {
            printError("drafts: removed \(id) (untouched; its tickets are in the drafts above now)")
        }
        let r = outcome.refinement
        if let cut = r.resolutionCut {
            printError(
                String(
                    format:
                        "drafts: one problem per group (resolution cut %.3f): %d groups split by how they were fixed, %d merged, %d without a shared fix dropped, %d tickets left out",
                    cut, r.split, r.merged, r.dropped, r.leftOut))
        }
        if json {
            print(
                String(decoding: try JSONOutput.encode(Summary(outcome), kind: "drafts", pretty: true), as: UTF8.self))
        }
        printError(
            "drafts: \(outcome.groups.count) recurring groups, \(outcome.answeredByKB.count) already answered by the KB, \(outcome.written.count) drafts written or kept, \(outcome.skippedRejected.count) rejected groups not proposed again"
        )
    }
}

extension Drafts {
    /// What `kb drafts --json` prints.
    struct Summary: Encodable {
        struct Written: Encodable { var path: String; var action: String; var proposal: String? }
        struct Answered: Encodable { var title: String; var article: String; var score: Double }
        var groups: Int
        var written: [Written]
        var answeredByKb: [Answered]
        var rejectedNotProposedAgain: [String]
        var superseded: [String]

        init(_ o: DraftMiner.Outcome) {
            groups = o.groups.count
            written = o.written.map { w in
                switch w {
                case .created(let p): Written(path: p, action: "created")
                case .updated(let p): Written(path: p, action: "updated")
                case .unchanged(let p): Written(path: p, action: "unchanged")
                case .proposedBeside(let p, let proposal, let readable):
                    Written(path: p, action: readable ? "proposed" : "unreadable_kept", proposal: proposal)
                }
            }
            answeredByKb = o.answeredByKB.map { Answered(title: $0.title, article: $0.article, score: $0.score) }
            rejectedNotProposedAgain = o.skippedRejected
            superseded = o.superseded
        }
    }
}
