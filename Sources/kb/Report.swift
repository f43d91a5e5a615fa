import ArgumentParser
import Foundation
import KBPipeline
import KBReports
import KBSupport
import KBTickets

/// `kb report`: the metrics report.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write the metrics report (volume, response and resolution times, CSAT, reopen and escalation rates, deflection, gaps, drafts) as Markdown, HTML and JSON.",
        discussion: """
            Every figure covers the window and is compared with the window of the same length before it \
            ("no earlier data" when the data starts after that window begins; "not in this export" for a \
            field no ticket carries). Without --until the window ends with the day of the latest ticket. \
            Without --out the Markdown report (or, with --json, the JSON) goes to standard output and no \
            file is written: the pipeline's reports folder changes only when --out names it.
            """)

    @OptionGroup var tickets: TicketDatabaseOptions

    @Option(help: ArgumentHelp("Window length: 30d, 8w or 3m (months of 30 days).", valueName: "length"))
    var window: String = "30d"

    @Option(
        help: ArgumentHelp(
            "Start of the window (ISO 8601 date or time); with --until instead of --window.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("End of the window, exclusive (ISO 8601 date or time).", valueName: "date"))
    var until: String?

    @Option(
        help: ArgumentHelp(
            "Folder to write metrics.md, metrics.html and metrics.json into (default: print to standard output).",
            valueName: "dir"))
    var out: String?

    @Flag(help: "Print the report as JSON (schema_version inside) instead of Markdown.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Gaps report to take topics and the KB-answerable share from (skipped when missing).", valueName: "file"))
    var gaps: String = Paths.reports + "/gaps.json"

    @Option(
        help: ArgumentHelp("Drafts folder for the draft pipeline section (skipped when missing).", valueName: "dir"))
    var drafts: String = Paths.drafts

    @Option(help: "Who reads it: internal (everything) or customers (no ticket references).")
    var audience: ReportAudience = .internal

    func validate() throws {
        if since != nil, until == nil { throw ValidationError("--since needs --until") }
        if since == nil, Self.days(window) == nil {
            throw ValidationError("--window must look like 30d, 8w or 3m (at most \(ReportWindow.maxDays) days)")
        }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimestampParser.parse(value) == nil {
                throw ValidationError("\(name) \(value): not an ISO 8601 date or time")
            }
        }
        if let s = since.flatMap(TimestampParser.parse), let u = until.flatMap(TimestampParser.parse), s >= u {
            throw ValidationError("--since \(since!) is not before --until \(until!)")
        }
    }

    static func days(_ text: String) -> Int? { ReportWindow.days(text) }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: tickets.db) else {
            printError("kb report: \(tickets.db): no ticket store (run `kb tickets import` first)")
            throw ExitCode(RunExitCode.failure.rawValue)
        }
        let store = try TicketStore(path: tickets.db, key: ProjectContext.pseudonymKey)
        let clock = ContinuousClock()
        let start = clock.now
        let w: TicketWindow
        if let since, let until, let from = TimestampParser.parse(since), let to = TimestampParser.parse(until) {
            w = TicketWindow(since: from, until: to)
        } else if let days = Self.days(window) {
            w = try TicketWindow.ending(at: until.flatMap(TimestampParser.parse), days: days, store: store)
        } else {
            throw ValidationError("--window must look like 30d, 8w or 3m (at most \(ReportWindow.maxDays) days)")
        }
        let report = try MetricsReport(
            store: store, window: w,
            inputs: MetricsInputs(
                gapsJSON: FileManager.default.fileExists(atPath: gaps) ? gaps : nil,
                draftsFolder: FileManager.default.fileExists(atPath: drafts) ? drafts : nil, audience: audience.rawValue
            ))
        guard let out else {
            if json {
                print(String(decoding: try report.json(), as: UTF8.self))
            } else {
                print(try report.markdown(), terminator: "")
            }
            return
        }
        try report.write(to: URL(fileURLWithPath: out, isDirectory: true))
        printError(
            String(
                format: "report: %d tickets in %@ (previous window %d); wrote %@/metrics.{md,html,json} in %.2f s",
                report.tickets, "\(w.since) – \(w.until)", report.previousTickets, out, (clock.now - start).seconds))
    }
}

/// Who reads a metrics report.
enum ReportAudience: String, ExpressibleByArgument, CaseIterable {
    case `internal`, customers
}
