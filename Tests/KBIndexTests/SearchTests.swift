import Foundation
import GRDB
import XCTest
@testable import KBIndex

/// Search on a real index with the real model.
final class SearchTests: XCTestCase {
    func testHybridSearchFindsDifferentWordingAndRespectsFilters() throws {
        let kb = try TestKB()
        try kb.index()
        let s = try kb.searcher()
        let hits = try s.search("my credit card keeps getting rejected when I pay")
        XCTAssertEqual(hits.first?.articlePath, "payments/card-declined.md")
        XCTAssertFalse(try s.search("refund approval limit escalation queue").contains { $0.articlePath.hasPrefix("internal/") },
                       "internal articles never appear for the external audience")
        XCTAssertEqual(try s.search("refund approval limit", options: SearchOptions(audience: .internal)).map(\.articlePath),
                       ["internal/refund-limits.md"])
        XCTAssertEqual(try s.search("refund approval limit", options: SearchOptions(audience: .all)).first?.articlePath,
                       "internal/refund-limits.md")
        XCTAssertEqual(try s.search("connect", options: SearchOptions(tags: ["BANK-FEED"])).map(\.articlePath), ["bank/connect.md"])
        XCTAssertEqual(try s.search("connect", options: SearchOptions(tags: ["bank-feed", "other"])), [])
        for mode in SearchMode.allCases {
            XCTAssertEqual(try s.search("card", options: SearchOptions(mode: mode, category: "payments")).map(\.articlePath),
                           ["payments/card-declined.md"], "\(mode)")
        }
        let semantic = try s.search("lost my phone, can't log in", options: SearchOptions(mode: .semantic))
        XCTAssertEqual(semantic.first?.articlePath, "account/reset-2fa.md")
        XCTAssertEqual(semantic.first?.chunks.first?.headingPath, "Reset two-factor authentication > Steps")
        XCTAssertNil(semantic.first?.keywordScore)
        let keyword = try s.search("ERR_PAY_402", options: SearchOptions(mode: .keyword))
        XCTAssertEqual(keyword.map(\.articlePath), ["payments/card-declined.md"], "keyword mode only returns word matches")
        XCTAssertTrue(keyword.first?.chunks.first?.text.contains("ERR_PAY_402") == true, "the matching chunk comes first")
        XCTAssertEqual(try s.search("card", options: SearchOptions(top: 1)).count, 1)
    }

    /// The in-memory BM25 gives FTS5's own `bm25()` scores, column weights included.
    func testInMemoryBM25MatchesFTS5() throws {
        let kb = try TestKB()
        try kb.write("payments/refunds.md", title: "Refunds and card payments", category: "Payments",
                     body: "## Refund a card payment\n\nOpen the payment, choose Refund. Refunds reach the card in five days.\n\n## Partial refunds\n\nEnter the amount to refund.")
        try kb.index()
        let s = try kb.searcher()
        for weights in [(2.0, 1.5, 1.0), (1.0, 1.0, 1.0), (5.0, 0.5, 2.0)] {
            for query in ["card payment refund", "bank consent sign", "recovery code phone", "refunds reach card"] {
                let terms = try s.store.terms(query, dropStopwords: false)
                let match = try XCTUnwrap(FTSQuery.match(query, dropStopwords: false))
                let reference = try s.store.keywordMatches(match, weights: weights, limit: 1000)
                let (score, rows) = s.corpus.keyword.scores(terms: terms, weights: weights)
                XCTAssertEqual(rows.count, reference.count, query)
                XCTAssertFalse(reference.isEmpty)
                for (id, expected) in reference {
                    let row = try XCTUnwrap(s.corpus.rowOfChunkID[id])
                    XCTAssertEqual(score[Int(row)], expected, accuracy: 1e-9 * max(1, abs(expected)), "\(query) chunk \(id)")
                }
            }
        }
    }

