import Foundation
import XCTest

@testable import KBPipeline

final class PipelineFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("articles"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir.appendingPathComponent("t.jsonl").path, contents: Data())
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func load(_ yaml: String) throws -> PipelineFile {
        let path = dir.appendingPathComponent("p.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try PipelineFile.load(path: path)
    }

    private func assertRejected(
        _ yaml: String, line: Int, _ fragment: String, file: StaticString = #filePath, l: UInt = #line
    ) {
        XCTAssertThrowsError(try load(yaml), file: file, line: l) { error in
            guard let e = error as? PipelineFileError else { return XCTFail("\(error)", file: file, line: l) }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: l)
            XCTAssertTrue(e.description.contains(fragment), "\(e)", file: file, line: l)
            XCTAssertTrue(
                e.description.hasPrefix(self.dir.appendingPathComponent("p.yml").path + ":\(line): "), file: file,
                line: l)
        }
    }

    func testValidFile() throws {
        let f = try load(
            """
            name: nightly
            version: 1
            kb: \(dir.path)/articles
            stages: [index, parse, reports]
            tickets:
              - path: \(dir.path)/t.jsonl
                format: jsonl
            report:
              window: 8w
            thresholds:
              min_tickets: 4
            """)
        XCTAssertEqual(f.stages, [.parse, .index, .reports], "stages run in pipeline order")
        XCTAssertEqual(f.tickets.first?.format, "jsonl")
        XCTAssertEqual(f.window, "8w")
        XCTAssertEqual(ReportWindow.days(f.window), 56)
        XCTAssertEqual(f.minTickets, 4)
    }

    func testBadFilesNameTheLine() {
        assertRejected("kb: \(dir.path)/articles\nstages:\n  - parse\n  - polish\n", line: 4, "unknown stage 'polish'")
        assertRejected("kb: \(dir.path)/articles\ncolour: blue\n", line: 2, "unknown key 'colour'")
        assertRejected("kb: \(dir.path)/nowhere\n", line: 1, "input path does not exist")
        assertRejected(
            "kb: \(dir.path)/articles\ntickets:\n  - path: \(dir.path)/t.jsonl\n    format: xml\n", line: 4,
            "unknown ticket format")
        assertRejected("kb: \(dir.path)/articles\nreport:\n  window: monthly\n", line: 3, "window must look like")
        assertRejected("kb: [unclosed\n", line: 2, "not valid YAML")
    }
}
