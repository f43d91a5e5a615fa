import Foundation
import XCTest

@testable import KBChunking

/// The Swift tokenizer against Hugging Face `tokenizers` on a committed fixture
/// (made by scripts/make_tokenizer_fixture.py with the model's tokenizer.json).
final class TokenizerTests: XCTestCase {
    struct Case: Decodable { let text: String; let ids: [Int32] }

    private var tokenizer: WordPieceTokenizer!

    override func setUpWithError() throws { tokenizer = try ChunkerTests.tokenizer }

    func testFixtureIdsMatchHuggingFaceExactly() throws {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "tokenizer-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 300)
        var failures = 0
        for line in lines {
            let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let got = [tokenizer.clsID] + tokenizer.tokenize(c.text) + [tokenizer.sepID]
            if got != c.ids {
                failures += 1
                let at = zip(got, c.ids).enumerated().first { $1.0 != $1.1 }?.offset ?? min(got.count, c.ids.count)
                let show = { (ids: [Int32]) in
                    ids.dropFirst(max(0, at - 2)).prefix(6).map { self.tokenizer.token(for: $0) }
                }
                XCTFail(
                    "\(c.text.debugDescription.prefix(120)): first difference at \(at): got \(show(got)), expected \(show(c.ids))"
                )
                if failures > 10 { break }
            }
            XCTAssertEqual(tokenizer.countTokens(c.text), c.ids.count)
        }
    }

    func testEncodeTruncatesToTheWindowAndSaysWhatWasDropped() {
        let text = Array(repeating: "the", count: 300).joined(separator: " ")
        let e = tokenizer.encode(text)
        XCTAssertEqual(e.ids.count, 256)
        XCTAssertEqual(e.ids.first, tokenizer.clsID)
        XCTAssertEqual(e.ids.last, tokenizer.sepID)
        XCTAssertEqual(e.droppedTokens, 300 - 254)
        let short = tokenizer.encode("reset my password")
        XCTAssertEqual(short.droppedTokens, 0)
        XCTAssertEqual(short.ids.count, tokenizer.countTokens("reset my password"))
        XCTAssertEqual(tokenizer.encode(text, maxLength: 16).ids.count, 16)
    }

    func testMissingVocabularyNamesTheFile() {
        XCTAssertThrowsError(try WordPieceTokenizer(directory: URL(fileURLWithPath: "/nonexistent/model"))) { error in
            XCTAssertEqual(error as? TokenizerError, .vocabularyMissing(path: "/nonexistent/model/vocab.txt"))
            XCTAssertTrue("\(error)".contains("make setup"))
        }
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: ["a", "b"]))
    }
}
