import Foundation
import XCTest

@testable import KBMarkdown

final class ArticleParserTests: XCTestCase {
    private var kb: TestKB!

    override func setUpWithError() throws { kb = try TestKB() }
    override func tearDown() { kb.remove() }

    private func parse(_ path: String, _ text: String) throws -> ParseResult {
        try kb.write(path, text)
        return ArticleParser().parse(path: path, root: kb.root)
    }

    func testFrontMatterFields() throws {
        let r = try parse(
            "billing/refunds.md",
            """
            ---
            title: Refund a payment
            description: How to refund a card payment.
            category: Payments
            tags: [refund, card]
            external: false
            updated: 10/24/2026
            ms.reviwer: misspelt key is ignored
            ---
            # Refund a payment

            Body text.
            """)
        let a = try XCTUnwrap(r.article)
        XCTAssertEqual(a.title, "Refund a payment")
        XCTAssertEqual(a.description, "How to refund a card payment.")
        XCTAssertEqual(a.category, "Payments")
        XCTAssertEqual(a.tags, ["refund", "card"])
        XCTAssertFalse(a.external)
        XCTAssertEqual(a.slug, "refunds")
        XCTAssertEqual(a.updated, DateParsing.parse("2026-10-24"))
        XCTAssertTrue(r.diagnostics.isEmpty, "\(r.diagnostics)")
        XCTAssertEqual(a.blocks.first?.line, 10, "line numbers are file lines, front matter included")
    }

    func testTitleFallsBackToH1ThenFileName() throws {
        XCTAssertEqual(try parse("a/one.md", "intro\n\n# Heading One\n\ntext").article?.title, "Heading One")
        XCTAssertEqual(try parse("a/two-words.md", "just text").article?.title, "two-words")
    }

    func testDocFXCategoryAndTagsFromMsCustom() throws {
        let a = try XCTUnwrap(
            parse(
                "Exchange/x/y.md",
                """
                ---
                title: T
                ms.custom:
                  - sap:Mail Flow\\Email delivery
                  - CSSTroubleshoot
                ms.date: 3/07/2024
                ---
                text
                """
            ).article)
        XCTAssertEqual(a.category, "Mail Flow")
        XCTAssertEqual(a.tags, ["CSSTroubleshoot"])
        XCTAssertTrue(a.external, "external is the default")
        XCTAssertEqual(a.updated, DateParsing.parse("2024-03-07"))
        XCTAssertEqual(try parse("Teams/z.md", "text").article?.category, "Teams", "top folder")
    }

    func testGFMBlocksAndSourceLines() throws {
        let a = try XCTUnwrap(
            parse(
                "g.md",
                """
                # Title

                | Plan | Price |
                |------|-------|
                | Pro  | $49   |

                Old ~~price~~ and https://example.com/help autolink.

                - [x] done task
                - [ ] open task
                  1. nested step

                ```powershell
                # a comment, not a heading
                Get-Mailbox
                ```
                """
            ).article)
        let kinds = a.blocks.map(\.kind)
        XCTAssertEqual(
            kinds,
            [
                .heading(level: 1), .table, .paragraph,
                .listItem(depth: 1, ordered: false, task: true),
                .listItem(depth: 1, ordered: false, task: false),
                .listItem(depth: 2, ordered: true, task: nil),
                .code(language: "powershell"),
            ])
        XCTAssertEqual(a.blocks[1].text, "Plan | Price\nPro | $49")
        XCTAssertTrue(a.blocks[1].markdown.hasPrefix("| Plan | Price |\n|------|"))
        XCTAssertEqual(a.blocks[2].text, "Old price and https://example.com/help autolink.")
        XCTAssertEqual(a.blocks[2].line, 7)
        XCTAssertEqual(a.blocks[4].markdown, "- [ ] open task", "an item's markdown stops before its nested list")
        XCTAssertEqual(a.blocks[6].text, "# a comment, not a heading\nGet-Mailbox")
        XCTAssertEqual(a.blocks[6].line, 13)
        XCTAssertEqual(a.blocks[6].endLine, 16)
        XCTAssertEqual(a.blocks.filter { if case .heading = $0.kind { true } else { false } }.count, 1)
    }

