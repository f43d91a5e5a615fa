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
        let csv = "id,text,timestamp\r\n1,\"refund, please\",2026-09-25T09:44:00Z\r\n"
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
        XCTAssertEqual(GapsRender.assignmentsCSV(rows: rows, questions: questions, outcomes: outcomes),
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
        let path = try write("{\"text\":\"a\",\"timestamp\":\"2026-01-05\"}\nnot json\n\n{\"query\":\"b\"}\n{\"other\":1}\n", "q.jsonl")
        let (questions, problems, rows) = try QuestionReader().read(path: path)
        XCTAssertEqual(rows, 4)
        XCTAssertEqual(questions.map(\.text), ["a", "b"])
        XCTAssertEqual(questions.map(\.row), [1, 3])
        XCTAssertEqual(problems.map(\.line), [2, 5])
        XCTAssertEqual(ISOWeek(questions[0].date!).description, "2026-W02")
    }
}
