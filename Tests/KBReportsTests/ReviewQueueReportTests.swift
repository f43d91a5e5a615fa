import Foundation
import KBDrafts
import KBMarkdown
import XCTest
import Yams

@testable import KBReports

final class ReviewQueueReportTests: XCTestCase {
    func testQueueRendersEscapedWithLinksInAllThreeForms() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-rq-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = DraftStore(folder: dir.appendingPathComponent("kb/drafts"))
        let fm = Node.Mapping([
            (Node("title"), Node("<script>alert(1)</script> | pipes")), (Node("status"), Node("draft")),
            (Node("source_tickets"), Node([Node("demo:T-9")])), (Node("priority"), Node("high")),
        ])
        _ = try store.writeGenerated(DraftDocument(frontMatter: fm, body: "# x\n"), id: "xss")
        let report = try ReviewQueueReport(store: store, reportFolder: dir.appendingPathComponent("reports"))
        try report.write(to: dir.appendingPathComponent("reports"))

        let html = try String(contentsOf: dir.appendingPathComponent("reports/review-queue.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("<script>alert(1)"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("href=\"../kb/drafts/xss.md\""))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "nothing loaded from the network")

        let md = try String(contentsOf: dir.appendingPathComponent("reports/review-queue.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("[&lt;script>alert(1)&lt;/script> \\| pipes](<../kb/drafts/xss.md>) | draft |"), md)
        XCTAssertEqual(MarkdownAudit.activeContent(md), [])

        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("reports/review-queue.json"))) as? [String: Any]
        XCTAssertEqual(json?["schema_version"] as? Int, 1)
        XCTAssertEqual((json?["drafts"] as? [[String: Any]])?.first?["source_tickets"] as? [String], ["demo:T-9"])
        XCTAssertEqual((json?["states"] as? [[String: Any]])?.first?["count"] as? Int, 1)
    }
}
