import Foundation
import GRDB
import XCTest

@testable import KBTickets

/// The flat CSV form as four tables (tickets, customers, messages, resolutions), the
/// two-thread import path's error handling, and the hot-path text helpers.
final class FlatCSVTests: XCTestCase {
    private var dir: URL!
    private var store: TicketStore!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-flat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    private func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testTicketsJoinTheirCustomersMessagesAndResolutions() throws {
        let tickets = try file(
            "tickets.csv",
            """
            id,customer_id,subject,status,channel,created_at,tags
            T-1,C-1,Card declined,resolved,Email,2026-10-01T09:00:00Z,card;checkout
            T-2,C-1,Export fails,open,chat,2026-10-02T09:00:00Z,
            T-3,C-9,No status,,chat,2026-10-02T09:00:00Z,

            """)
        try file("customers.csv", "customer_id,name,email\nC-1,Ana Souza,ana@example.com\n")
        try file(
            "messages.csv",
            """
            ticket_id,role,channel,at,author,text
            T-1,customer,email,2026-10-01T09:00:00Z,Ana Souza,"Hi, Ana Souza here, card 4111 1111 1111 1111 fails"
            T-1,agent,email,2026-10-01T09:30:00Z,Bo,"Thanks Ana, try again"
            T-2,customer,chat,not a date,,Export to CSV fails with E-1042
            T-2,robot,chat,,,unknown role
            T-404,customer,chat,,,for a ticket that is not there
            T-3,customer,chat,,,for a rejected ticket

            """)
        try file(
            "resolutions.csv",
            "ticket_id,summary,steps,article\nT-1,Issuer declined,Ask for another card|Retry,payments/card-declined.md\n"
        )

        let r = try TicketImporter(store: store).importFile(tickets, format: .csv)
        XCTAssertEqual(r.inserted, 2)
        let lines = r.problems.map(\.description)
        XCTAssertTrue(lines.contains("messages.csv:5: unknown role 'robot' (row skipped)"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("messages.csv:4: bad date in 'at'") }, "\(lines)")
        XCTAssertTrue(lines.contains("tickets.csv:4: missing status (row skipped)"), "\(lines)")
        XCTAssertTrue(lines.contains("messages.csv:6: no imported ticket 'T-404' (row skipped)"), "\(lines)")
        XCTAssertTrue(lines.contains("messages.csv:7: no imported ticket 'T-3' (row skipped)"), "\(lines)")

        let messages = try store.read {
            try Row.fetchAll(
                $0,
                sql: """
                    SELECT t.external_id, m.seq, m.role, m.text FROM message m JOIN ticket t ON t.id = m.ticketId ORDER BY t.external_id, m.seq
                    """)
        }
        XCTAssertEqual(
            messages.map { $0["text"] as String },
            [
                "Hi, [NAME] here, card [CARD] fails", "Thanks [NAME], try again", "Export to CSV fails with E-1042",
            ])
        XCTAssertEqual(messages.map { $0["role"] as String }, ["customer", "agent", "customer"])
        let resolution = try store.read { try Row.fetchOne($0, sql: "SELECT summary, steps, article FROM resolution") }
        XCTAssertEqual(resolution?["steps"], #"["Ask for another card","Retry"]"#)
        XCTAssertEqual(resolution?["article"], "payments/card-declined.md")
        let customers = try store.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT customerId) FROM ticket") }
        XCTAssertEqual(customers, 1)
        let tags = try store.read { try String.fetchOne($0, sql: "SELECT tags FROM ticket WHERE external_id = 'T-1'") }
        XCTAssertEqual(tags, #"["card","checkout"]"#)

        // The same tables again: nothing changes; a companion given on its own is not read as tickets.
        XCTAssertEqual(try TicketImporter(store: store).importFile(tickets, format: .csv).unchanged, 2)
        let alone = try TicketImporter(store: store).importFile(
            dir.appendingPathComponent("messages.csv").path, format: .csv)
        XCTAssertNotNil(alone.note)
        XCTAssertEqual(alone.rows, 0)
    }

    func testAFileThatCannotBeReadRollsTheWholeImportBack() throws {
        let csv = try file("export.csv", "Name,Body\nAna,hello\n")
        let mapping = try file("map.yml", "source: shop\ncolumns: {id: Ticket ID, status: State, message: Body}\n")
        XCTAssertThrowsError(try TicketImporter(store: store).importFile(csv, format: .csv, mappingPath: mapping)) {
            error in
            XCTAssertTrue("\(error)".contains("missing columns"), "\(error)")
        }
        XCTAssertEqual(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket") }, 0)
    }

    func testManyTicketsCrossTheThreadHandOverInOrder() throws {
        // More than several batches, so the producer waits on a full channel.
        let lines = (0..<3_000).map { #"{"source":"s","id":"\#($0)","status":"open","subject":"ticket \#($0)"}"# }
        let path = try file("many.jsonl", lines.joined(separator: "\n"))
        let r = try TicketImporter(store: store).importFile(path, format: .jsonl)
        XCTAssertEqual(r.inserted, 3_000)
        let ids = try store.read { try String.fetchAll($0, sql: "SELECT external_id FROM ticket ORDER BY id") }
        XCTAssertEqual(ids, (0..<3_000).map(String.init))
    }

    func testJSONTextMatchesJSONEncoderAndTrimmingMatchesFoundation() throws {
        let samples = [
            ["a/b", "q\"x", "tab\there", "nl\nx", "\u{01}\u{1F}", "ünï ✓", "back\\slash", "\u{08}\u{0C}\r"], [], [""],
        ]
        for s in samples {
            XCTAssertEqual(JSONText.array(s), String(decoding: try JSONEncoder().encode(s), as: UTF8.self))
        }
        for s in ["", "  ", " a ", "\ta b\t", "\u{00A0}x\u{2003}", "x", "é ", " 日本 "] {
            XCTAssertEqual(s.trimmingSpaces, s.trimmingCharacters(in: .whitespaces), s)
        }
    }
}
