import Foundation
import GRDB
import XCTest
@testable import KBIndex

/// `kb index` killed with SIGKILL at several moments: the index must always be the old one
/// or the new one, never a mix, readable, and a rerun must finish the job.
final class CrashTests: XCTestCase {
    private func run(_ kb: TestKB, db: String, killAt point: String?, after delay: Double? = nil) throws -> Int32 {
        let binary = try XCTUnwrap(kbExecutable(), "the kb executable is built beside the tests (swift build)")
        let p = Process()
        p.executableURL = binary
        p.arguments = ["index", "--kb", kb.root.path, "--db", db, "--quiet", "--model", ModelFolder.url.path]
        var env = ProcessInfo.processInfo.environment
        if let point { env["KB_INDEX_KILL_AT"] = point }
        p.environment = env
        p.standardError = FileHandle.nullDevice
        try p.run()
        if let delay {
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        return p.terminationReason == .uncaughtSignal ? p.terminationStatus : -1
    }

    /// Edits one article, deletes one and adds six, so a half-applied run is detectable.
    private func change(_ kb: TestKB) throws {
        try kb.write("payments/card-declined.md", title: "Card payment declined", category: "Payments",
                     body: "## Resolution\n\nThe card issuer refused the payment. Ask for another card. " + String(repeating: "More detail. ", count: 200))
        try kb.remove("account/reset-2fa.md")
        for i in 0..<6 { try kb.write("new/a\(i).md", title: "New article \(i)", category: "New", body: "Fresh text number \(i) about invoices and payments.") }
    }

    func testKillAtEachPointLeavesOldOrNewIndex() throws {
        let kb = try TestKB()
        try kb.index()
        let old = try indexState(kb.db)
        let original = try Data(contentsOf: URL(fileURLWithPath: kb.db))
        try change(kb)
        let expected: [KillPoint: Bool] = [.afterParse: false, .afterEmbed: false, .midWrite: false, .beforeCommit: false, .afterCommit: true]
        for point in KillPoint.allCases {
            let copy = kb.dir.appendingPathComponent("crash-\(point.rawValue).sqlite").path
            try original.write(to: URL(fileURLWithPath: copy))
            XCTAssertEqual(try run(kb, db: copy, killAt: point.rawValue), SIGKILL, "\(point) was reached and killed the indexer")
            let after = try indexState(copy)
            if expected[point] == true {
                XCTAssertEqual(after.count, 9, "\(point): the whole new run is there")
                XCTAssertNil(after["account/reset-2fa.md"])
                XCTAssertNotEqual(after["payments/card-declined.md"], old["payments/card-declined.md"])
            } else {
                XCTAssertEqual(after, old, "\(point): the previous index, untouched")
            }
            // Readable by search as it is, then a rerun finishes the job.
            XCTAssertFalse(try Searcher(path: copy, embedder: Model.embedder).search("card").isEmpty, "\(point)")
            let rerun = try kb.index(into: copy)
            XCTAssertEqual(rerun.articleFiles, 9)
            XCTAssertEqual(rerun.unchanged, expected[point] == true ? 9 : 2)
            XCTAssertEqual(try indexState(copy).count, 9)
            XCTAssertEqual(try Searcher(path: copy, embedder: Model.embedder).search("fresh", options: SearchOptions(mode: .keyword)).count, 6)
        }
    }

    /// Kills from outside at arbitrary moments, as `kill -9` would.
    func testKillAtRandomMomentsLeavesOldOrNewIndex() throws {
        let kb = try TestKB()
        try kb.index()
        let old = try indexState(kb.db)
        let original = try Data(contentsOf: URL(fileURLWithPath: kb.db))
        try change(kb)
        for delay in [0.05, 0.3, 0.8, 1.5] {
            let copy = kb.dir.appendingPathComponent("kill-\(delay).sqlite").path
            try original.write(to: URL(fileURLWithPath: copy))
            _ = try run(kb, db: copy, killAt: nil, after: delay)
            let after = try indexState(copy)
            XCTAssertTrue(after == old || after.count == 9, "old or new, never a mix (delay \(delay)): \(after.keys.sorted())")
            try kb.index(into: copy)
            XCTAssertEqual(try indexState(copy).count, 9)
        }
    }
}
