import Foundation
import XCTest

@testable import KBPipeline

/// Issue 16: a small seeded run of the hostile corpus (the reproductions and a few hundred
/// generated inputs) through the real reader and importer. No crash, every bad input
/// reported by file and line (or row), the good article unchanged. (`kb bench fuzz` runs
/// the long one and prints timings; nothing here is timed.)
final class FuzzTests: XCTestCase {
    func testSeededHostileCorpusIsSurvivedAndReported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try FuzzRun.run(seed: 16, articles: 300, ticketRows: 200, folder: dir, hangSeconds: 600)
        XCTAssertEqual(report.articles, 300 + HostileCorpus.reproductions().count)
        XCTAssertEqual(report.unreported, [], "\(report)")
        XCTAssertTrue(report.goodUnchanged)
        XCTAssertGreaterThan(report.articlesReported, 100, "\(report)")
    }
}
