import Foundation
import KBMarkdown
import KBTickets
import XCTest

@testable import KBReports

/// Every metric on a ticket store the test writes, with answers computed by hand.
final class MetricsReportTests: XCTestCase {
    private var dir: URL!
    private var store: TicketStore!

    /// Window 2026-01-10 … 2026-01-20 holds A–E; F is in the previous window.
    /// First response: A 3600 s, B 1800 s, E 7200 s (from its first agent message), C missing,
    /// D negative (agent message an hour before creation). Resolution: A 86400, B 7200,
    /// D 86400, E 21600 (closed). CSAT: A 5, B 3, D 4.
    static let fixture = [
        #"{"source":"t","id":"A","subject":"a","status":"resolved","priority":"high","channel":"email","category":"<script>alert(1)</script>","created_at":"2026-01-10T00:00:00Z","first_response_at":"2026-01-10T01:00:00Z","resolved_at":"2026-01-11T00:00:00Z","csat":5,"resolved_by":"agent","messages":[{"role":"customer","text":"a"}]}"#,
        #"{"source":"t","id":"B","subject":"b","status":"resolved","priority":"normal","channel":"chat","category":"\"><img src=x onerror=alert(1)>","created_at":"2026-01-12T00:00:00Z","first_response_at":"2026-01-12T00:30:00Z","resolved_at":"2026-01-12T02:00:00Z","csat":3,"resolved_by":"bot","messages":[{"role":"customer","text":"b"}]}"#,
        #"{"source":"t","id":"C","subject":"c","status":"open","priority":"high","channel":"phone","created_at":"2026-01-13T00:00:00Z","escalated":true,"messages":[{"role":"customer","text":"c"}]}"#,
        #"{"source":"t","id":"D","subject":"d","status":"resolved","priority":"normal","channel":"email","created_at":"2026-01-14T00:00:00Z","resolved_at":"2026-01-15T00:00:00Z","csat":4,"reopen_count":1,"resolved_by":"agent","messages":[{"role":"customer","at":"2026-01-14T00:00:00Z","text":"d"},{"role":"agent","at":"2026-01-13T23:00:00Z","text":"reply"}],"resolution":{"summary":"s","article":"kb/x.md"}}"#,
        #"{"source":"t","id":"E","subject":"e","status":"closed","priority":"low","channel":"chat","created_at":"2026-01-15T00:00:00Z","closed_at":"2026-01-15T06:00:00Z","escalated":true,"resolved_by":"self_service","messages":[{"role":"customer","at":"2026-01-15T00:00:00Z","text":"e"},{"role":"agent","at":"2026-01-15T02:00:00Z","text":"reply"}]}"#,
        #"{"source":"t","id":"F","subject":"f","status":"resolved","priority":"normal","channel":"email","created_at":"2026-01-05T00:00:00Z","first_response_at":"2026-01-05T00:10:00Z","resolved_at":"2026-01-05T01:00:00Z","csat":1,"resolved_by":"agent","messages":[{"role":"customer","text":"f"}]}"#,
    ]

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("t.jsonl")
        try Self.fixture.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
        let imported = try TicketImporter(store: store).importFile(file.path, format: .jsonl)
        XCTAssertEqual(imported.inserted, 6)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func date(_ s: String) -> Date { TimestampParser.parse(s)! }
    var window: TicketWindow { TicketWindow(since: date("2026-01-10T00:00:00Z"), until: date("2026-01-20T00:00:00Z")) }

