import Foundation
import XCTest
@testable import KBChunking

final class TokenizerTests: XCTestCase {
    struct Case {
        var line: Int
        var text: String
        var ids: [Int32]
    }

    /// Loaded once: the real vocabulary and the Hugging Face fixture.
    static let tokenizer: Result<WordPieceTokenizer, Error> = Result { try WordPieceTokenizer(directory: ModelDirectory.url()) }
    static let cases: Result<[Case], Error> = Result {
        guard let url = Bundle.module.url(forResource: "tokenizer-fixture", withExtension: "jsonl", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/tokenizer-fixture.jsonl"])
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { index, line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let string = object?["text"] as? String, let ids = object?["ids"] as? [Int] else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: "\(url.path):\(index + 1)"])
            }
            return Case(line: index + 1, text: string, ids: ids.map { Int32($0) })
        }
    }

    func testFixtureMatchesHuggingFaceTokenizers() throws {
        let tokenizer = try Self.tokenizer.get()
        let cases = try Self.cases.get()
        XCTAssertGreaterThanOrEqual(cases.count, 300)
        var failures: [String] = []
        for c in cases {
            let got = tokenizer.encode(c.text, maxLength: .max).ids
            if got != c.ids { failures.append(describe(c, got: got, tokenizer)) }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) fixture strings differ:\n"
                  + failures.prefix(10).joined(separator: "\n"))
    }

    func testCountTokensAndTokenizeAgreeWithEncode() throws {
        let tokenizer = try Self.tokenizer.get()
        for c in try Self.cases.get() {
            let ids = tokenizer.tokenize(c.text)
            XCTAssertEqual(tokenizer.countTokens(c.text), ids.count + 2, "line \(c.line): \(c.text.debugDescription)")
            XCTAssertEqual([tokenizer.clsID] + ids + [tokenizer.sepID], c.ids, "line \(c.line)")
        }
    }

    func testEncodeTruncatesToTheModelWindow() throws {
        let tokenizer = try Self.tokenizer.get()
        let text = String(repeating: "The mailbox could not be opened because of an unexpected error. ", count: 40)
        let all = tokenizer.tokenize(text)
        XCTAssertGreaterThan(all.count, 300)
        let encoding = tokenizer.encode(text)
        XCTAssertEqual(encoding.ids.count, WordPieceTokenizer.modelWindow)
        XCTAssertEqual(encoding.ids.first, tokenizer.clsID)
        XCTAssertEqual(encoding.ids.last, tokenizer.sepID)
        XCTAssertEqual(Array(encoding.ids[1..<255]), Array(all.prefix(254)))
        XCTAssertEqual(encoding.droppedTokens, all.count - 254)

        let short = tokenizer.encode("Reset your password")
        XCTAssertEqual(short.droppedTokens, 0)
        XCTAssertEqual(short.ids, [tokenizer.clsID] + tokenizer.tokenize("Reset your password") + [tokenizer.sepID])

        let exact = tokenizer.encode(text, maxLength: all.count + 2)
        XCTAssertEqual(exact.droppedTokens, 0)
        XCTAssertEqual(exact.ids.count, all.count + 2)
        let tiny = tokenizer.encode(text, maxLength: 5)
        XCTAssertEqual(tiny.ids, [tokenizer.clsID] + all.prefix(3) + [tokenizer.sepID])
        XCTAssertEqual(tiny.droppedTokens, all.count - 3)
        XCTAssertEqual(tokenizer.encode("").ids, [tokenizer.clsID, tokenizer.sepID])
    }

    func testRealVocabularyBasics() throws {
        let tokenizer = try Self.tokenizer.get()
        XCTAssertEqual([tokenizer.padID, tokenizer.unkID, tokenizer.clsID, tokenizer.sepID], [0, 100, 101, 102])
        XCTAssertEqual(tokenizer.vocabularySize, 30522)
        XCTAssertEqual(tokenizer.tokenize("Unaffable").map(tokenizer.token(for:)), ["una", "##ffa", "##ble"])
        XCTAssertEqual(tokenizer.token(for: 99_999), "<invalid id 99999>")
        XCTAssertEqual(tokenizer.tokenize(String(repeating: "a", count: 101)), [tokenizer.unkID])
    }

    func testMissingVocabularyNamesThePath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = dir.appendingPathComponent("vocab.txt").path
        XCTAssertThrowsError(try WordPieceTokenizer(directory: dir)) { error in
            XCTAssertEqual(error as? TokenizerError, .vocabularyNotFound(path: expected))
            XCTAssert("\(error)".contains(expected), "\(error)")
        }
    }

    func testUnsupportedTokenizerJSONIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n".write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let json = dir.appendingPathComponent("tokenizer.json")
        try #"{"normalizer": {"type": "BertNormalizer", "lowercase": false}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "WordPiece"}}"#
            .write(to: json, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WordPieceTokenizer(directory: dir)) { error in
            XCTAssertEqual(error as? TokenizerError,
                           .unsupportedConfiguration(path: json.path, setting: "normalizer.lowercase", value: "false"))
        }
        try FileManager.default.removeItem(at: json)
        XCTAssertEqual(try WordPieceTokenizer(directory: dir).tokenize("Hello HELLO bye"), [4, 4, 1])
    }

    func testVocabularyArrayInitialiser() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "é", ","])
        XCTAssertEqual(tokenizer.tokenize("unaffable"), [4, 5, 6])
        XCTAssertEqual(tokenizer.tokenize("UNAFFABLE, unaffx"), [4, 5, 6, 8, 1])
        XCTAssertEqual(tokenizer.tokenize("[CLS]un[SEP]"), [2, 4, 3])
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[SEP]"])) { error in
            XCTAssertEqual(error as? TokenizerError, .missingSpecialToken(token: "[CLS]", path: "<vocabulary array>"))
        }
    }

    private func describe(_ c: Case, got: [Int32], _ tokenizer: WordPieceTokenizer) -> String {
        let position = zip(got, c.ids).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? min(got.count, c.ids.count)
        let window = { (ids: [Int32]) in
            ids[max(0, position - 2)..<min(ids.count, position + 4)].map { "\($0):\(tokenizer.token(for: $0))" }.joined(separator: " ")
        }
        let text = c.text.count > 160 ? String(c.text.prefix(160)) + "…" : c.text
        return "line \(c.line) \(text.debugDescription): first difference at id \(position) "
            + "(expected \(c.ids.count) ids, got \(got.count)); expected […\(window(c.ids))…] got […\(window(got))…]"
    }
}
