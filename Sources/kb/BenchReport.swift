import ArgumentParser
import Foundation
import KBReports
import KBSupport
import KBTickets

/// `kb bench report`: time the metrics report on a ticket store.
struct BenchReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time the metrics report (all aggregation in SQL) on a ticket store or on generated tickets.",
        discussion:
            "With --generate N, a scratch store of N synthetic tickets is written first (deleted and rewritten each time)."
    )

    @Option(help: ArgumentHelp("Ticket store to report on.", valueName: "path"))
    var db: String = "/tmp/kb-bench-report.sqlite"

    @Option(help: ArgumentHelp("Write this many synthetic tickets into --db first.", valueName: "n"))
    var generate: Int?

    @Option(help: ArgumentHelp("Window length (30d, 8w, 3m).", valueName: "length"))
    var window: String = "30d"

    func validate() throws {
        guard Report.days(window) != nil else { throw ValidationError("--window must look like 30d, 8w or 3m") }
        if let generate, generate < 1 { throw ValidationError("--generate must be at least 1") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        if let generate {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            let start = clock.now
            try TicketStore(path: db, key: ProjectContext.pseudonymKey).insertSyntheticTickets(
                count: generate, end: Date(timeIntervalSince1970: 1_790_000_000))
            print(
                String(
                    format: "kb bench report — generated %d tickets in %.1f s", generate, (clock.now - start).seconds))
        }
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("\(db): no ticket store") }
        let store = try TicketStore(path: db, key: ProjectContext.pseudonymKey)
        let count = try store.ticketCount()
        let start = clock.now
        let w = try TicketWindow.ending(at: nil, days: Report.days(window) ?? 30, store: store)
        let report = try MetricsReport(store: store, window: w)
        let out = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kb-bench-report")
        try report.write(to: out)
        let seconds = (clock.now - start).seconds
        print(
            "kb bench report — \(db): \(count) tickets in the store, \(report.tickets) in the \(window) window, \(report.previousTickets) in the previous one"
        )
        print(String(format: "  metrics (compute + md/html/json)  %.2f s", seconds))
        print(String(format: "  peak RSS                          %.0f MB", ResourceUsage.peakResidentMB()))
    }
}
