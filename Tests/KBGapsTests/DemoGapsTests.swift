import Foundation
import KBChunking
import KBEmbedding
import KBIndex
import KBTickets
import XCTest

@testable import KBGaps

/// `kb gaps` on the demo (the project's own Ledgerly help center and tickets, with their ground
/// truth), end to end with the real model, real SQLite files and the KB's own answered test.
final class DemoGapsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    /// The model, and the demo run made with it once for the class; every test is skipped,
    /// saying why, when the model cannot be found.
    static let model = Result { try ModelLocator.directory(searchingUpFrom: #filePath) }
    static let built = Result { () throws -> (dir: URL, result: GapsRunner.Result) in
        let folder: URL
        do { folder = try model.get() } catch { throw XCTSkip("no model: \(error) (scripts/setup.sh fetches it)") }
        let embedder = try MiniLMEmbedder(modelDirectory: folder)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-demo-gaps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let index = dir.appendingPathComponent("index.sqlite").path
        let tickets = dir.appendingPathComponent("tickets.sqlite").path
        _ = try IndexWriter(path: index, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
            .update(root: root.appendingPathComponent("kb/articles"))
        _ = try TicketImporter(store: TicketStore(path: tickets))
            .importFile(root.appendingPathComponent("pipelines/demo/tickets.jsonl").path, format: .jsonl)
        let result = try GapsRunner(embedder: embedder, indexPath: index, cachePath: nil).run(
            source: .ticketStore(path: tickets))
        return (dir, result)
    }
    static var run: (dir: URL, result: GapsRunner.Result) { get throws { try built.get() } }

    override class func tearDown() {
        if case .success(let r) = built { try? FileManager.default.removeItem(at: r.dir) }
    }

    func scores() throws -> GapsTruthScores {
        let truth = try GapsTruthScores.readTruth(
            path: Self.root.appendingPathComponent("pipelines/demo/ground-truth.json").path)
        return GapsTruthScores(
            questions: try Self.run.result.questions, outcomes: try Self.run.result.outcomes, truth: truth)
    }

    func testBankFeedDuplicateTicketsAreAGapNotAnswered() throws {
        // The near-miss article bank-feeds/connect-a-bank.md reads close to these tickets; the
        // ticket-by-ticket test called 27 of 32 answered.
        let bank = try XCTUnwrap(try scores().problems.first { $0.label == "bank-feed-duplicates-reconnect" })
        XCTAssertFalse(bank.covered)
        XCTAssertEqual(bank.answered, 0)
        XCTAssertEqual(bank.inTopics, bank.tickets)
    }

    func testGapTicketsLandInTopicsAndCoveredTicketsAreAnswered() throws {
        let s = try scores()
        XCTAssertEqual(s.gapProblems, 8)
        XCTAssertGreaterThanOrEqual(s.gapRecall, 0.9, "gap tickets in a gap topic")
        XCTAssertGreaterThanOrEqual(s.coveredAnswered, 0.9, "covered tickets answered")
        XCTAssertEqual(s.topicsMixingProblems, 0)
    }

    func testBinomialLowerTail() {
        XCTAssertLessThan(CitationTest.binomialLowerTail(0, 5, 0.8), 0.001)
        XCTAssertEqual(CitationTest.binomialLowerTail(5, 5, 0.8), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(CitationTest.binomialLowerTail(3, 5, 0.8), 0.2)
    }
}
