import ArgumentParser
import Foundation
import KBPipeline
import KBSupport
import KBTickets

/// `--tickets-db PATH` (also `--db PATH`) for the ticket store, in the commands that read no
/// index (`kb tickets …`, `kb report`).
struct TicketDatabaseOptions: ParsableArguments {
    @Option(
        name: [.customLong("tickets-db"), .customLong("db")],
        help: ArgumentHelp(
            "Ticket database file (kept beside the index, never inside it; also --db).", valueName: "path"))
    var db: String = Paths.tickets
}

/// `--tickets-db PATH` for the ticket store, in commands that also take the index (`--db`).
struct TicketStoreOptions: ParsableArguments {
    @Option(name: .customLong("tickets-db"), help: ArgumentHelp("Ticket database file.", valueName: "path"))
    var db: String = Paths.tickets
}

/// `kb tickets import`: exports in, redacted tickets out.
struct TicketsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import ticket exports (JSONL, CSV, mapped CSV, Twitter threads) with personal data redacted.",
        discussion:
            "A flat tickets.csv is joined with customers.csv, messages.csv and resolutions.csv when they sit in its folder (docs/TICKETS.md). Bad rows are reported as file:row: what and skipped (or the bad field left empty); the import goes on. Re-importing is idempotent: tickets are matched on source + external id."
    )

    @OptionGroup var database: TicketDatabaseOptions

    @Option(help: "jsonl, csv or twitter-threads (default: from the file extension).")
    var format: TicketFormat?

    @Option(help: ArgumentHelp("YAML column mapping for a CSV in another layout.", valueName: "file"))
    var mapping: String?

    @Argument(help: "Export files to import.")
    var files: [String]

    @Flag(help: "Print only the summary line.")
    var quiet = false

    @Flag(
        help:
            "Print what each file gave as JSON on standard output (rows, new, updated, rejected, every problem with its row)."
    )
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one FILE") }
    }

    func run() async throws {
        let locks = try takeStoreLocks([database.db], command: "tickets")
        defer { locks.forEach { $0.release() } }
        let store = try TicketStore(path: database.db, key: ProjectContext.pseudonymKey)
        let importer = TicketImporter(store: store)
        var total = ImportReport()
        var summary = Summary()
        for file in files {
            let f = format ?? TicketFormat.guess(path: file)
            let r = try importer.importFile(file, format: f, mappingPath: mapping)
            if let note = r.note { printError("tickets: \(file): skipped: \(note)"); continue }
            if !quiet { r.problems.forEach { printError($0.description) } }
            printError(
                String(
                    format: "tickets: %@: %d rows, %d new, %d updated, %d unchanged, %d rejected, %d warnings, %.2f s",
                    file, r.rows, r.inserted, r.updated, r.unchanged, r.rejected, r.problems.count - r.rejected,
                    r.seconds))
            total.rows += r.rows; total.inserted += r.inserted; total.updated += r.updated;
            total.unchanged += r.unchanged
            total.problems += r.problems
            summary.files.append(
                .init(
                    file: file, rows: r.rows, new: r.inserted, updated: r.updated, unchanged: r.unchanged,
                    rejected: r.rejected,
                    problems: r.problems.map {
                        .init(file: $0.file, row: $0.row, message: $0.message, skipped: $0.skipped)
                    }))
        }
        if json {
            print(String(decoding: try JSONOutput.encode(summary, kind: "tickets_import", pretty: true), as: UTF8.self))
        }
        if files.count > 1 {
            printError(
                "tickets: \(total.rows) rows, \(total.inserted) new, \(total.updated) updated, \(total.unchanged) unchanged, \(total.rejected) rejected → \(database.db)"
            )
        }
        // Like `kb run`: 3 when rows were rejected, so a script notices.
        let code = RunExitCode.forImport([total])
        if code != .success { throw ExitCode(code.rawValue) }
    }
}

extension TicketsImport {
    /// What `kb tickets import --json` prints.
    struct Summary: Encodable {
        struct Problem: Encodable { var file: String; var row: Int; var message: String; var skipped: Bool }
        struct File: Encodable {
            var file: String
            var rows, new, updated, unchanged, rejected: Int
            var problems: [Problem]
        }
        var files: [File] = []
    }
}

extension TicketFormat: ExpressibleByArgument {}
