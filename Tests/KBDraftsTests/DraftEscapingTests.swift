import Foundation
import KBMarkdown
import XCTest

@testable import KBDrafts
@testable import KBTickets

/// Issue 16 item 4: ticket HTML and link syntax in a draft stay text.
final class DraftEscapingTests: XCTestCase {
    func testTicketHTMLInADraftIsInert() {
        let evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> [go](javascript:alert(3))"
        let tickets = (1...3).map { i in
            ResolvedTicket(
                id: Int64(i), reference: "t:\(i)", subject: "Export fails \(evil)",
                question: "When I export the report it fails. \(evil)", category: "Reports", tags: [],
                priority: nil, escalated: false, csat: 4, createdAt: "2026-10-0\(i)T00:00:00Z",
                resolutionSummary: "Summary \(evil)", resolutionCause: "Cause \(evil)",
                resolutionSteps: ["Step one \(evil)", "![x](data:text/html,<script>x</script>)"], linkedArticle: nil)
        }
        let group = DraftMiner.Group(
            tickets: tickets, central: 0, byCentrality: [0, 1, 2], kbHit: nil,
            vectors: Array(repeating: [1, 0], count: 3))
        let doc = DraftWriter.document(for: group, now: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(MarkdownAudit.activeContent(doc.body), [], doc.body)
        XCTAssertTrue(doc.body.contains("&lt;script>"), "shown as text, not dropped:\n\(doc.body)")
    }
}
