import Foundation
import XCTest
import Yams
@testable import KBDrafts

final class ReviewTests: XCTestCase {
    private var dir: URL!
    private var store: DraftStore!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-drafts-\(UUID().uuidString)")
        store = DraftStore(folder: dir.appendingPathComponent("drafts"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func generated(_ title: String, steps: [String] = ["Open Settings.", "Reconnect."]) -> DraftDocument {
        let fm: [(Node, Node)] = [
            (Node("title"), Node(title)), (Node("status"), Node("draft")), (Node("category"), Node("Bank feeds")),
            (Node("tags"), Node([Node("bank-feed")])), (Node("external"), Node("false", Tag(.bool))),
            (Node("source_tickets"), Node([Node("demo:T-1"), Node("demo:T-2"), Node("demo:T-3")])),
            (Node("generated_at"), Node("2026-11-20T00:00:00Z")),
        ]
        let body = "# \(title)\n\n## Resolution\n\n" + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
        return DraftDocument(frontMatter: Node.Mapping(fm), body: body)
    }

    func testStateMachineRecordsWhoAndWhenAndRejectsIllegalMoves() throws {
        _ = try store.writeGenerated(generated("Duplicates after reconnect"), id: "dup")
        XCTAssertThrowsError(try store.apply(.approve, to: "dup", by: "ed")) { error in
            XCTAssertEqual(error as? DraftError, .illegalMove(id: "dup", from: "draft", action: "approve", allowed: ["start", "reject"]))
        }
        try store.apply(.start, to: "dup", by: "ed")
        try store.apply(.approve, to: "dup", by: "lee")
        let articles = dir.appendingPathComponent("articles")
        let published = try store.apply(.publish, to: "dup", by: "lee", articles: articles)
        XCTAssertEqual(published, articles.appendingPathComponent("bank-feeds/dup.md").path)
        XCTAssertThrowsError(try store.load("dup"), "the draft moved out of the drafts folder")
        let text = try String(contentsOfFile: published, encoding: .utf8)
        let doc = try DraftDocument(text: text, path: published)
        XCTAssertEqual(doc["status"], "published")
        let log = try XCTUnwrap(doc.frontMatter["review_log"]?.sequence)
        XCTAssertEqual(log.map { $0["to"]?.string }, ["in_review", "approved", "published"])
        XCTAssertEqual(log.map { $0["by"]?.string }, ["ed", "lee", "lee"])
        XCTAssertNotNil(log.first?["at"]?.string.flatMap { try? Date($0, strategy: .iso8601) })
    }

    func testRejectNeedsReason() throws {
        _ = try store.writeGenerated(generated("X"), id: "x")
        XCTAssertThrowsError(try store.apply(.reject, to: "x", by: "ed")) { XCTAssertEqual($0 as? DraftError, .reasonRequired(id: "x")) }
        try store.apply(.reject, to: "x", by: "ed", reason: "duplicate of an article")
        XCTAssertEqual(try store.load("x")["rejected_reason"], "duplicate of an article")
        XCTAssertThrowsError(try store.apply(.publish, to: "x", by: "ed"))
    }

    func testAnEditorsChangeIsNeverOverwritten() throws {
        XCTAssertEqual(try store.writeGenerated(generated("Dup"), id: "dup"), .created(path: store.url(for: "dup").path))
        XCTAssertEqual(try store.writeGenerated(generated("Dup"), id: "dup"), .unchanged(path: store.url(for: "dup").path))
        XCTAssertEqual(try store.writeGenerated(generated("Dup", steps: ["New step."]), id: "dup"),
                       .updated(path: store.url(for: "dup").path), "an untouched draft follows the tickets")

        // The editor rewrites a step and adds a field of their own.
        var doc = try store.load("dup")
        doc.body = doc.body.replacingOccurrences(of: "New step.", with: "Editor's clearer step.")
        doc["owner"] = "maria"
        try store.save(doc, id: "dup")

        let result = try store.writeGenerated(generated("Dup", steps: ["Another generated step."]), id: "dup")
        guard case .proposedBeside(_, let proposal) = result else { return XCTFail("\(result)") }
        let kept = try store.load("dup")
        XCTAssertTrue(kept.body.contains("Editor's clearer step."))
        XCTAssertEqual(kept["owner"], "maria")
        XCTAssertTrue(try String(contentsOfFile: proposal, encoding: .utf8).contains("Another generated step."))
        XCTAssertEqual(try store.ids(), ["dup"], "the proposal is not a draft of its own")
    }

    func testADraftUnderReviewIsNotOverwrittenEvenUnedited() throws {
        _ = try store.writeGenerated(generated("Dup"), id: "dup")
        try store.apply(.start, to: "dup", by: "ed")
        let result = try store.writeGenerated(generated("Dup", steps: ["Changed."]), id: "dup")
        guard case .proposedBeside = result else { return XCTFail("\(result)") }
        XCTAssertEqual(try store.load("dup").status, .inReview)
    }

    func testListShowsStateAgeAndEdits() throws {
        _ = try store.writeGenerated(generated("A"), id: "a")
        _ = try store.writeGenerated(generated("B"), id: "b")
        try store.apply(.start, to: "b", by: "ed", now: Date(timeIntervalSince1970: 1_795_000_000))
        let (drafts, errors) = try store.list(now: Date(timeIntervalSince1970: 1_795_000_000 + 3 * 86_400))
        XCTAssertTrue(errors.isEmpty)
        XCTAssertEqual(drafts.map(\.status), ["draft", "in_review"])
        XCTAssertEqual(drafts[1].ageDays, 3)
        XCTAssertEqual(drafts[0].ticketCount, 3)
        XCTAssertFalse(drafts[0].edited)
        try "no front matter".write(to: store.url(for: "broken"), atomically: true, encoding: .utf8)
        let again = try store.list()
        XCTAssertEqual(again.errors.first?.description.contains("broken.md:1:"), true)
    }
}