    func testFTSSyntaxNeverErrorsAndEmptyQueryIsAnError() throws {
        let kb = try TestKB()
        try kb.index()
        let s = try kb.searcher()
        for q in ["\"unbalanced", "card*", "NEAR(card bank)", "-card", "title:card", "AND OR NOT", "((", "*", "😀", "card\" OR \"x", "^card", "{title}: card"] {
            for mode in SearchMode.allCases {
                XCTAssertNoThrow(try s.search(q, options: SearchOptions(mode: mode)), "\(q) \(mode)")
            }
        }
        XCTAssertEqual(try s.search("title:card", options: SearchOptions(mode: .keyword)).first?.articlePath, "payments/card-declined.md",
                       "syntax characters are just separators")
        XCTAssertEqual(try s.search("NEAR", options: SearchOptions(mode: .keyword)), [])
        for empty in ["", "   ", "\n\t"] {
            XCTAssertThrowsError(try s.search(empty)) { XCTAssertEqual("\($0)", "the query is empty") }
        }
    }

    /// `--json` and `--queries` output: stable snake-case fields, one line per input line.
    func testJSONFieldsAndBatchLines() throws {
        let kb = try TestKB()
        try kb.index()
        let s = try kb.searcher()
        var lines: [Data] = []
        try SearchJSON.batch(s, input: "card declined\n\nconnect my bank\n", options: SearchOptions(top: 2)) { lines.append($0) }
        XCTAssertEqual(lines.count, 3, "one output line per input line, blank lines included")
        XCTAssertEqual(String(decoding: lines[1], as: UTF8.self), "[]")
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: lines[0]) as? [[String: Any]])
        XCTAssertEqual(first.count, 2)
        XCTAssertEqual(first[0]["article_path"] as? String, "payments/card-declined.md")
        XCTAssertEqual(first[0]["title"] as? String, "Card payment declined")
        for key in ["score", "keyword_score", "semantic_score", "keyword_rank", "semantic_rank", "category", "external", "chunks"] {
            XCTAssertNotNil(first[0][key], key)
        }
        let chunk = try XCTUnwrap((first[0]["chunks"] as? [[String: Any]])?.first)
        XCTAssertNotNil(chunk["heading_path"] as? String)
        XCTAssertNotNil(chunk["text"] as? String)
        XCTAssertNotNil(chunk["semantic_score"] as? Double)
        let third = try XCTUnwrap(JSONSerialization.jsonObject(with: lines[2]) as? [[String: Any]])
        XCTAssertEqual(third.first?["article_path"] as? String, "bank/connect.md")
    }

    func testRankingParametersParseAndFusionMethodsBothWork() throws {
        XCTAssertEqual(try RankingParameters(overrides: "rrfK=30,fusion=weighted,keywordShare=0.7").rrfK, 30)
        XCTAssertThrowsError(try RankingParameters(overrides: "nonsense=1")) { XCTAssertTrue("\($0)".contains("nonsense=1")) }
        XCTAssertThrowsError(try RankingParameters(overrides: "fusion=max"))
        let kb = try TestKB()
        try kb.index()
        for fusion in RankingParameters.FusionMethod.allCases {
            var p = RankingParameters()
            p.fusion = fusion
            let hits = try kb.searcher(p).search("my credit card keeps getting rejected when I pay")
            XCTAssertEqual(hits.first?.articlePath, "payments/card-declined.md", "\(fusion)")
            XCTAssertEqual(hits.map(\.score), hits.map(\.score).sorted(by: >), "best first")
        }
    }

    func testTopKKeepsTheBestInOrder() {
        let values: [Double] = (0..<1000).map { Double(($0 * 7919) % 1000) }
        let rows = (0..<1000).map(Int32.init)
        XCTAssertEqual(topK(5, of: rows) { values[Int($0)] }.map { values[Int($0)] }, [999, 998, 997, 996, 995])
        XCTAssertEqual(topK(3, of: [4, 2, 9]) { _ in 1 }, [2, 4, 9], "ties: lower index first")
        XCTAssertEqual(topK(0, of: rows) { values[Int($0)] }, [])
    }
}
