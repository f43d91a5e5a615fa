import Foundation
import GRDB
import XCTest

@testable import KBTickets

/// Issue 16 items 7, 9 and 11 (and issue 17's enum and duplicate cases): every bad row is
/// reported with its row number, the rows after it survive, and nothing traps.
final class HostileImportTests: XCTestCase {
    private var dir: URL!
    private var store: TicketStore!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func ids() throws -> [String] {
        try store.read { try String.fetchAll($0, sql: "SELECT external_id FROM ticket ORDER BY external_id") }
    }

    // MARK: item 11: CSV quoting

    func testAStrayQuoteSwallowsNothing() throws {
        let csv = try file("tickets.csv", "id,status,subject\nC-1,open,a\nC-2,open,\"b\nC-3,open,c\nC-4,open,d\n")
        let r = try TicketImporter(store: store).importFile(csv, format: .csv)
        XCTAssertEqual(try ids(), ["C-1", "C-3", "C-4"])
        XCTAssertEqual(r.rejected, 1)
        XCTAssertTrue(
            r.problems.first?.description.hasPrefix("tickets.csv:3: unterminated or malformed quoted field") ?? false,
            "\(r.problems)")
    }

    func testAnUndoubledQuoteInsideAQuotedFieldIsReportedAndTheNextRowsRecovered() throws {
        let csv = try file(
            "tickets.csv",
            "id,status,subject\nC-1,open,\"say \"hi\" now\"\nC-2,open,\"two\nlines\"\nC-3,open,\"x\nC-4,open,\"quoted\"\n"
        )
        let r = try TicketImporter(store: store).importFile(csv, format: .csv)
        XCTAssertEqual(try ids(), ["C-2", "C-4"], "\(r.problems)")
        XCTAssertEqual(r.problems.filter(\.skipped).map(\.row), [2, 5])
        let subject = try store.read {
            try String.fetchOne($0, sql: "SELECT subject FROM ticket WHERE external_id = 'C-2'")
        }
        XCTAssertEqual(subject, "two\nlines", "a legitimate multi-line field is still one field")
    }

    func testMappingNamingMissingColumnsIsAnError() throws {
        let mapping = try file("map.yml", "source: shop\ncolumns: {id: Ticket ID, status: State, subject: Title}\n")
        let csv = try file("export.csv", "Ticket ID,State,Subject\n1,Open,x\n")
        XCTAssertThrowsError(try TicketImporter(store: store).importFile(csv, format: .csv, mappingPath: mapping)) {
            XCTAssertEqual("\($0)", "\(csv):1: missing columns Title")
        }
    }

    // MARK: item 11 and issue 17: types, vocabularies, duplicates

