import Foundation
import GRDB
import XCTest

@testable import KBTickets

/// Each format, each bad-row kind, idempotent re-import and redaction before storage,
/// on fixtures the test writes.
final class ImportTests: XCTestCase {
    private var dir: URL!
    private var store: TicketStore!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-tickets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func allText() throws -> String {
        try store.read { db in
            try
                (String.fetchAll(db, sql: "SELECT text FROM message")
                + String.fetchAll(db, sql: "SELECT coalesce(subject,'') FROM ticket")
                + String.fetchAll(db, sql: "SELECT coalesce(summary,'') || steps FROM resolution")).joined(
                    separator: "\n")
        }
    }

    static let good = """
        {"source":"demo","id":"T-1","customer":{"id":"C-1","name":"Ana Souza","email":"ana@example.com"},"subject":"Card declined for Ana Souza","status":"resolved","priority":"high","channel":"email","created_at":"2026-10-01T09:12:00Z","first_response_at":"2026-10-01T09:40:00Z","resolved_at":"2026-10-01T13:02:00Z","csat":4,"messages":[{"role":"customer","at":"2026-10-01T09:12:00Z","author":"Ana Souza","text":"Hi, I'm Ana Souza, card 4111 1111 1111 1111 declined, call +44 20 7946 0958 or ana@example.com. Error ERR_PAY_402 on v2.14.3."},{"role":"agent","at":"2026-10-01T09:40:00Z","text":"Thanks Ana, please try another card."}],"resolution":{"summary":"Issuer declined","steps":["Ask for another card"],"article":"payments/card-declined.md"}}
        {"source":"demo","id":"T-2","customer":{"email":"ANA@example.com"},"subject":"Second ticket","status":"open","created_at":"2026-10-02T10:00:00+01:00","messages":[{"role":"customer","text":"Still broken"}]}
        """

    func testJSONLImportRedactsBeforeWritingAndIsIdempotent() throws {
        let path = try file("t.jsonl", Self.good)
        let first = try TicketImporter(store: store).importFile(path, format: .jsonl)
        XCTAssertEqual(first.inserted, 2)
        XCTAssertEqual(first.rejected, 0)
        let text = try allText()
        for secret in ["Ana", "Souza", "4111", "7946", "ana@example.com"] {
            XCTAssertFalse(text.contains(secret), secret)
        }
        for kept in ["[NAME]", "[CARD]", "[PHONE]", "[EMAIL]", "ERR_PAY_402", "v2.14.3"] {
            XCTAssertTrue(text.contains(kept), kept)
        }
        let customers = try store.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT customerId) FROM ticket") }
        XCTAssertEqual(customers, 1, "same e-mail in any case is the same customer")
        let raw = try String(contentsOfFile: store.path, encoding: .isoLatin1)
        XCTAssertFalse(raw.contains("ana@example.com"), "no raw personal data anywhere in the database file")

        let again = try TicketImporter(store: store).importFile(path, format: .jsonl)
        XCTAssertEqual(again.unchanged, 2)
        let changed = try file(
            "t2.jsonl", Self.good.replacingOccurrences(of: "\"status\":\"open\"", with: "\"status\":\"closed\""))
        let third = try TicketImporter(store: store).importFile(changed, format: .jsonl)
        XCTAssertEqual(third.updated, 1)
        XCTAssertEqual(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket") }, 2)
        XCTAssertEqual(
            try store.read { try String.fetchOne($0, sql: "SELECT created_at FROM ticket WHERE external_id = 'T-2'") },
            "2026-10-02T09:00:00Z")
    }

