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
        let body =
            "# \(title)\n\n## Resolution\n\n"
            + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
        return DraftDocument(frontMatter: Node.Mapping(fm), body: body)
    }

    func testStateMachineRecordsWhoAndWhenAndRejectsIllegalMoves() throws {
        _ = try store.writeGenerated(generated("Duplicates after reconnect"), id: "dup")
        XCTAssertThrowsError(try store.apply(.approve, to: "dup", by: "ed")) { error in
            XCTAssertEqual(
                error as? DraftError,
                .illegalMove(id: "dup", from: "draft", action: "approve", allowed: ["start", "reject"]))
        }
        try store.apply(.start, to: "dup", by: "ed")
        try store.apply(.approve, to: "dup", by: "lee")
        let articles = dir.appendingPathComponent("articles")
        let published = try store.publish("dup", by: "lee", articles: articles, external: nil)
        XCTAssertEqual(published, articles.appendingPathComponent("bank-feeds/dup.md").path)
        // The draft stays as the record of what was published.
        let record = try store.load("dup")
        XCTAssertEqual(record.status, .published)
        XCTAssertEqual(record["published_path"], "bank-feeds/dup.md")
        let log = try XCTUnwrap(record.frontMatter["review_log"]?.sequence)
        XCTAssertEqual(log.map { $0["to"]?.string }, ["in_review", "approved", "published"])
        XCTAssertEqual(log.map { $0["by"]?.string }, ["ed", "lee", "lee"])
        XCTAssertNotNil(log.first?["at"]?.string.flatMap { try? Date($0, strategy: .iso8601) })
        // The article holds what a reader reads, nothing of the review or the tickets.
        let text = try String(contentsOfFile: published, encoding: .utf8)
        let article = try DraftDocument(text: text, path: published)
        XCTAssertEqual(article["title"], "Duplicates after reconnect")
        XCTAssertEqual(article.frontMatter["external"]?.bool, false, "the draft's own audience")
        for key in ["review_log", "source_tickets", "status", "generated_hash", "flags"] {
            XCTAssertNil(article.frontMatter[key], key)
        }
        XCTAssertFalse(text.contains("demo:T-"))
        XCTAssertTrue(text.contains("1. Open Settings."))
        XCTAssertThrowsError(try store.publish("dup", by: "lee", articles: articles, external: true))
        // Nothing more is proposed for a published draft.
        XCTAssertEqual(
            try store.writeGenerated(generated("Duplicates after reconnect", steps: ["Other."]), id: "dup"),
            .unchanged(path: store.url(for: "dup").path))
    }

    func testPublishTakesTheAudienceAndLeavesTicketsBehind() throws {
        var doc = generated("Fees missing on payouts")
        doc.body += "\n## Related tickets\n\n- demo:T-1: URGENT fees gone (2026-10-01)\n"
        doc.body = doc.body.replacingOccurrences(
            of: "## Resolution",
            with: "## Symptoms\n\nCustomers describe it as:\n\n- \"my payout fees vanished\"\n\n## Resolution")
        _ = try store.writeGenerated(doc, id: "fees")
        try store.apply(.start, to: "fees", by: "ed")
        try store.apply(.approve, to: "fees", by: "ed")
        let path = try store.publish("fees", by: "ed", articles: dir.appendingPathComponent("articles"), external: true)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("external: true"))
        for leak in ["demo:T-1", "URGENT fees gone", "my payout fees vanished", "Related tickets", "## Symptoms"] {
            XCTAssertFalse(text.contains(leak), leak)
        }
        XCTAssertTrue(text.contains("## Resolution"))
    }

    func testProposalsOnlyWhenTheGeneratedContentChangedAndTheEditorDecides() throws {
        _ = try store.writeGenerated(generated("Dup"), id: "dup")
        try store.apply(.start, to: "dup", by: "ed")
        // Same content generated again: no proposal (only status, log and time differ).
        XCTAssertEqual(
            try store.writeGenerated(generated("Dup"), id: "dup"), .unchanged(path: store.url(for: "dup").path))
        XCTAssertFalse(try store.list().drafts[0].hasProposal)
        XCTAssertThrowsError(try store.proposalDiff("dup")) {
            XCTAssertEqual($0 as? DraftError, .noProposal(id: "dup"))
        }

        // New content: proposed, listed, shown as a diff.
        _ = try store.writeGenerated(
            generated("Dup", steps: ["Open Settings.", "Reconnect the feed once."]), id: "dup")
        XCTAssertTrue(try store.list().drafts[0].hasProposal)
        let diff = try store.proposalDiff("dup")
        XCTAssertTrue(diff.hasPrefix("--- dup.md\n+++ dup.proposed.md\n@@ "), diff)
        XCTAssertTrue(diff.contains("\n-2. Reconnect.\n+2. Reconnect the feed once.\n"), diff)

        // Discarded: gone, and the same content is not proposed again.
        try store.discardProposal("dup", by: "ed")
        XCTAssertFalse(try store.list().drafts[0].hasProposal)
        XCTAssertEqual(
            try store.writeGenerated(
                generated("Dup", steps: ["Open Settings.", "Reconnect the feed once."]), id: "dup"),
            .unchanged(path: store.url(for: "dup").path))
        XCTAssertEqual(try store.load("dup").status, .inReview)

        // Accepted: the proposal's content, the draft's state and log.
        _ = try store.writeGenerated(generated("Dup", steps: ["Third version."]), id: "dup")
        try store.acceptProposal("dup", by: "ed")
        let doc = try store.load("dup")
        XCTAssertTrue(doc.body.contains("1. Third version."))
        XCTAssertEqual(doc.status, .inReview)
        XCTAssertEqual(doc.frontMatter["review_log"]?.sequence?.count, 3)
        XCTAssertFalse(doc.isEdited)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.proposalURL(for: "dup").path))
    }

    func testAFileTheEditorSavedIsNeverReplaced() throws {
        let generatedText = try generated("Dup").render()
        for (name, saved) in [
            ("crlf", generatedText.replacingOccurrences(of: "\n", with: "\r\n")),
            ("bom", "\u{FEFF}" + generatedText),
            ("yaml", generatedText.replacingOccurrences(of: "title: Dup", with: "title: Fix: the feed")),
        ] {
            try FileManager.default.createDirectory(at: store.folder, withIntermediateDirectories: true)
            try Data(saved.utf8).write(to: store.url(for: name))
            let result = try store.writeGenerated(generated("Dup", steps: ["New."]), id: name)
            guard case .proposedBeside(_, _, let readable) = result else { return XCTFail("\(name): \(result)") }
            XCTAssertEqual(readable, name != "yaml", name)
            XCTAssertEqual(
                try Data(contentsOf: store.url(for: name)), Data(saved.utf8), "\(name): the editor's bytes are kept")
        }
    }

    func testRejectNeedsReason() throws {
        _ = try store.writeGenerated(generated("X"), id: "x")
        XCTAssertThrowsError(try store.apply(.reject, to: "x", by: "ed")) {
            XCTAssertEqual($0 as? DraftError, .reasonRequired(id: "x"))
        }
        try store.apply(.reject, to: "x", by: "ed", reason: "duplicate of an article")
        XCTAssertEqual(try store.load("x")["rejected_reason"], "duplicate of an article")
        XCTAssertThrowsError(try store.apply(.publish, to: "x", by: "ed"))
    }

    func testAnEditorsChangeIsNeverOverwritten() throws {
        XCTAssertEqual(
            try store.writeGenerated(generated("Dup"), id: "dup"), .created(path: store.url(for: "dup").path))
        XCTAssertEqual(
            try store.writeGenerated(generated("Dup"), id: "dup"), .unchanged(path: store.url(for: "dup").path))
        XCTAssertEqual(
            try store.writeGenerated(generated("Dup", steps: ["New step."]), id: "dup"),
            .updated(path: store.url(for: "dup").path), "an untouched draft follows the tickets")

        // The editor rewrites a step and adds a field of their own.
        var doc = try store.load("dup")
        doc.body = doc.body.replacingOccurrences(of: "New step.", with: "Editor's clearer step.")
        doc["owner"] = "maria"
        try store.save(doc, id: "dup")

        let result = try store.writeGenerated(generated("Dup", steps: ["Another generated step."]), id: "dup")
        guard case .proposedBeside(_, let proposal, _) = result else { return XCTFail("\(result)") }
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