    func testEveryMetricMatchesHandComputedValues() throws {
        let r = try MetricsReport(store: store, window: window)
        XCTAssertEqual(r.tickets, 5)
        XCTAssertEqual(r.previousTickets, 1)
        XCTAssertEqual(
            r.previousWindow, TicketWindow(since: date("2025-12-31T00:00:00Z"), until: date("2026-01-10T00:00:00Z")))
        XCTAssertEqual(r.volumeByDay.count, 10, "every day of the window, empty days as zero")
        XCTAssertEqual(r.volumeByDay.map(\.count), [1, 0, 1, 1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(
            r.byChannel.map { "\($0.key)=\($0.count)/\($0.previous)" }, ["chat=2/0", "email=2/1", "phone=1/0"])
        XCTAssertEqual(r.backlog.map { "\($0.status) \($0.priority) \($0.count)" }, ["open high 1"])
        // Nearest rank: median = rank ⌈n/2⌉, p90 = rank ⌈0.9·n⌉ of the measurable durations.
        XCTAssertEqual(
            r.firstResponse.overall,
            DurationStats(measured: 3, medianSeconds: 3600, p90Seconds: 7200, negative: 1, missing: 1))
        XCTAssertEqual(
            r.resolution.overall,
            DurationStats(measured: 4, medianSeconds: 21600, p90Seconds: 86400, negative: 0, missing: 0))
        XCTAssertEqual(r.firstResponse.previous.medianSeconds, 600)
        XCTAssertEqual(
            r.firstResponse.byChannel["chat"],
            DurationStats(measured: 2, medianSeconds: 1800, p90Seconds: 7200, negative: 0, missing: 0))
        XCTAssertEqual(
            r.firstResponse.byChannel["email"],
            DurationStats(measured: 1, medianSeconds: 3600, p90Seconds: 3600, negative: 1, missing: 0))
        XCTAssertEqual(r.firstResponse.byPriority["high"]?.missing, 1)
        XCTAssertEqual(r.csatDistribution, [0, 0, 1, 1, 1])
        func figure(_ name: String) -> MetricsReport.Figure? { r.figures.first { $0.name.hasPrefix(name) } }
        XCTAssertEqual(figure("CSAT mean")?.value, 4)
        // The data starts on 2026-01-05, inside the previous window: no comparison is made.
        XCTAssertFalse(r.previousWindowHasData)
        XCTAssertNil(figure("CSAT mean")?.previous)
        let summary = try r.markdown()
        XCTAssertTrue(summary.contains("| Tickets | 5 | no earlier data | data starts 2026-01-05 |"), summary)
        let later = try MetricsReport(
            store: store, window: TicketWindow(since: date("2026-01-15T00:00:00Z"), until: date("2026-01-25T00:00:00Z"))
        )
        XCTAssertTrue(later.previousWindowHasData)
        XCTAssertEqual(
            later.figures.first { $0.name == "CSAT mean" }?.previous, 3.25,
            "the four ratings of 2026-01-05 – 2026-01-14")
        XCTAssertEqual(figure("CSAT response rate")?.value, 0.75)
        XCTAssertEqual(figure("Reopen rate")?.value, 0.25)
        XCTAssertEqual(figure("Escalation rate")?.value, 0.4)
        XCTAssertEqual(figure("Self-service")?.value, 0.25, "B only: E was escalated")
        XCTAssertEqual(figure("Self-service")?.kind, "measured")
        XCTAssertEqual(figure("Article-linked")?.value, 0.25)
        XCTAssertEqual(r.quality.negativeFirstResponse, 1)
        XCTAssertEqual(r.quality.missingFirstResponse, 1)
        XCTAssertTrue(r.quality.examples.contains("t:D: negative (-3600 s)"), "\(r.quality.examples)")
        XCTAssertTrue(r.quality.examples.contains("t:C: missing timestamp"))
    }

    func testEmptyWindowAndWindowWithoutCSAT() throws {
        let empty = try MetricsReport(
            store: store, window: TicketWindow(since: date("2025-03-01T00:00:00Z"), until: date("2025-03-08T00:00:00Z"))
        )
        XCTAssertEqual(empty.tickets, 0)
        XCTAssertEqual(empty.firstResponse.overall, DurationStats())
        XCTAssertNil(empty.figures.first { $0.name == "CSAT mean" }?.value)
        XCTAssertTrue(try empty.html().contains("No ratings in this window."))
        XCTAssertTrue(try empty.markdown().contains("_No ratings in this window._"))
        XCTAssertNoThrow(try empty.json())
        // C only: no rating at all, durations still counted.
        let onlyCE = try MetricsReport(
            store: store, window: TicketWindow(since: date("2026-01-13T00:00:00Z"), until: date("2026-01-14T00:00:00Z"))
        )
        XCTAssertEqual(onlyCE.tickets, 1)
        XCTAssertNil(onlyCE.figures.first { $0.name == "CSAT mean" }?.value)
        XCTAssertEqual(onlyCE.firstResponse.overall.missing, 1)
    }

    func testHTMLIsEscapedWellFormedAndEveryChartHasItsTable() throws {
        let r = try MetricsReport(store: store, window: window)
        let html = try r.html()
        XCTAssertFalse(html.contains("<script>"), "ticket text renders as text")
        XCTAssertFalse(html.contains("<img"), "ticket text renders as text")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing loaded from the network")
        try HTMLCheck.assertWellFormed(html)
        let sections = html.components(separatedBy: "<section>").dropFirst()
        var charts = 0
        for section in sections where section.contains("<svg") {
            charts += section.components(separatedBy: "<svg").count - 1
            XCTAssertTrue(section.contains("<table"), "a chart without its data table: \(section.prefix(120))")
        }
        XCTAssertGreaterThanOrEqual(charts, 6)
        let md = try r.markdown()
        XCTAssertTrue(md.contains("| First response, median | 1.0 h |"), md)
        XCTAssertFalse(md.contains("<script>"))
        XCTAssertEqual(MarkdownAudit.activeContent(md), [], "no raw HTML, no live link")
    }

    func testMarkdownCellsKeepNoLiveLink() {
        for payload in [
            "[see](javascript:alert(1))", "<a href=javascript:x>x</a>", "![i](data:image/svg+xml,<svg onload=x>)",
        ] {
            let row = "| \(MarkdownText.cell(payload)) | 1 |\n|---|---|\n"
            XCTAssertEqual(MarkdownAudit.activeContent(row), [], row)
        }
    }

    func testCustomerAudienceHasNoTicketReferences() throws {
        let r = try MetricsReport(store: store, window: window, inputs: MetricsInputs(audience: "customers"))
        XCTAssertTrue(r.quality.examples.isEmpty)
        for text in [try r.html(), try r.markdown(), String(decoding: try r.json(), as: UTF8.self)] {
            XCTAssertFalse(text.contains("t:D"), "no ticket reference in a report for customers")
        }
    }

    /// An export without reopen, escalation, CSAT, resolver or article fields, and tickets
    /// with no time at all: nothing is shown as a measured zero, nothing drops out unsaid.
    func testFieldsTheExportLacksAndUndatedTicketsAreSaid() throws {
        let lines = [
            #"{"source":"k","id":"1","subject":"a","status":"resolved","channel":"phone","created_at":"2026-02-01T00:00:00Z","first_response_at":"2026-02-01T00:02:00Z","resolved_at":"2026-02-01T01:00:00Z","messages":[{"role":"customer","text":"a"}]}"#,
            #"{"source":"k","id":"2","subject":"b","status":"resolved","channel":"email","created_at":"2026-02-02T00:00:00Z","first_response_at":"2026-02-02T05:30:00Z","resolved_at":"2026-02-03T00:00:00Z","messages":[{"role":"customer","text":"b"}]}"#,
            #"{"source":"k","id":"3","subject":"c","status":"open","channel":"email","messages":[{"role":"customer","text":"c"}]}"#,
            #"{"source":"k","id":"4","subject":"d","status":"open","channel":"chat","messages":[{"role":"customer","text":"d"}]}"#,
        ]
        let file = dir.appendingPathComponent("k.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let kaggle = try TicketStore(path: dir.appendingPathComponent("k.sqlite").path)
        _ = try TicketImporter(store: kaggle).importFile(file.path, format: .jsonl)
        let r = try MetricsReport(
            store: kaggle,
            window: TicketWindow(since: date("2026-02-01T00:00:00Z"), until: date("2026-02-08T00:00:00Z")))
        XCTAssertEqual(r.tickets, 2)
        XCTAssertEqual(r.undatedTickets, 2)
        XCTAssertEqual(r.quality.excluded.first?.count, 2)
        XCTAssertTrue(r.quality.excluded.first?.why.contains("2 open") ?? false, "\(r.quality.excluded)")
        for name in ["Reopen rate", "Escalation rate", "CSAT mean", "Self-service", "Article-linked"] {
            let f = try XCTUnwrap(r.figures.first { $0.name.hasPrefix(name) })
            XCTAssertFalse(f.available, name)
            XCTAssertNil(f.value, name)
        }
        let md = try r.markdown()
        XCTAssertTrue(md.contains("| Reopen rate | not in this export |"), md)
        XCTAssertFalse(md.contains("0.0 %"), md)
        XCTAssertTrue(md.contains("| No creation or first-response time | 2 |"), md)
        let html = try r.html()
        XCTAssertTrue(html.contains(">2 min</text>"), "phone's 2-minute first response reads as minutes")
        XCTAssertTrue(html.contains(">5.5 h</text>"))
    }
}

/// A strict tag-balance check: every opened element is closed in order (void elements and
/// self-closing SVG elements aside), and attribute quotes are balanced.
enum HTMLCheck {
    static let void: Set<String> = ["meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "col", "base"]

    static func assertWellFormed(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else {
                XCTFail("unclosed tag", file: file, line: line); return
            }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            XCTAssertEqual(
                tag.filter { $0 == "\"" }.count % 2, 0, "unbalanced quotes in <\(tag)>", file: file, line: line)
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if tag.hasPrefix("/") {
                guard stack.last == name else {
                    XCTFail("</\(name)> closes <\(stack.last ?? "nothing")>", file: file, line: line); return
                }
                stack.removeLast()
            } else if !tag.hasSuffix("/") && !void.contains(name) {
                stack.append(name)
            }
        }
        XCTAssertEqual(stack, [], "unclosed elements", file: file, line: line)
    }
}
