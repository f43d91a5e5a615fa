import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBTickets

/// `kb tickets links`: suggested links between one customer's tickets on different channels.
struct TicketsLinks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Suggest links between a customer's tickets on different channels about the same problem (within 14 days).",
        discussion: "Suggestions only: nothing is linked until a reviewer runs --approve A B (or --reject A B, which stops the pair from being suggested again).")

    @OptionGroup var database: TicketDatabaseOptions

    @Option(help: ArgumentHelp("Only this customer (e-mail or id from the export, or the stored pseudonym).", valueName: "id"))
    var customer: String?

    @Option(help: "Largest gap between the two tickets' creation, in days.")
    var days: Double = 14

    @Option(help: "Smallest cosine similarity of the two problem texts.")
    var minSimilarity: Double = 0.6

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Approve the link between two tickets (source:id source:id).", valueName: "ticket"))
    var approve: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Reject the suggested link between two tickets (source:id source:id).", valueName: "ticket"))
    var reject: [String] = []

    @Flag(help: "List the links already approved or rejected.")
    var decided = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if !approve.isEmpty, approve.count != 2 { throw ValidationError("--approve takes exactly two tickets") }
        if !reject.isEmpty, reject.count != 2 { throw ValidationError("--reject takes exactly two tickets") }
        if [!approve.isEmpty, !reject.isEmpty, decided].filter({ $0 }).count > 1 { throw ValidationError("use one of --approve, --reject, --decided") }
        if days <= 0 { throw ValidationError("--days must be positive") }
    }

    func run() async throws {
        let store = try TicketStore(path: database.db)
        do {
            if approve.count == 2 || reject.count == 2 {
                let pair = approve.isEmpty ? reject : approve
                try store.decideLink(pair[0], pair[1], approved: !approve.isEmpty)
                printError("tickets: link \(pair[0]) ↔ \(pair[1]) \(approve.isEmpty ? "rejected" : "approved")")
                return
            }
            if decided {
                let list = try store.linkDecisions()
                if json { try printJSON(list); return }
                for d in list { print("\(d.approved ? "approved" : "rejected")  \(d.first) ↔ \(d.second)  \(d.decidedAt)") }
                return
            }
            let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
            var linker = TicketLinker(store: store, embedder: embedder)
            linker.windowDays = days
            linker.minSimilarity = minSimilarity
            let suggestions = try linker.suggestions(customer: customer)
            if json { try printJSON(suggestions); return }
            for s in suggestions {
                print(String(format: "%@ (%@) ↔ %@ (%@)  similarity %.2f, %.1f days apart, customer %@", s.first.reference, s.first.channel ?? "?",
                             s.second.reference, s.second.channel ?? "?", s.similarity, s.daysApart, String((s.customer ?? "?").prefix(12))))
                print("   \(TicketsSimilar.line(s.first.problemText, 100))")
                print("   \(TicketsSimilar.line(s.second.problemText, 100))")
                print("   approve: kb tickets links --approve \(s.first.reference) \(s.second.reference)")
            }
            printError("tickets: \(suggestions.count) link suggestions (nothing linked; approve or reject each)")
        } catch let error as TicketRecallError {
            throw ValidationError(error.description)
        }
    }

    private func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
