import Foundation
import GRDB
import KBChunking
import KBEmbedding
import XCTest

@testable import KBIndex

/// The answered test fitted on the demo help center (`kb/articles`, written by this project) with
/// the real model: stored in the index, refitted only when articles change, and the verdict that
/// `kb search` shows.
final class AnswerDetectorTests: XCTestCase {
    /// The real model (a test is skipped, saying why, when it cannot be found).
    static let loaded = Result { try MiniLMEmbedder(modelDirectory: ModelFolder.url) }
    static var embedder: MiniLMEmbedder { get throws { try loaded.get() } }
    static let articles = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../kb/articles").standardized
    /// One index of the demo KB for the whole class (indexing is the slow part).
    static let built = Result { () throws -> (dir: URL, db: String, first: IndexReport, second: IndexReport) in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-answer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("index.sqlite").path
        let writer = IndexWriter(path: db, chunker: Chunker(tokenizer: try embedder.tokenizer), embedder: try embedder)
        let first = try writer.update(root: articles)
        let second = try writer.update(root: articles)
        return (dir, db, first, second)
    }
    static var index: (dir: URL, db: String, first: IndexReport, second: IndexReport) { get throws { try built.get() } }

    override class func tearDown() {
        if case .success(let i) = built { try? FileManager.default.removeItem(at: i.dir) }
    }

    func testFittedOnceStoredInTheIndexAndNotRefittedWhenNothingChanged() throws {
        let fitted = try XCTUnwrap(try Self.index.first.answerModel, "the first index run fits the KB's answered test")
        XCTAssertEqual(fitted.weights.count, AnswerDetector.featureNames.count)
        XCTAssertGreaterThan(fitted.pseudoQuestions, 40)
        XCTAssertGreaterThan(fitted.selfAUROC, 0.6, "present pseudo-questions score above left-out ones")
        XCTAssertNil(try Self.index.second.answerModel, "nothing changed: no refit")
        let searcher = try Searcher(path: Self.index.db, embedder: Self.embedder)
        XCTAssertEqual(searcher.detector, fitted, "the searcher reads the stored test back")
    }

    func testNonsenseQueryIsNotConfident() throws {
        let searcher = try Searcher(path: Self.index.db, embedder: Self.embedder)
        let hits = try searcher.search("zzzxqy qwpoeiru", options: SearchOptions(top: 5))
        XCTAssertFalse(hits.isEmpty, "search still shows the closest articles")
        XCTAssertEqual(hits.compactMap(\.confident), Array(repeating: false, count: hits.count), "no good match")
    }

    func testCoveredQuestionIsConfidentAndTopIsItsArticle() throws {
        let searcher = try Searcher(path: Self.index.db, embedder: Self.embedder)
        let hits = try searcher.search(
            "my customer's card keeps getting declined at checkout", options: SearchOptions(top: 3))
        XCTAssertEqual(hits.first?.articlePath, "payments/card-declined.md")
        XCTAssertEqual(hits.first?.confident, true)
        XCTAssertEqual(hits.count, 3, "the verdict looks at ten candidates but returns what was asked")
    }

    func testKeywordModeCarriesNoVerdict() throws {
        let searcher = try Searcher(path: Self.index.db, embedder: Self.embedder)
        let hits = try searcher.search("card declined", options: SearchOptions(mode: .keyword, top: 3))
        XCTAssertTrue(hits.allSatisfy { $0.confident == nil && $0.answerScore == nil })
    }

    func testPseudoQuestionIsTheFirstProseSentenceWithoutMarkup() {
        let md =
            "```\nnot this one at all please\n```\n## Heading line\n1. Open **Settings › Team** and [invite](x.md) your accountant today. Then wait."
        XCTAssertEqual(AnswerCalibration.firstSentence(md), "Open Settings › Team and invite your accountant today.")
        XCTAssertNil(AnswerCalibration.firstSentence("Too short.\n| a | b |"))
    }

    func testBalancedThresholdSeparatesTwoSets() {
        let t = AnswerCalibration.balancedThreshold(positive: [0.6, 0.7, 0.8, 0.9], negative: [0.1, 0.2, 0.3, 0.65])
        XCTAssertEqual(t, 0.6, accuracy: 1e-9)
    }

    func testLogisticFitSeparatesAndKeepsOrder() {
        let x: [[Double]] = (0..<40).map { [Double($0 % 20) / 20, Double($0 % 3)] }
        let y = x.map { $0[0] > 0.45 }
        let (w, b) = LogisticFit.fit(x: x, y: y, l2: 0.1)
        XCTAssertGreaterThan(w[0], 0)
        let s = x.map { row in w.enumerated().reduce(b) { $0 + $1.element * row[$1.offset] } }
        XCTAssertEqual(AnswerCalibration.auroc(scores: s, positive: y), 1, accuracy: 0.01)
    }
}
