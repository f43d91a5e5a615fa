import Foundation
import KBMarkdown
import XCTest

@testable import KBChunking

/// Chunk-boundary tests on articles parsed by the real cmark-gfm and counted by the real
/// model vocabulary.
final class ChunkerTests: XCTestCase {
    /// The model's vocabulary (a test is skipped, saying why, when it cannot be found).
    static let loaded = Result { try WordPieceTokenizer(directory: ModelFolder.url) }
    static var tokenizer: WordPieceTokenizer { get throws { try loaded.get() } }
    private var tokenizer: WordPieceTokenizer!

    override func setUpWithError() throws { tokenizer = try Self.tokenizer }

    private func article(_ markdown: String, path: String = "a/test.md") -> Article {
        let root = FileManager.default.temporaryDirectory
        let result = ArticleParser().parse(data: Data(markdown.utf8), path: path, root: root)
        return result.article!
    }

    private func chunks(_ markdown: String, max: Int = 256, overlap: Int = 0) -> [KBChunking.Chunk] {
        Chunker(tokenizer: tokenizer, maxTokens: max, overlap: overlap).chunk(article(markdown))
    }

    private func assertInvariants(
        _ chunks: [KBChunking.Chunk], max: Int = 256, file: StaticString = #filePath, line: UInt = #line
    ) {
        for c in chunks {
            XCTAssertLessThanOrEqual(c.tokens, max, "chunk \(c.index) over budget", file: file, line: line)
            XCTAssertEqual(
                c.tokens, tokenizer.countTokens(c.embedText), "stored count is the real count", file: file, line: line)
            XCTAssertTrue(c.embedText.hasPrefix(c.headingPathString + "\n"), file: file, line: line)
            XCTAssertEqual(
                c.text.components(separatedBy: "```").count % 2, 1, "fences balanced in chunk \(c.index)", file: file,
                line: line)
        }
        XCTAssertEqual(chunks.map(\.index), Array(0..<chunks.count), file: file, line: line)
    }

    private func words(_ n: Int, _ word: String = "lorem") -> String {
        (0..<n).map { "\(word)\($0 % 10)" }.joined(separator: " ")
    }

    func testHeadingPathIsKeptAndTitleNotRepeated() {
        let cs = chunks(
            """
            ---
            title: Fix sync errors
            ---
            # Fix sync errors

            ## Resolution

            \(words(45))

            ### Method 2

            \(words(45, "ipsum"))
            """)
        assertInvariants(cs)
        XCTAssertEqual(
            cs.map(\.headingPath), [["Fix sync errors", "Resolution"], ["Fix sync errors", "Resolution", "Method 2"]])
        XCTAssertTrue(cs[1].embedText.hasPrefix("Fix sync errors > Resolution > Method 2\nipsum0"))
        XCTAssertFalse(cs[0].text.contains("# Fix sync errors"))
    }

    func testCodeBlockIsNeverCut() {
        let code = (0..<8).map { "Set-Mailbox -Identity user\($0) -Enabled $true" }.joined(separator: "\n")
        let cs = chunks(
            """
            # T

            \(words(50))

            ```powershell
            # comment line that is not a heading
            \(code)
            ```

            \(words(20, "tail"))
            """)
        assertInvariants(cs)
        let holders = cs.filter { $0.text.contains("Set-Mailbox") }
        XCTAssertEqual(holders.count, 1, "a code block that fits a chunk stays in one chunk")
        XCTAssertTrue(holders[0].text.contains("```powershell\n# comment line"))
        XCTAssertTrue(holders[0].text.contains("user7 -Enabled $true\n```"))
    }

    func testOversizedCodeBlockIsSplitAtLinesAndRefenced() {
        let code = (0..<200).map { "Get-Item HKLM:\\Software\\Key\($0)" }.joined(separator: "\n")
        let cs = chunks("# T\n\n```powershell\n\(code)\n```\n")
        assertInvariants(cs)
        XCTAssertGreaterThan(cs.count, 2)
        for c in cs {
            XCTAssertTrue(c.text.hasPrefix("```powershell\n"))
            XCTAssertTrue(c.text.hasSuffix("\n```"))
        }
        let lines = cs.flatMap { $0.text.split(separator: "\n").filter { $0.hasPrefix("Get-Item") } }
        XCTAssertEqual(lines.count, 200, "every line kept, none duplicated or cut")
    }

