import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBTickets

/// `--db PATH` for the ticket store.
struct TicketDatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ticket database file (kept beside the index, never inside it).", valueName: "path"))
    var db: String = "kb/tickets.sqlite"
}

/// `kb tickets import`: exports in, redacted tickets out.
struct TicketsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import ticket exports (JSONL, CSV, mapped CSV, Twitter threads) with personal data redacted.",
        discussion: """
            Bad rows are reported as file:row: what and skipped (or the bad field left empty); the import goes on. \
            Re-importing is idempotent: tickets are matched on source + external id, a changed ticket is updated in place. \
            Formats: docs/TICKETS.md.
            """)

    @OptionGroup var database: TicketDatabaseOptions

    @Option(help: "jsonl, csv or twitter-threads (default: from the file extension: .jsonl/.ndjson is jsonl, else csv).")
    var format: String?

    @Option(help: ArgumentHelp("YAML column mapping for a CSV in another layout (e.g. pipelines/mappings/kaggle-customer-support.yml).", valueName: "file"))
    var mapping: String?

    @Flag(help: "Also embed the resolved tickets now (otherwise on the first `kb tickets similar`).")
    var embed = false

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print only the summary lines, not each problem row.")
    var quiet = false

    @Argument(help: ArgumentHelp("Export files to import.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if let format, TicketFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)' (jsonl, csv, twitter-threads)") }
        if mapping != nil, let format, format != "csv" { throw ValidationError("--mapping applies to --format csv only") }
        guard !files.isEmpty else { throw ValidationError("give at least one FILE") }
    }

    func run() async throws {
        let store = try TicketStore(path: database.db)
        let importer = TicketImporter(store: store)
        var total = ImportReport()
        var failed = false
        for file in files {
            let f = format.flatMap(TicketFormat.init(rawValue:)) ?? (mapping != nil ? .csv : TicketFormat.guess(path: file))
            let r: ImportReport
            do { r = try importer.importFile(file, format: f, mappingPath: mapping) } catch {
                printError("tickets: \(error)")
                failed = true
                continue
            }
            if !quiet { r.problems.forEach { printError($0.description) } }
            printError(String(format: "tickets: %@: %d rows, %d new, %d updated, %d unchanged, %d rejected, %d fields emptied or warned, %.2f s",
                              file, r.rows, r.inserted, r.updated, r.unchanged, r.rejected, r.repaired, r.seconds))
            total.add(r)
        }
        if files.count > 1 {
            printError("tickets: \(total.rows) rows, \(total.inserted) new, \(total.updated) updated, \(total.unchanged) unchanged, \(total.rejected) rejected → \(database.db)")
        }
        if embed {
            let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
            let n = try TicketRecall(store: store, embedder: embedder).embedResolved()
            printError("tickets: embedded \(n) resolved tickets")
        }
        if failed { throw ExitCode(1) }
    }
}
