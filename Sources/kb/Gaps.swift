import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBGaps
import KBReports
import KBTickets

/// `kb gaps`: customer questions the published KB does not answer, as labelled topics.
struct Gaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "Cluster customer questions the KB does not answer into labelled topics with volume and trend.",
        discussion: """
            Questions come from the ticket store (subject + first customer message, redacted at import), a \
            questions file (--questions, CSV or JSONL with a text column and an optional timestamp) or a tickets \
            file in format v1 (--tickets). \
            Each is searched against the published KB (hybrid); unanswered ones are clustered without a preset \
            number of topics. Writes gaps.md, gaps.html and gaps.json into --out.
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Do not search a KB: every question counts as unanswered (cluster a search log as is).")
    var noIndex = false

    @Option(
        help: ArgumentHelp(
            "File of questions: CSV or JSONL with a text column and an optional timestamp.", valueName: "file"))
    var questions: String?

    @Option(
        help: ArgumentHelp(
            "Tickets file in format v1 (JSON Lines, docs/TICKETS.md) instead of the ticket store.", valueName: "file"))
    var tickets: String?

    @OptionGroup var ticketStore: TicketStoreOptions

    @Option(
        help: ArgumentHelp("Name of the text column (default: text, question, query or subject).", valueName: "name"))
    var textColumn: String?

    @Option(
        help: ArgumentHelp(
            "Name of the timestamp column (default: timestamp, created_at, date or time).", valueName: "name"))
    var timeColumn: String?

    @Option(
        help: ArgumentHelp(
            "Write a CSV (row,topic,answered_score), one row per input row in input order.", valueName: "file"))
    var assignments: String?

    @Option(help: ArgumentHelp("Folder for gaps.md, gaps.html and gaps.json.", valueName: "dir"))
    var out: String = Paths.reports

    @Option(help: ArgumentHelp("Question-vector cache file.", valueName: "path"))
    var cache: String = Paths.cache("gap-vectors.bin")

    @Option(
        help: ArgumentHelp(
            "End of the report window (ISO 8601 date or time; default: the latest question).", valueName: "date"))
    var asOf: String?

    @Option(
        help: ArgumentHelp(
            "Length of the report window in weeks (default: back to the earliest question).", valueName: "n"))
    var weeks: Int?

    @Flag(help: "Print the report as JSON on standard output.")
    var json = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if let asOf, TimestampParser.parse(asOf) == nil {
            throw ValidationError("--as-of: not an ISO 8601 date: \(asOf)")
        }
        if let weeks, weeks < 1 { throw ValidationError("--weeks must be at least 1.") }
        if questions != nil && tickets != nil {
            throw ValidationError("Give at most one of --questions FILE or --tickets FILE.")
        }
    }

    func run() async throws {
        let embedder = try model.embedder()
        if !noIndex && !FileManager.default.fileExists(atPath: database.db) {
            throw ValidationError("No index at \(database.db): run `kb index` first, or pass --no-index.")
        }
        let source: GapsSource =
            questions.map { .questions(path: $0, textColumn: textColumn, timeColumn: timeColumn) }
            ?? tickets.map { .tickets(path: $0) } ?? .ticketStore(path: ticketStore.db)
        var runner = GapsRunner(embedder: embedder, indexPath: noIndex ? nil : database.db, cachePath: cache)
        runner.asOf = asOf.flatMap(TimestampParser.parse)
        runner.maxWeeks = weeks
        let result = try runner.run(source: source)
        result.report.problems.forEach { printError("gaps: skipped \($0)") }
        let written = try GapsPage.write(result.report, to: out)
        if let assignments {
            try GapsRender.assignmentsCSV(rows: result.rows, questions: result.questions, outcomes: result.outcomes)
                .write(toFile: assignments, atomically: true, encoding: .utf8)
        }
        let r = result.report, s = result.stats
        printError(
            "gaps: \(r.questions) questions, \(r.answered) answered, \(r.unanswered) unanswered in \(r.topics.count) topics "
                + "(\(r.outliers) outliers); embedded \(s.embedded) in \(fmt(s.embedSeconds)) s, searched in \(fmt(s.searchSeconds)) s, "
                + "clustered in \(fmt(s.clusterSeconds)) s; answered threshold \(fmt(r.answeredThreshold, 4))"
                + (s.detectorFittedHere
                    ? " (fitted now: re-run `kb index` to store it)" : " (this KB's own, from the index)")
                + "; \(s.answeredTopics) topics of alike questions called answered by majority, \(s.citedTickets) article-citing tickets; wrote \(written.joined(separator: ", "))"
        )
        if json { print(try GapsRender.json(r), terminator: "") }
    }
}
