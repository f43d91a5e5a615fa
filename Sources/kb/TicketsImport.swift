import ArgumentParser
import Foundation
import KBPipeline
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
        discussion: "A flat tickets.csv is joined with customers.csv, messages.csv and resolutions.csv when they sit in its folder (docs/TICKETS.md). Bad rows are reported as file:row: what and skipped (or the bad field left empty); the import goes on. Re-importing is idempotent: tickets are matched on source + external id.")

    @OptionGroup var database: TicketDatabaseOptions

    @Option(help: "jsonl, csv or twitter-threads (default: from the file extension).")
    var format: String?

    @Option(help: ArgumentHelp("YAML column mapping for a CSV in another layout.", valueName: "file"))
    var mapping: String?

    @Argument(help: "Export files to import.")
    var files: [String]

    @Flag(help: "Print only the summary line.")
    var quiet = false

    func validate() throws {
        if let format, TicketFormat(rawValue: format) == nil { throw ValidationError("unknown --format '\(format)' (jsonl, csv, twitter-threads)") }
        guard !files.isEmpty else { throw ValidationError("give at least one FILE") }
    }

    func run() async throws {
        let locks = try takeStoreLocks([database.db], command: "tickets")
        defer { locks.forEach { $0.release() } }
        let store = try TicketStore(path: database.db)
        let importer = TicketImporter(store: store)
        var total = ImportReport()
        for file in files {
            let f = format.flatMap(TicketFormat.init(rawValue:)) ?? TicketFormat.guess(path: file)
            let r = try importer.importFile(file, format: f, mappingPath: mapping)
            if let note = r.note { printError("tickets: \(file): skipped: \(note)"); continue }
            if !quiet { r.problems.forEach { printError($0.description) } }
            printError(String(format: "tickets: %@: %d rows, %d new, %d updated, %d unchanged, %d rejected, %d warnings, %.2f s",
                              file, r.rows, r.inserted, r.updated, r.unchanged, r.rejected, r.problems.count - r.rejected, r.seconds))
            total.rows += r.rows; total.inserted += r.inserted; total.updated += r.updated; total.unchanged += r.unchanged
            total.problems += r.problems
        }
        if files.count > 1 {
            printError("tickets: \(total.rows) rows, \(total.inserted) new, \(total.updated) updated, \(total.unchanged) unchanged, \(total.rejected) rejected → \(database.db)")
        }
        // Like `kb run`: 3 when rows were rejected, so a script notices.
        let code = RunExitCode.forImport([total])
        if code != .success { throw ExitCode(code.rawValue) }
    }
}