    func testOversizedTableRepeatsHeaderRow() {
        let rows = (0..<120).map { "| Plan \($0) | \($0 * 3) seats | €\($0),00 |" }.joined(separator: "\n")
        let cs = chunks("# Prices\n\n| Plan | Seats | Price |\n|---|---|---|\n\(rows)\n")
        assertInvariants(cs)
        XCTAssertGreaterThan(cs.count, 1)
        for c in cs {
            XCTAssertTrue(c.text.hasPrefix("| Plan | Seats | Price |\n|---|---|---|\n| Plan "), c.text)
            XCTAssertTrue(c.embedText.contains("Plan | Seats | Price\nPlan "))
        }
        XCTAssertEqual(cs.map { $0.text.split(separator: "\n").count - 2 }.reduce(0, +), 120)
    }

    func testListItemsAreNeverCut() {
        let items = (0..<40).map { "- Step \($0): \(words(12, "item\($0)x"))" }.joined(separator: "\n")
        let cs = chunks("# Steps\n\n\(items)\n")
        assertInvariants(cs)
        XCTAssertGreaterThan(cs.count, 1)
        for i in 0..<40 {
            XCTAssertEqual(cs.filter { $0.embedText.contains("Step \(i): ") }.count, 1)
            let holder = cs.first { $0.embedText.contains("Step \(i): ") }!
            XCTAssertTrue(holder.embedText.contains("item\(i)x9"), "item \(i) whole in one chunk")
        }
    }

    func testTinySectionsMergeWithNeighbours() {
        let cs = chunks(
            """
            # Reset 2FA

            ## Symptoms

            The code is rejected.

            ## Cause

            The phone clock is wrong.

            ## Resolution

            Sync the clock, then try again.
            """)
        assertInvariants(cs)
        XCTAssertEqual(cs.count, 1)
        XCTAssertEqual(cs[0].headingPath, ["Reset 2FA"])
        XCTAssertTrue(cs[0].text.contains("## Symptoms") && cs[0].text.contains("## Resolution"))
    }

    func testSmallBudgetAndOverlap() {
        let text = (0..<12).map { "Paragraph \($0) " + words(4, "p\($0)w") }.joined(separator: "\n\n")
        let plain = chunks("# T\n\n## S\n\n\(text)\n", max: 64)
        assertInvariants(plain, max: 64)
        let overlapped = chunks("# T\n\n## S\n\n\(text)\n", max: 64, overlap: 24)
        assertInvariants(overlapped, max: 64)
        XCTAssertGreaterThan(overlapped.count, plain.count, "repeated blocks need more chunks")
        let shared = zip(overlapped, overlapped.dropFirst()).filter { a, b in
            a.embedText.split(separator: "\n").last.map { b.embedText.contains($0) } ?? false
        }
        XCTAssertFalse(shared.isEmpty, "the next chunk starts with the previous chunk's last block")
    }

    func testLongSentenceWithoutBlocksIsSplitWithinBudget() {
        let cs = chunks("# T\n\n" + words(700) + "\n")
        assertInvariants(cs)
        XCTAssertGreaterThan(cs.count, 2)
    }
}

/// The model folder (`$KB_MODEL_DIR`, else `.models/all-MiniLM-L6-v2` above this file).
enum ModelFolder {
    /// The model folder; a test that needs it is skipped, saying why, when it cannot be found
    /// (`scripts/setup.sh` fetches it), instead of the whole run crashing.
    static let located = Result { try ModelLocator.directory(searchingUpFrom: #filePath) }
    static var url: URL {
        get throws {
            do { return try located.get() } catch { throw XCTSkip("no model: \(error) (scripts/setup.sh fetches it)") }
        }
    }
}
