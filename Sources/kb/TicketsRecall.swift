import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBGaps
import KBTickets

/// Loads the ticket store's tickets with their vectors (cached by model and text hash in
/// `<store folder>/cache/ticket-vectors.bin`, so only new texts are embedded).
struct RecallLoader {
    static func load(db: String, model: String?) throws -> (TicketStore, TicketRecall, MiniLMEmbedder) {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("\(db): no ticket store (run `kb tickets import` first)")
        }
        let store = try TicketStore(path: db, key: ProjectContext.pseudonymKey)
        let embedder = try MiniLMEmbedder(
            modelDirectory: ModelLocator.directory(explicit: model), settings: .fromEnvironment())
        let tickets = try store.recallTickets()
        let folder = (db as NSString).deletingLastPathComponent
        var cache = QuestionVectorCache(
            path: ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent("cache/ticket-vectors.bin"),
            modelHash: embedder.modelHash)
        let vectors = try cache.vectors(for: tickets.map(\.problemText), embedder: embedder).vectors
        try cache.save()
        return (store, TicketRecall(tickets: tickets, vectors: vectors), embedder)
    }
}

/// `kb tickets similar`: resolved tickets recalled by meaning, with their resolutions.
struct TicketsSimilar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract:
            "Find resolved tickets whose problem means the same as TEXT (or as ticket --ticket), with the fixes that worked."
    )

    @OptionGroup var tickets: TicketDatabaseOptions

    @Argument(help: "The problem, in any words (redacted before use).")
    var text: String?

    @Option(
        help: ArgumentHelp(
            "Use this ticket's problem instead of TEXT (external id or source:external_id).", valueName: "id"))
    var ticket: String?

    @Option(
        help: ArgumentHelp(
            "Only this customer's tickets (their e-mail or export id; matched through the keyed pseudonym).",
            valueName: "id"))
    var customer: String?

    @Option(help: "How many tickets to list.")
    var top: Int = 5

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (text == nil) != (ticket == nil) else { throw ValidationError("give either TEXT or --ticket ID") }
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("TEXT is empty")
        }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let (store, recall, embedder) = try RecallLoader.load(db: tickets.db, model: model.directory)
        let query: [Float], excluded: Int64?
        if let ticket {
            guard let (t, v) = recall.vector(of: ticket) else {
                throw ValidationError("ticket \(ticket) is not in \(tickets.db)")
            }
            query = v; excluded = t.id
        } else {
            query = try embedder.embed([Redactor().redact(text!)])[0]; excluded = nil
        }
        let matches = recall.similar(to: query, customer: customer.map(store.pseudonym), top: top, excluding: excluded)
        let threshold = recall.confidenceThreshold() ?? 1
        if json {
            let rows: [[String: Any]] = matches.map { m in
                [
                    "ticket": m.ticket.reference, "similarity": (m.similarity * 1000).rounded() / 1000,
                    "subject": m.ticket.subject,
                    "confident": m.similarity >= threshold,
                    "channel": m.ticket.channel ?? "", "created_at": m.ticket.createdAt ?? "",
                    "resolution": m.ticket.resolution ?? "",
                    "steps": m.ticket.steps,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if matches.isEmpty { print("no resolved tickets" + (customer == nil ? "" : " for this customer")) }
        if let best = matches.first {
            print(
                best.similarity >= threshold
                    ? "Similar resolved tickets (same problem from similarity \(fmt(threshold, 3)), measured on this store):"
                    : "No similar resolved ticket: the closest is at \(fmt(best.similarity, 3)), below \(fmt(threshold, 3)) (this store's same-problem similarity). Closest:"
            )
        }
        for m in matches {
            print(String(format: "%.3f  %@  %@", m.similarity, m.ticket.reference, m.ticket.subject))
            if let r = m.ticket.resolution { print("       fix: \(r)") }
            for (i, s) in m.ticket.steps.enumerated() { print("       \(i + 1). \(s)") }
        }
    }
}

/// `kb tickets links`: suggested links between one customer's tickets across channels.
struct TicketsLinks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract:
            "Suggest links between one customer's tickets on different channels that describe the same problem within 14 days.",
        discussion: "Suggestions only, listed for an agent to approve: nothing is linked silently.")

    @OptionGroup var tickets: TicketDatabaseOptions

    @Option(help: "Cosine similarity from which two problems count as the same.")
    var similarity: Double = 0.7

    @Option(help: "Largest gap between the two tickets, in days.")
    var days: Double = 14

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var model: ModelOptions

    func run() async throws {
        let (_, recall, _) = try RecallLoader.load(db: tickets.db, model: model.directory)
        let links = recall.linkSuggestions(similarity: similarity, days: days)
        if json {
            let rows: [[String: Any]] = links.map { l in
                [
                    "tickets": [l.first.reference, l.second.reference],
                    "channels": [l.first.channel ?? "", l.second.channel ?? ""],
                    "similarity": (l.similarity * 1000).rounded() / 1000, "days_apart": (l.days * 10).rounded() / 10,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(links.count) suggested links (approve each before linking)")
        for l in links {
            print(
                String(
                    format: "%.3f  %@ (%@) ↔ %@ (%@), %.1f days apart", l.similarity, l.first.reference,
                    l.first.channel ?? "?",
                    l.second.reference, l.second.channel ?? "?", l.days))
        }
    }
}
