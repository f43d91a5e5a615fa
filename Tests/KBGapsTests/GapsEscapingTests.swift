import Foundation
import KBMarkdown
import XCTest

@testable import KBGaps

/// Issue 16 item 4: ticket HTML and links in gaps.md stay text.
final class GapsEscapingTests: XCTestCase {
    func testTicketHTMLInGapsMarkdownIsInert() throws {
        let evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> [go](javascript:alert(3))"
        let json = """
            {"generatedAt":"2026-11-01T00:00:00Z","source":"t.csv","questions":3,"answered":0,"unanswered":3,"outliers":0,
             "weaklyAnswered":[{"article":"a`b.md","count":1,"examples":["\(evil)"]}],"window":[],
             "topics":[{"id":1,"title":"\(evil)","label":"\(evil)","keyPhrases":["<b>x</b>"],"volume":3,"share":1,
                        "trend":{"weeks":[],"counts":[],"change":0},"examples":["\(evil)"],"nearestArticle":"x`<y>.md","draftCommand":"kb drafts --topic 1 `rm`"}],
             "clustering":{"backgroundMean":0,"backgroundStd":0,"similarityThreshold":0,"minimumTopicSize":2,"topics":1,"outlierShare":0},
             "answeredThreshold":0.5,"problems":["\(evil)"]}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let report = try decoder.decode(GapsReport.self, from: Data(json.utf8))
        let md = GapsRender.markdown(report)
        XCTAssertEqual(MarkdownAudit.activeContent(md), [], md)
        XCTAssertTrue(md.contains("&lt;script>alert(1)&lt;/script>"), "shown as text, not dropped")
    }
}
