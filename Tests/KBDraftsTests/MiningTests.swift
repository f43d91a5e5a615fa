import Foundation
import KBChunking
import KBEmbedding
import KBTickets
import XCTest

@testable import KBDrafts

/// Mining on tickets the test writes, with the real model: recurring problems become
/// internal drafts built from redacted text only.
final class MiningTests: XCTestCase {
    func testRecurringProblemBecomesAnInternalDraftWithoutPersonalData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-mine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wordings = [
            "The bank feed shows every transaction twice since I reconnected my bank",
            "After reconnecting the bank account all transactions are duplicated in the feed",
            "Duplicate transactions appeared in my bank feed after the reconnect",
            "Reconnected my bank and now the feed imported the same transactions again",
        ]
        var lines: [String] = []
        for (i, w) in wordings.enumerated() {
            lines.append(
                """
                {"source":"t","id":"B\(i)","customer":{"name":"Maria Keller","email":"maria\(i)@example.com"},"subject":"Bank feed duplicates","status":"resolved","created_at":"2026-11-0\(i + 1)T10:00:00Z","csat":\(i + 2),"messages":[{"role":"customer","text":"\(w). Maria Keller, call +49 30 901820."}],"resolution":{"cause":"The reconnect re-imported 90 days.","steps":["Open Banking.","Choose Remove duplicates."]}}
                """)
        }
        lines.append(
            """
            {"source":"t","id":"X1","subject":"How do I change my logo","status":"resolved","created_at":"2026-11-02T10:00:00Z","messages":[{"role":"customer","text":"Where do I upload a new company logo?"}]}
            """)
        let file = dir.appendingPathComponent("t.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
        _ = try TicketImporter(store: store).importFile(file.path, format: .jsonl)
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(searchingUpFrom: #filePath))
        let drafts = DraftStore(folder: dir.appendingPathComponent("drafts"))
        let outcome = try DraftMiner().run(
            store: store, indexPath: dir.appendingPathComponent("none.sqlite").path,
            drafts: drafts, embedder: embedder)
        XCTAssertEqual(outcome.groups.count, 1, "four wordings of one problem form one group; the one-off does not")
        XCTAssertEqual(outcome.groups.first?.tickets.count, 4)
        let id = try XCTUnwrap(drafts.ids().first)
        let text = try String(contentsOf: drafts.folder.appendingPathComponent(id + ".md"), encoding: .utf8)
        XCTAssertTrue(text.contains("external: false"), text)
        XCTAssertTrue(
            text.contains("## Symptoms") && text.contains("## Cause") && text.contains("## Resolution")
                && text.contains("## Related tickets"))
        XCTAssertTrue(
            text.contains("1. Open Banking.\n2. Choose Remove duplicates."),
            "steps of the best-rated resolution, numbered")
        for secret in ["Maria", "Keller", "901820", "example.com"] { XCTAssertFalse(text.contains(secret), secret) }
        // The BLAS leader grouping used before clustering past `maxExact` tickets: the four
        // wordings gather, the one-off stays alone.
        let resolved = try store.resolvedTickets()
        let vectors = try embedder.embed(resolved.map(\.problemText))
        let leaders = TicketGrouping(similarity: 0.62).clusters(
            vectors: vectors.flatMap { $0 }, n: vectors.count, d: 384)
        XCTAssertEqual(leaders.map(\.members.count).sorted(), [1, 4])
        let logo = try XCTUnwrap(resolved.firstIndex { $0.subject.contains("logo") })
        XCTAssertEqual(leaders.first { $0.members.contains(logo) }?.members, [logo])
        // A rerun changes nothing.
        let again = try DraftMiner().run(store: store, indexPath: "", drafts: drafts, embedder: embedder)
        XCTAssertEqual(again.written, [.unchanged(path: drafts.folder.appendingPathComponent(id + ".md").path)])
    }
}