    func testBadRowsAreReportedWithFileAndRowAndNeverStopTheImport() throws {
        let path = try file(
            "messy.jsonl",
            """
            {"source":"demo","id":"A","status":"open","subject":"ok","created_at":"2026-10-01T00:00:00Z"}
            {not json
            {"source":"demo","status":"open","subject":"no id"}
            {"source":"demo","id":"B","status":"exploded","subject":"bad status"}
            {"source":"demo","id":"C","status":"open","subject":"bad date","created_at":"2026-02-31T10:00:00Z"}
            {"source":"demo","id":"D","status":"closed","subject":"negative","created_at":"2026-10-02T10:00:00Z","first_response_at":"2026-10-01T10:00:00Z"}
            {"source":"demo","id":"E","status":"open"}
            """)
        let r = try TicketImporter(store: store).importFile(path, format: .jsonl)
        XCTAssertEqual(r.inserted, 4, "an unknown status is kept as given")
        let lines = r.problems.map(\.description)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix("messy.jsonl:2: not a JSON object (invalid JSON") && $0.hasSuffix("(row skipped)")
            }, "\(lines)")
        XCTAssertTrue(lines.contains("messy.jsonl:3: missing required field 'id' (row skipped)"))
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("messy.jsonl:4: unknown status 'exploded'; stored as given") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("messy.jsonl:5: bad date in 'created_at'") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("messy.jsonl:6: first response before creation") })
        XCTAssertTrue(lines.contains("messy.jsonl:7: no subject and no customer message (row skipped)"))
        XCTAssertNil(
            try store.read {
                try String.fetchOne($0, sql: "SELECT first_response_at FROM ticket WHERE external_id = 'D'")
            })
    }

    func testMappedCSVWithMultilineFieldsAndAShortRow() throws {
        let mapping = try file(
            "map.yml",
            """
            source: shop
            columns: {id: Ticket ID, customer_key: Email, customer_name: Name, subject: Subject, message: Body, status: State, first_response_at: First, resolved_at: Done, csat: Rating}
            values:
              status: {Closed: closed, Open: open}
            """)
        let csv = try file(
            "export.csv",
            "Ticket ID,Name,Email,Subject,Body,State,First,Done,Rating\r\n"
                + "1,Bo Li,bo@x.org,Login,\"Hi, I am Bo Li.\nLine two with \"\"quotes\"\"\",Closed,2023-06-01 9:05,2023-06-01 8:00,5\r\n"
                + "2,Cy,cy@x.org,Short row,Open\r\n"
                + "3,Di,di@x.org,Fine,\"body\",Open,,,\r\n")
        let r = try TicketImporter(store: store).importFile(csv, format: .csv, mappingPath: mapping)
        XCTAssertEqual(r.inserted, 2)
        XCTAssertEqual(
            r.problems.map(\.description),
            [
                "export.csv:2: resolved before first response (negative duration); resolved_at left empty",
                "export.csv:4: has 5 fields, header has 9 (row skipped)",
            ])
        let body = try store.read {
            try String.fetchOne($0, sql: "SELECT text FROM message WHERE seq = 0 ORDER BY id LIMIT 1")
        }
        XCTAssertEqual(body, "Hi, I am [NAME].\nLine two with \"quotes\"")
    }

    func testTwitterThreadsBecomeTicketsAndToleratesDanglingLinks() throws {
        let csv = try file(
            "twcs.csv",
            ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
                + "0,1,AcmeHelp,False,Tue Oct 31 22:12:00 +0000 2017,@115712 Sorry! DM us,,2.0\n"
                + "1,2,115712,True,Tue Oct 31 22:10:00 +0000 2017,@AcmeHelp my order is late &amp; nobody answers,\"1,99\",\n"
                + "2,3,115713,True,Tue Oct 31 23:00:00 +0000 2017,reply to a missing tweet,,77.0\n")
        let r = try TicketImporter(store: store).importFile(csv, format: .twitterThreads)
        XCTAssertEqual(
            r.inserted, 2, "tweet 2 opens a thread; tweet 3's parent is not in the file, so it opens one too")
        let t = try store.read {
            try Row.fetchOne(
                $0, sql: "SELECT status, first_response_at, created_at FROM ticket WHERE external_id = '2'")
        }
        XCTAssertEqual(t?["status"], "closed")
        XCTAssertEqual(t?["first_response_at"], "2017-10-31T22:12:00Z")
        let texts = try store.read { try String.fetchAll($0, sql: "SELECT text FROM message ORDER BY id") }
        XCTAssertEqual(texts.prefix(2), ["[HANDLE] my order is late & nobody answers", "[HANDLE] Sorry! DM us"])
    }
}
