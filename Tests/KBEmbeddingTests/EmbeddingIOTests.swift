import Foundation
import XCTest
@testable import KBEmbedding

/// `kb embed --lines` plumbing and the bench's CSV reader, on the real model.
final class EmbeddingIOTests: XCTestCase {
    func testLinesInVectorsOutInOrder() throws {
        let e = EmbedderTests.embedder
        let long = Array(repeating: "refund", count: 300).joined(separator: " ")
        let input = "reset my password\r\ncard declined\n\n\(long)\nlast line without newline"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kb-lines-\(UUID().uuidString).txt")
        try Data(input.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var lines: [String] = []
        let stats = try EmbeddingIO.embedLines(from: FileHandle(forReadingFrom: url), embedder: e, blockLines: 2) { lines.append($0) }
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(stats.texts, 5)
        XCTAssertEqual(stats.truncatedTexts, 1)
        XCTAssertEqual(stats.droppedTokens, e.tokenizer.countTokens(long) - 256)
        XCTAssertGreaterThan(stats.droppedTokens, 0)
        let parsed = try lines.map { try JSONDecoder().decode([Float].self, from: Data($0.utf8)) }
        let expected = try e.embed(["reset my password", "card declined", "", long, "last line without newline"])
        for (got, want) in zip(parsed, expected) {
            XCTAssertEqual(got.count, 384)
            // Batch composition moves the last bits of a product, nothing more.
            XCTAssertLessThanOrEqual(zip(got, want).map { abs($0 - $1) }.max() ?? 1, 1e-5)
        }
        // The JSON form reads back bit for bit.
        let v = expected[0] + [Float.leastNonzeroMagnitude, -0.0, 1e-30, 123456.78]
        XCTAssertEqual(try JSONDecoder().decode([Float].self, from: Data(EmbeddingIO.jsonArray(v).utf8)), v)
    }

    func testCSVFirstColumnHandlesQuotesAndCRLF() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kb-csv-\(UUID().uuidString).csv")
        try Data("text,category\r\nplain question?,a\r\n\"with, comma and \"\"quotes\"\"\",b\r\nthird,c\r\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try EmbeddingBenchmark.csvFirstColumn(url, limit: 10), ["plain question?", "with, comma and \"quotes\"", "third"])
        XCTAssertEqual(try EmbeddingBenchmark.csvFirstColumn(url, limit: 1), ["plain question?"])
    }
}
