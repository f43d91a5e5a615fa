import XCTest

@testable import KBGaps

final class QuestionReaderTests: XCTestCase {
    func write(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kbgaps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testCSVWithQuotesNewlinesAndBadRows() throws {
        let csv =
            "id,text,timestamp\r\n1,\"refund, please\",2026-09-25T09:44:00Z\r\n"
            + "2,\"two\nlines\",2026-09-26\r\n3,bad date,yesterday\r\n4,,2026-09-27\r\n5,too,many,fields\r\n6,last one,\r\n"
        let path = try write(csv, "q.csv")
        let (questions, problems, rows) = try QuestionReader().read(path: path)
        XCTAssertEqual(rows, 6)
        XCTAssertEqual(questions.map(\.row), [1, 2, 6])
        XCTAssertEqual(questions[0].text, "refund, please")
        XCTAssertEqual(questions[1].text, "two\nlines")
        XCTAssertNil(questions[2].date)
        XCTAssertEqual(problems.map(\.row), [3, 4, 5])
        XCTAssertEqual(problems.map(\.line), [5, 6, 7], "physical lines, after the two-line record")
        XCTAssertTrue(problems[0].description.contains("q.csv:5: row 3: unreadable timestamp"), problems[0].description)
        let outcomes: [QuestionOutcome] = [.answered(score: 0.9), .topic(0, score: 0.1), .outlier(score: nil)]
        XCTAssertEqual(
            GapsRender.assignmentsCSV(rows: rows, questions: questions, outcomes: outcomes),
            "row,topic,answered_score\n1,answered,0.9000\n2,0,0.1000\n3,skipped,\n4,skipped,\n5,skipped,\n6,-1,\n")
    }

    func testMissingTextColumnStopsWithTheHeader() throws {
        let path = try write("a,b\n1,2\n", "q.csv")
        XCTAssertThrowsError(try QuestionReader().read(path: path)) { e in
            XCTAssertTrue("\(e)".contains("no column \"text\""), "\(e)")
        }
        XCTAssertEqual(try QuestionReader(textColumn: "b").read(path: path).questions.map(\.text), ["2"])
    }

    func testJSONL() throws {
        let path = try write(
            "{\"text\":\"a\",\"timestamp\":\"2026-01-05\"}\nnot json\n\n{\"query\":\"b\"}\n{\"other\":1}\n", "q.jsonl")
        let (questions, problems, rows) = try QuestionReader().read(path: path)
        XCTAssertEqual(rows, 4)
        XCTAssertEqual(questions.map(\.text), ["a", "b"])
        XCTAssertEqual(questions.map(\.row), [1, 3])
        XCTAssertEqual(problems.map(\.line), [2, 5])
        XCTAssertTrue(problems[0].reason.hasPrefix("not a JSON object (invalid JSON"), problems[0].reason)
        XCTAssertEqual(ISOWeek(questions[0].date!).description, "2026-W02")
    }

    /// The CSV is read by the ticket importer's reader: an unterminated quote rejects only its
    /// own row, reported at the line it opened, and the rows after it are read (it once
    /// swallowed the rest of the file into one bad row).
    func testAnUnterminatedQuoteRejectsOnlyItsRow() throws {
        let path = try write("id,text\n1,\"first\"\n2,\"never closed\n3,third\n4,fourth\n", "q.csv")
        let (questions, problems, rows) = try QuestionReader().read(path: path)
        XCTAssertEqual(questions.map(\.text), ["first", "third", "fourth"])
        XCTAssertEqual(questions.map(\.row), [1, 3, 4])
        XCTAssertEqual(rows, 4)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(
            problems[0].description.hasPrefix(
                "\(path):3: row 2: unterminated or malformed quoted field opened on line 3"),
            problems[0].description)
    }

    func testStrayQuotesTextAfterAClosingQuoteTSVAndABOM() throws {
        let csv = try write("\u{FEFF}text,date\na 5\" screen,\n\"closed\" then text,\nfine,2026-01-05\n", "q.csv")
        let (questions, problems, rows) = try QuestionReader().read(path: csv)
        XCTAssertEqual(rows, 3)
        XCTAssertEqual(questions.map(\.text), ["fine"], "the BOM is not part of the header's first name")
        XCTAssertEqual(problems.map(\.line), [2, 3])
        XCTAssertTrue(problems[0].reason.hasPrefix("stray quote inside an unquoted field"), problems[0].reason)
        XCTAssertTrue(
            problems[1].reason.hasPrefix("unterminated or malformed quoted field opened on line 3"), problems[1].reason)

        let tsv = try write("id\ttext\n1\t\"tab\there, comma\"\n", "q.tsv")
        XCTAssertEqual(try QuestionReader().read(path: tsv).questions.map(\.text), ["tab\there, comma"])
        XCTAssertThrowsError(try QuestionReader().read(path: csv + ".missing.csv")) {
            XCTAssertTrue("\($0)".contains("no such file or not readable"), "\($0)")
        }
    }

    /// A tickets file is read by the ticket importer's JSONL reader: the same rows are
    /// skipped for the same reasons, names the ticket gives are redacted, statuses mapped.
    func testTicketQuestionsReadThroughTheTicketReader() throws {
        let path = try write(
            """
            {"source":"demo","id":"T-1","customer":{"name":"Ana Souza","email":"ana@example.com"},"subject":"Card declined","status":"Solved","created_at":"2026-10-01T09:00:00Z","csat":2,"messages":[{"role":"agent","text":"Hello"},{"role":"customer","author":"Ana Souza","text":"Hi, Ana Souza here, mail ana@example.com"}],"resolution":{"article":"payments/card.md"}}

            {"source":"demo","id":"T-2","status":"open","messages":[{"role":"agent","text":"only the agent"}]}
            {"id":"T-3","status":"open","subject":"no source"}
            {not json
            {"source":"demo","id":7,"status":"open","subject":"bad date","created_at":"someday"}
            {"source":"demo","id":8,"status":"open","subject":"bad message date","messages":[{"role":"customer","at":"someday","text":"x"}],"reopen_count":1}
            """, "t.jsonl")
        let (questions, problems, rows) = try TicketQuestions.read(path: path)
        XCTAssertEqual(rows, 6, "non-blank lines")
        XCTAssertEqual(questions.map(\.row), [1, 6])
        XCTAssertEqual(questions.map(\.id), ["T-1", "8"])
        XCTAssertEqual(questions[0].text, "Card declined\nHi, [NAME] here, mail [EMAIL]")
        XCTAssertEqual(questions[0].citedArticle, "payments/card.md")
        XCTAssertTrue(questions[0].troubled && questions[0].resolved)
        XCTAssertEqual(ISOWeek(questions[0].date!).description, "2026-W40")
        XCTAssertTrue(questions[1].troubled && !questions[1].resolved)
        XCTAssertNil(questions[1].date)
        XCTAssertEqual(problems.map(\.row), [2, 3, 4, 5])
        XCTAssertEqual(problems.map(\.line), [3, 4, 5, 6])
        XCTAssertEqual(problems[0].reason, "no subject and no customer message")
        XCTAssertEqual(problems[1].reason, "missing required field 'source'")
        XCTAssertTrue(problems[2].reason.hasPrefix("not a JSON object"), problems[2].reason)
        XCTAssertEqual(problems[3].description, "\(path):6: row 5: bad date in 'created_at': someday; field left empty")
    }

    /// The demo's tickets name their customers in 255 of 395 questions; read as the import
    /// reads them, none of those names reaches a question (15 once reached the gaps report).
    func testDemoTicketQuestionsCarryNoCustomerName() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("pipelines/demo/tickets.jsonl").path
        var names = Set<String>()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let name = (object["customer"] as? [String: Any])?["name"] as? String ?? ""
            names.formUnion(name.split(separator: " ").map(String.init).filter { $0.count >= 3 })
        }
        XCTAssertGreaterThan(names.count, 20)
        let (questions, problems, rows) = try TicketQuestions.read(path: path)
        XCTAssertEqual([questions.count, problems.count, rows], [395, 0, 395])
        for q in questions {
            let words = Set(q.text.split { !$0.isLetter && $0 != "'" }.map(String.init))
            XCTAssertTrue(words.isDisjoint(with: names), "\(q.id ?? ""): \(q.text)")
        }
    }
}
