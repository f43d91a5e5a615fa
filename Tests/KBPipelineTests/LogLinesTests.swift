import Foundation
import Logging
import XCTest

@testable import KBPipeline

/// The swift-log handler every command logs through: plain lines and JSON lines.
final class LogLinesTests: XCTestCase {
    func testTextLinesNameTheStageAndMarkWarnings() {
        let lines = LogLines(label: "kb.serve", format: .text, level: .info, environment: ["NO_COLOR": "1"])
        let warning = lines.format(
            level: .warning, message: "bad row", fields: ["stage": "import_tickets", "file": "a.csv"])
        XCTAssertTrue(warning.hasSuffix("[import_tickets] warning: bad row file=a.csv\n"), warning)
        let info = lines.format(level: .info, message: "listening", fields: [:])
        XCTAssertTrue(info.hasSuffix("[kb.serve] listening\n"), info)
    }

    func testJSONLinesCarryLevelMessageTimeAndFields() throws {
        let lines = LogLines(label: "kb.run", format: .json, level: .info, environment: [:])
        let line = lines.format(level: .warning, message: "cannot read \"x\"", fields: ["stage": "parse"])
        XCTAssertTrue(line.hasSuffix("\n"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        XCTAssertEqual(object["level"], "warning")
        XCTAssertEqual(object["message"], "cannot read \"x\"")
        XCTAssertEqual(object["stage"], "parse")
        XCTAssertNotNil(object["time"].flatMap { try? Date($0, strategy: .iso8601) })
    }

    func testQuietRunLogsOnlyErrors() {
        let log = RunLog(format: .text, quiet: true, level: .info, environment: [:])
        XCTAssertEqual(log.logger.logLevel, .error)
        XCTAssertEqual(RunLog(format: .json, quiet: false, level: .debug, environment: [:]).logger.logLevel, .debug)
    }
}
