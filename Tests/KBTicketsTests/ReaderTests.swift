import Foundation
import XCTest

@testable import KBTickets

/// The one CSV reader and the one ticket JSONL reader (issue 20), on files the test writes.
final class ReaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-readers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func records(
        _ path: String, separator: UInt8 = UInt8(ascii: ","), strict: Bool = false
    ) throws -> [CSVReader.Record] {
        var reader = try CSVReader(path: path, separator: separator, rejectsStrayQuotes: strict)
        var out: [CSVReader.Record] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    // MARK: CSV

    func testAnUnterminatedQuoteRejectsOnlyItsRowAtTheLineItOpened() throws {
        let path = try file("q.csv", "id,text\n1,\"two\nlines\"\n2,\"never closed\n3,after\n4,\"last\"")
        let r = try records(path)
        XCTAssertEqual(r.map(\.line), [1, 2, 4, 5, 6])
        XCTAssertEqual(r[1].fields, ["1", "two\nlines"])
        XCTAssertNil(r[1].problem)
        XCTAssertEqual(r[2].fields, ["2"])
        XCTAssertTrue(
            r[2].problem?.hasPrefix("unterminated or malformed quoted field opened on line 4") ?? false, "\(r[2])")
        XCTAssertEqual(r[3].fields, ["3", "after"])
        XCTAssertEqual(r[4].fields, ["4", "last"], "no final newline")
    }

    func testTabSeparatedWithABOMAndCRLF() throws {
        let path = try file("q.tsv", "\u{FEFF}id\ttext\r\n1\t\"a\tb, c\"\r\n2\tplain, with comma\r\n")
        let r = try records(path, separator: UInt8(ascii: "\t"))
        XCTAssertEqual(r.map(\.fields), [["id", "text"], ["1", "a\tb, c"], ["2", "plain, with comma"]])
        XCTAssertEqual(r.map(\.line), [1, 2, 3])
    }

    func testAStrayQuoteIsTextUnlessTheCallerRejectsIt() throws {
        let path = try file("q.csv", "id,text\n1,a 5\" screen\n2,fine\n")
        let lenient = try records(path)
        XCTAssertEqual(lenient[1].fields, ["1", "a 5\" screen"])
        XCTAssertNil(lenient[1].problem)
        let strict = try records(path, strict: true)
        XCTAssertEqual(
            strict[1].problem, "stray quote inside an unquoted field on line 2 (quote the field and double the quote)")
        XCTAssertNil(strict[2].problem)
        XCTAssertEqual(strict[2].fields, ["2", "fine"])
    }

    #if os(Linux)
        /// `/proc/self/mem` is a regular file whose first read fails (EIO): a read error is
        /// thrown, never taken for the end of the file (it once ended the import with "0 rows").
        func testAReadErrorIsThrownNotTakenForTheEndOfTheFile() throws {
            var reader = try CSVReader(path: "/proc/self/mem")
            XCTAssertThrowsError(try reader.next()) { XCTAssertEqual("\($0)", "/proc/self/mem: cannot read file") }
            XCTAssertThrowsError(try JSONLImporter.read(path: "/proc/self/mem") { _, _, _ in XCTFail("no line") })
            let store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
            for format in [TicketFormat.csv, .twitterThreads, .jsonl] {
                XCTAssertThrowsError(
                    try TicketImporter(store: store).importFile("/proc/self/mem", format: format), "\(format)")
            }
        }
    #endif

    // MARK: JSONL

    func testTheJSONLReaderGivesLinesTicketsAndNamedNotes() throws {
        let path = try file(
            "t.jsonl",
            """
            {"source":"s","id":"1","status":"open","subject":"one","created_at":"2026-10-01T00:00:00Z"}

            {not json
            [1, 2]
            {"source":"s","id":2,"status":"Solved","subject":"two","created_at":"yesterday","messages":[{"role":"customer","at":"soon","text":"hi"}]}
            """)
        var seen: [(Int, Result<TicketInput, RowProblem>, [RowProblem])] = []
        try JSONLImporter.read(path: path) { seen.append(($0, $1, $2)) }
        XCTAssertEqual(seen.map(\.0), [1, 3, 4, 5], "blank lines are skipped, numbers are physical lines")
        XCTAssertEqual(try seen[0].1.get().subject, "one")
        guard case .failure(let invalid) = seen[1].1, case .failure(let notObject) = seen[2].1 else {
            return XCTFail("\(seen)")
        }
        XCTAssertTrue(invalid.message.hasPrefix("not a JSON object (invalid JSON"), invalid.message)
        XCTAssertTrue(invalid.skipped)
        XCTAssertEqual(notObject.description, "t.jsonl:4: not a JSON object (row skipped)")
        let two = try seen[3].1.get()
        XCTAssertEqual([two.externalID, two.status], ["2", "resolved"])
        XCTAssertNil(two.createdAt)
        XCTAssertEqual(seen[3].2.compactMap(\.field), ["created_at", "messages.at"])
        XCTAssertEqual(seen[3].2.first?.description, "t.jsonl:5: bad date in 'created_at': yesterday; field left empty")
    }

    // MARK: column mappings

    func testAMalformedValuesTableIsAnErrorNotLeftOut() throws {
        for (name, values) in [("list", "values: [a, b]"), ("field", "values:\n  status: Open")] {
            let mapping = try file(
                "map-\(name).yml", "source: shop\ncolumns: {id: Ticket ID, status: State}\n\(values)\n")
            XCTAssertThrowsError(try ColumnMapping.load(path: mapping), name) { error in
                XCTAssertTrue("\(error)".contains("bad column mapping: "), "\(error)")
            }
        }
        let empty = try file("map-empty.yml", "source: shop\ncolumns: {id: Ticket ID, status: State}\nvalues:\n")
        XCTAssertEqual(try ColumnMapping.load(path: empty).values.count, 0)
    }
}