    func testWrongJSONTypesUnknownValuesAndDuplicatesAreReported() throws {
        let path = try file(
            "t.jsonl",
            """
            {"source":"d","id":"A","status":"open","subject":"s","csat":"5","created_at":"2026-10-01T00:00:00Z"}
            {"source":"d","id":"B","status":"Escalated L2","priority":"p1","channel":"fax","subject":"s","created_at":"2026-10-01T00:00:00Z"}
            {"source":"d","id":"A","status":"open","subject":"again","created_at":"2026-10-01T00:00:00Z"}
            {"source":"d","id":["x"],"status":"open","subject":"s"}
            {"source":"d","id":"C","status":"open","subject":"s","escalated":"yes","tags":"a;b","created_at":"2026-10-01T00:00:00Z"}
            """)
        let r = try TicketImporter(store: store).importFile(path, format: .jsonl)
        let lines = r.problems.map(\.description)
        XCTAssertTrue(
            lines.contains(#"t.jsonl:1: field 'csat' should be a number, got the string "5"; left empty"#), "\(lines)")
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("t.jsonl:2: unknown status 'Escalated L2'; stored as given") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("t.jsonl:2: unknown priority 'p1'") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("t.jsonl:2: unknown channel 'fax'") }, "\(lines)")
        XCTAssertTrue(lines.contains("t.jsonl:3: duplicate ticket id 'A' (first on row 1) (row skipped)"), "\(lines)")
        XCTAssertTrue(lines.contains("t.jsonl:4: field 'id' should be a string, got a list (row skipped)"), "\(lines)")
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("t.jsonl:5: field 'escalated' should be true or false") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("t.jsonl:5: field 'tags' should be a list") }, "\(lines)")
        XCTAssertEqual(r.inserted, 3)
        XCTAssertEqual(r.rejected, 2)
        let b = try store.read {
            try Row.fetchOne($0, sql: "SELECT status, priority, channel FROM ticket WHERE external_id = 'B'")
        }
        XCTAssertEqual(b?["status"], "escalated_l2")
        XCTAssertEqual(b?["priority"], "p1")
        XCTAssertEqual(b?["channel"], "fax")
        let a = try store.read { try String.fetchOne($0, sql: "SELECT subject FROM ticket WHERE external_id = 'A'") }
        XCTAssertEqual(a, "s", "the first row of a duplicated id is kept")
    }

    // MARK: item 9: no trap on input

    func testAFolderNamedLikeAnExportIsAnErrorNotATrap() throws {
        let folder = dir.appendingPathComponent("x.jsonl")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try TicketImporter(store: store).importFile(folder.path, format: .jsonl)) {
            XCTAssertEqual("\($0)", "\(folder.path): cannot read file")
        }
        let csvFolder = dir.appendingPathComponent("y.csv")
        try FileManager.default.createDirectory(at: csvFolder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try TicketImporter(store: store).importFile(csvFolder.path, format: .csv))
    }

    func testOutOfRangeTimestampsAreRejectedNotTrapped() {
        XCTAssertNil(TimestampParser.parse("Tue Oct 31 22:10:47 +0000 99999999999999"))
        XCTAssertNil(TimestampParser.parse("Tue Oct 99999999999 22:10:47 +0000 2017"))
        XCTAssertNil(TimestampParser.iso(Date(timeIntervalSince1970: 1e300)))
        XCTAssertEqual(TimestampParser.iso(TimestampParser.parse("2026-10-01T09:12:00Z")), "2026-10-01T09:12:00Z")
    }

    // MARK: item 7: YAML alias bombs in mapping files

    func testAliasBombMappingIsRefusedWithItsLine() throws {
        var lines = [
            "source: shop", "columns: {id: Ticket ID, status: State}",
            "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        ]
        for i in 1..<9 {
            lines.append("x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let mapping = try file("bomb.yml", lines.joined(separator: "\n") + "\n")
        let csv = try file("export.csv", "Ticket ID,State\n1,Open\n")
        XCTAssertThrowsError(try TicketImporter(store: store).importFile(csv, format: .csv, mappingPath: mapping)) {
            XCTAssertEqual("\($0)", "\(mapping):3: bad column mapping: YAML anchors (&name) are not allowed here")
        }
    }
}

/// Issue 16 items 2 and 12: staging leaves nothing named on disk; a busy store makes a
/// writer wait, not fail.
final class ImportFaultTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testStagedCompanionTablesAreNeverANamedFile() throws {
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let previous = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", tmp.path + "/", 1)
        defer { if let previous { setenv("TMPDIR", previous, 1) } else { unsetenv("TMPDIR") } }
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "id,customer_id,status,subject\nT-1,C-1,open,x\n".write(
            to: data.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try "customer_id,name,email\nC-1,Ana Souza,ana@example.com\n".write(
            to: data.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let tables = try XCTUnwrap(try CompanionTables.load(besides: data.appendingPathComponent("tickets.csv").path))
        let key = try tables.session { try $0.customer("C-1")?.key }
        XCTAssertEqual(key, "ana@example.com", "staged")
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        XCTAssertEqual(left, [], "no staging file holding names and e-mails")
    }

    func testAWriterWaitsForABusyStoreInsteadOfFailing() throws {
        let path = dir.appendingPathComponent("tickets.sqlite").path
        let store = try TicketStore(path: path)
        // Another process's connection, with no timeout of its own, holds the write lock a moment.
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.5)
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        locked.wait()
        XCTAssertNoThrow(try store.write { try $0.execute(sql: "CREATE TABLE IF NOT EXISTS probe(x)") })
    }
}

/// Issue 16 item 5: every free-text field is redacted at import, not only the messages.
final class FieldRedactionTests: XCTestCase {
    func testTagsCategoryAndResolutionFieldsAreRedacted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-fields-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try TicketStore(path: dir.appendingPathComponent("t.sqlite").path)
        let path = dir.appendingPathComponent("t.jsonl")
        try
            #"{"source":"d","id":"A","status":"resolved","subject":"Sync","category":"Escalations for ana@example.com","tags":["vip","call 415-555-0134"],"resolved_by":"agent contact: Carmichael Miller","resolution":{"summary":"ok","article":"notes/ana@example.com.md"},"created_at":"2026-10-01T00:00:00Z"}"#
            .write(to: path, atomically: true, encoding: .utf8)
        _ = try TicketImporter(store: store).importFile(path.path, format: .jsonl)
        let row = try store.read {
            try Row.fetchOne(
                $0,
                sql:
                    "SELECT t.category, t.tags, t.resolved_by, r.article FROM ticket t JOIN resolution r ON r.ticketId = t.id"
            )
        }
        XCTAssertEqual(row?["category"], "Escalations for [EMAIL]")
        XCTAssertEqual(row?["tags"], #"["vip","call [PHONE]"]"#)
        XCTAssertEqual(row?["resolved_by"], "agent contact: [NAME]")
        XCTAssertEqual(row?["article"], "notes/[EMAIL]")
    }
}