    func testAlertsDivsImagesAndTabs() throws {
        let a = try XCTUnwrap(
            parse(
                "d.md",
                """
                # T

                > [!WARNING]
                > Back up the **registry** first.

                > [!div class="nextstepaction"]
                > [Next step](next.md)

                > A plain quote.

                :::image type="content" source="media/a.png" alt-text="Screenshot of the Send button.":::

                ## Install

                # [Windows](#tab/windows)

                Run setup.exe.
                """
            ).article)
        XCTAssertEqual(a.blocks[1].kind, .callout(kind: "WARNING"))
        XCTAssertEqual(a.blocks[1].text, "Back up the registry first.")
        XCTAssertEqual(a.blocks[2].kind, .quote)
        XCTAssertEqual(a.blocks[2].text, "Next step")
        XCTAssertEqual(a.blocks[3].text, "A plain quote.")
        XCTAssertEqual(a.blocks[4].kind, .image)
        XCTAssertEqual(a.blocks[4].text, "Screenshot of the Send button.")
        XCTAssertEqual(a.blocks[6].kind, .heading(level: 3), "a tab becomes a sub-heading of its section")
        XCTAssertEqual(a.blocks[6].text, "Windows")
    }

    func testIncludesInlinedWithCycleGuardAndMissingWarning() throws {
        try kb.write("includes/note.md", "Shared **disclaimer** text.\n\n[!INCLUDE [loop](loop.md)]\n")
        try kb.write("includes/loop.md", "[!INCLUDE [back](note.md)]\n")
        let r = try parse(
            "area/x.md",
            """
            # X

            [!INCLUDE [note](../includes/note.md)]

            > [!NOTE]
            > [!INCLUDE [note](../includes/note.md)]

            [!INCLUDE [gone](../includes/missing.md)]
            """)
        let a = try XCTUnwrap(r.article)
        XCTAssertEqual(a.blocks[1].text, "Shared disclaimer text.")
        XCTAssertEqual(a.blocks[1].line, 3)
        XCTAssertEqual(a.blocks.last?.kind, .callout(kind: "NOTE"))
        XCTAssertEqual(a.blocks.last?.text, "Shared disclaimer text.")
        XCTAssertTrue(
            r.diagnostics.contains {
                $0.path == "area/x.md" && $0.line == 8 && $0.message.contains("include not found")
            },
            "\(r.diagnostics)")
        XCTAssertTrue(r.diagnostics.contains { $0.message.contains("include cycle") }, "\(r.diagnostics)")
    }

    func testBadInputsAreReportedNotFatal() throws {
        try kb.write("empty.md", "")
        try kb.write("binary.md", Data([0x23, 0x20, 0x41, 0x0A, 0x00, 0x01]))
        try kb.write("latin1.md", Data("# Caf".utf8) + Data([0xE9, 0x0A]))
        try kb.write("yaml.md", "---\ntitle: [unclosed\n---\n# Broken YAML\n\nBody.\n")
        try kb.write("fence.md", "# F\n\ntext\n\n```bash\necho hi\n")
        try kb.write("good.md", "# Good\n\ntext\n")
        try FileManager.default.createDirectory(
            at: kb.root.appendingPathComponent("folder.md"), withIntermediateDirectories: true)
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        XCTAssertEqual(scan.filesSeen, 6, "a folder named .md is not a file")
        XCTAssertEqual(Set(scan.skipped), ["empty.md", "binary.md", "latin1.md"])
        XCTAssertEqual(scan.articles.count + scan.skipped.count, scan.filesSeen, "no article lost")
        let byPath = Dictionary(grouping: scan.diagnostics, by: \.path)
        XCTAssertEqual(byPath["binary.md"]?.first?.line, 2)
        XCTAssertEqual(byPath["latin1.md"]?.first?.message.contains("UTF-8"), true)
        XCTAssertEqual(byPath["yaml.md"]?.first?.severity, .warning)
        XCTAssertEqual(
            scan.articles.first { $0.path == "yaml.md" }?.title, "Broken YAML", "read without its front matter")
        XCTAssertEqual(byPath["fence.md"]?.first?.line, 5)
        XCTAssertTrue(byPath["fence.md"]?.first?.message.contains("never closed") ?? false)
        XCTAssertEqual(scan.articles.first { $0.path == "fence.md" }?.blocks.last?.text, "echo hi")
    }

    func testUnreadableFileIsAnError() throws {
        let r = ArticleParser().parse(path: "nope.md", root: kb.root)
        XCTAssertNil(r.article)
        XCTAssertEqual(r.diagnostics.first?.severity, .error)
        XCTAssertTrue(r.diagnostics.first?.description.hasPrefix("nope.md: error: cannot read file") ?? false)
    }

    func testListingSkipsIncludesAndDrafts() throws {
        try kb.write("a.md", "a")
        try kb.write("includes/i.md", "i")
        try kb.write("drafts/d.md", "d")
        try kb.write("sub/b.MD", "b")
        try kb.write("notes.txt", "n")
        XCTAssertEqual(try KnowledgeBaseFiles.list(root: kb.root), ["a.md", "sub/b.MD"])
        XCTAssertThrowsError(try KnowledgeBaseFiles.list(root: kb.root.appendingPathComponent("missing")))
    }
}
