import ArgumentParser
import Foundation
import KBSupport
import KBTickets

/// `kb bench tickets`: import speed on the shared exports and on a generated stream.
struct BenchTickets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract:
            "Time ticket import (redaction included): the shared Kaggle CSV and Twitter sample, and a generated stream of N messages."
    )

    @Option(help: ArgumentHelp("Kaggle customer-support CSV.", valueName: "file"))
    var kaggle = "../shared/data/tickets-customer-support-kaggle/customer_support_tickets.csv"

    @Option(help: ArgumentHelp("Its column mapping.", valueName: "file"))
    var mapping = "pipelines/mappings/kaggle-customer-support.yml"

    @Option(help: ArgumentHelp("Twitter customer-support sample (twcs.csv).", valueName: "file"))
    var twcs = "../shared/data/tickets-twcs-sample/twcs.csv"

    @Option(help: "Messages in the generated stream (0 to skip it).")
    var messages = 1_000_000

    @Option(help: "Messages in generated flat CSV tables (tickets, customers, messages, resolutions; 0 to skip them).")
    var flatMessages = 200_000

    @Option(help: ArgumentHelp("Scratch folder (its stores are deleted and rewritten).", valueName: "dir"))
    var scratch = NSTemporaryDirectory() + "kb-bench-tickets"

    func run() async throws {
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let store = try TicketStore(path: scratch + "/shared.sqlite", key: ProjectContext.pseudonymKey)
        let importer = TicketImporter(store: store)
        print("kb bench tickets")
        var total = 0.0
        for (path, format, map) in [(kaggle, TicketFormat.csv, Optional(mapping)), (twcs, .twitterThreads, nil)] {
            let r = try importer.importFile(path, format: format, mappingPath: map)
            total += r.seconds
            let rejected = r.problems.filter(\.skipped)
            print(
                String(
                    format: "  %@: %d rows in %.2f s (%.0f rows/s), %d rejected, %d fields emptied",
                    (path as NSString).lastPathComponent, r.rows, r.seconds, Double(r.rows) / max(r.seconds, 1e-9),
                    rejected.count, r.problems.count - rejected.count))
            for p in rejected.prefix(3) { print("    rejected \(p)") }
        }
        print(String(format: "  both shared files   %.2f s", total))
        if flatMessages > 0 {
            let folder = scratch + "/flat"
            let tickets = try SyntheticTicketStream.writeFlat(messages: flatMessages, folder: folder)
            let r = try TicketImporter(
                store: TicketStore(path: scratch + "/flat.sqlite", key: ProjectContext.pseudonymKey)
            ).importFile(
                folder + "/tickets.csv", format: .csv)
            print(
                String(
                    format:
                        "  flat CSV tables     %.1f s: %.0f messages/s (%d tickets joined to %d messages, %d rejected)",
                    r.seconds, Double(tickets * 4) / r.seconds, r.inserted, tickets * 4, r.rejected))
        }
        guard messages > 0 else { return }
        let file = scratch + "/stream.jsonl"
        let clock = ContinuousClock()
        var start = clock.now
        let tickets = try SyntheticTicketStream.write(messages: messages, to: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print(
            String(
                format: "  generated %d tickets, %d messages, %.0f MB in %.1f s", tickets, tickets * 4,
                Double(size) / 1_048_576,
                (clock.now - start).seconds))
        start = clock.now
        let r = try TicketImporter(
            store: TicketStore(path: scratch + "/stream.sqlite", key: ProjectContext.pseudonymKey)
        ).importFile(
            file, format: .jsonl)
        let seconds = (clock.now - start).seconds
        print(
            String(
                format: "  stream import       %.1f s: %.0f messages/s redacted and written (%d tickets, %d rejected)",
                seconds, Double(tickets * 4) / seconds, r.inserted, r.problems.filter(\.skipped).count))
        print(String(format: "  peak RSS            %.0f MB", ResourceUsage.peakResidentMB()))
    }
}
