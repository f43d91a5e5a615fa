import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBTickets

/// `kb tickets similar`: resolved tickets recalled by meaning, with their fixes.
struct TicketsSimilar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find resolved tickets that describe the same problem (by meaning), with their resolutions.",
        discussion: "Ticket vectors are computed on first use and cached in the ticket database per model. The query is redacted like imported text before it is embedded.")

    @OptionGroup var database: TicketDatabaseOptions

    @Argument(help: ArgumentHelp("The problem, in any words.", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Instead of TEXT: a stored ticket (source:id, or an id unique across sources).", valueName: "id"))
    var ticket: String?

    @Option(help: ArgumentHelp("Only this customer's tickets (e-mail or id from the export, or the stored pseudonym).", valueName: "id"))
    var customer: String?

    @Option(help: "How many tickets to show.")
    var top: Int = 5

    @Flag(help: "Print JSON (an array of {score, ticket}) instead of text.")
    var json = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if (text == nil) == (ticket == nil) { throw ValidationError("give either TEXT or --ticket ID") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let store = try TicketStore(path: database.db)
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        let recall = TicketRecall(store: store, embedder: embedder)
        let results: [SimilarTicket]
        do {
            results = try ticket.map { try recall.similar(toTicket: $0, customer: customer, top: top) }
                ?? recall.similar(to: text!, customer: customer, top: top)
        } catch let error as TicketRecallError {
            throw ValidationError(error.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
            return
        }
        if results.isEmpty { printError("tickets: no resolved tickets to compare with"); return }
        for (i, r) in results.enumerated() {
            let t = r.ticket
            print(String(format: "%d. %@  %.2f  [%@, %@, %@]", i + 1, t.reference, r.score, t.channel ?? "?", t.status, String((t.createdAt ?? "").prefix(10))))
            print("   problem: \(Self.line(t.problemText))")
            if let res = t.resolution {
                if let s = res.summary { print("   fix: \(Self.line(s))") }
                if let c = res.cause { print("   cause: \(Self.line(c))") }
                for (k, step) in res.steps.enumerated() { print("   \(k + 1)) \(Self.line(step))") }
                if let a = res.article { print("   article: \(a)") }
            } else if let reply = t.lastReply {
                print("   last reply: \(Self.line(reply))")
            }
        }
    }

    static func line(_ s: String, _ limit: Int = 200) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
