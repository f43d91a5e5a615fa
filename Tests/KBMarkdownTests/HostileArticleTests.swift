import Foundation
import XCTest

@testable import KBMarkdown

/// Issue 16: articles written to break the reader. Each case is reported as file:line and
/// never stops the other files.
final class HostileArticleTests: XCTestCase {
    private var kb: TestKB!
    private var outside: TestKB!

    override func setUpWithError() throws { kb = try TestKB(); outside = try TestKB() }
    override func tearDown() { kb.remove(); outside.remove() }

    // MARK: item 6: deep nesting

    func testDeeplyNestedListDoesNotCrashAndOtherFilesSurvive() throws {
        try kb.write("deep.md", "# Deep\n\nIntro.\n\n" + String(repeating: "- ", count: 15_000) + "x\n")
        try kb.write("quotes.md", "# Quotes\n\n" + String(repeating: "> ", count: 15_000) + "y\n")
        try kb.write("good.md", "# Good\n\nStill here.\n")
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        XCTAssertEqual(scan.articles.map(\.path), ["deep.md", "good.md", "quotes.md"])
        let deep = try XCTUnwrap(scan.articles.first { $0.path == "deep.md" })
        XCTAssertTrue(deep.blocks.contains { $0.text.hasSuffix("x") }, "the deep text is kept as text")
        let warning = scan.diagnostics.first { $0.path == "deep.md" && $0.message.contains("nested deeper") }
        XCTAssertEqual(warning?.line, 5, "\(scan.diagnostics)")
        XCTAssertTrue(scan.diagnostics.contains { $0.path == "quotes.md" && $0.message.contains("nested deeper") })
        XCTAssertEqual(scan.articles.first { $0.path == "good.md" }?.blocks.last?.text, "Still here.")
    }

    /// Issue 20: 30,000 levels of `>` and of `*` in one article; conversion, plain text and
    /// the web app's HTML rendering all walk without recursion, and the text survives.
    func testThirtyThousandNestedQuotesAndListsParseAndRender() throws {
        let quotes = "# Q\n\n" + String(repeating: "> ", count: 30_000) + "deep quote\n"
        let stars = "# S\n\n" + String(repeating: "* ", count: 30_000) + "deep item\n"
        for (name, text, tail) in [("q.md", quotes, "deep quote"), ("s.md", stars, "deep item")] {
            let r = ArticleParser().parse(data: Data(text.utf8), path: name, root: kb.root)
            let article = try XCTUnwrap(r.article, "\(name): \(r.diagnostics)")
            XCTAssertTrue(article.blocks.contains { $0.text.hasSuffix(tail) }, name)
            XCTAssertTrue(
                r.diagnostics.contains { $0.message.contains("nested deeper") && $0.line == 3 }, "\(r.diagnostics)")
            XCTAssertTrue(MarkdownHTML.render(text).contains(tail), name)
        }
    }

    func testOrdinaryNestingKeepsItsStructure() throws {
        let r = ArticleParser().parse(data: Data("# N\n\n- a\n  - b\n    - c\n".utf8), path: "n.md", root: kb.root)
        XCTAssertEqual(r.article?.blocks.map(\.kind).last, .listItem(depth: 3, ordered: false, task: nil))
        XCTAssertTrue(r.diagnostics.isEmpty, "\(r.diagnostics)")
    }

    // MARK: item 1: nothing read outside the knowledge base

    func testIncludesThatLeaveTheKnowledgeBaseAreRefused() throws {
        try outside.write("secret.md", "TOP-SECRET-LINE\n")
        let escape = String(repeating: "../", count: 12) + outside.root.path.dropFirst() + "/secret.md"
        try kb.write("includes/ok.md", "Shared text.\n")
        try kb.write(
            "area/x.md",
            """
            # X

            [!INCLUDE [a](\(escape))]

            [!INCLUDE [b](../includes/../../x.md)]

            [!INCLUDE [c](./../../secret.md)]

            [!INCLUDE [d](\(outside.root.path)/secret.md)]

            [!INCLUDE [ok](../includes/ok.md)]
            """)
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        let a = try XCTUnwrap(scan.articles.first)
        XCTAssertFalse(a.blocks.contains { $0.text.contains("TOP-SECRET") }, "\(a.blocks)")
        XCTAssertEqual(a.blocks.last?.text, "Shared text.")
        let refused = scan.diagnostics.filter { $0.message.contains("outside the knowledge base") }
        XCTAssertEqual(refused.map(\.line), [3, 5, 7, 9], "\(scan.diagnostics)")
        XCTAssertTrue(refused.allSatisfy { $0.path == "area/x.md" && $0.severity == .warning })
    }

    func testSymlinksOutOfTheKnowledgeBaseAreNotRead() throws {
        let secret = try outside.write("secret.md", "# Secret\n\nTOP-SECRET-LINE\n")
        try kb.write("includes/.keep", "")
        try FileManager.default.createSymbolicLink(
            at: kb.root.appendingPathComponent("linked.md"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(
            at: kb.root.appendingPathComponent("includes/snip.md"), withDestinationURL: secret)
        try kb.write("inner.md", "# Inner\n\nInside.\n")
        try FileManager.default.createSymbolicLink(
            at: kb.root.appendingPathComponent("alias.md"),
            withDestinationURL: kb.root.appendingPathComponent("inner.md"))
        try kb.write("uses.md", "# Uses\n\n[!INCLUDE [s](includes/snip.md)]\n")
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        XCTAssertFalse(scan.articles.flatMap(\.blocks).contains { $0.text.contains("TOP-SECRET") })
        XCTAssertEqual(scan.skipped, ["linked.md"])
        XCTAssertTrue(
            scan.diagnostics.contains { $0.path == "linked.md" && $0.message.contains("outside the knowledge base") })
        XCTAssertTrue(
            scan.diagnostics.contains { $0.path == "uses.md" && $0.line == 3 && $0.message.contains("outside") },
            "\(scan.diagnostics)")
        XCTAssertEqual(scan.articles.first { $0.path == "alias.md" }?.title, "Inner", "a link inside the KB is fine")
    }

    // MARK: item 8: include scanning and expansion bounded

    func testIncludeScanningIsCappedPerBlock() {
        let many = String(repeating: "[!INCLUDE [x](a.md)] ", count: 1_000)
        XCTAssertEqual(DocFX.includes(inSource: many[...]).count, DocFX.maxIncludesPerBlock)
        let unclosed = String(repeating: "[!INCLUDE [", count: 20_000) + "x](a.md)]"
        XCTAssertEqual(DocFX.includes(inSource: unclosed[...]).map(\.path), ["a.md"])
        XCTAssertEqual(DocFX.includes(inSource: "[!include [n]( p.md )]"[...]).first?.path, "p.md")
    }

    func testNestedIncludeFanOutIsCapped() throws {
        // Seven levels, each including the next ten times: 10^7 expansions uncapped.
        for level in 0..<7 {
            let next =
                level == 6
                ? "Leaf text \(level)." : String(repeating: "[!INCLUDE [n](l\(level + 1).md)]\n\n", count: 10)
            try kb.write("includes/l\(level).md", next)
        }
        try kb.write("fan.md", "# Fan\n\n[!INCLUDE [n](includes/l0.md)]\n")
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        let a = try XCTUnwrap(scan.articles.first)
        XCTAssertLessThanOrEqual(a.blocks.count, IncludeBudget.maxIncludes + 1)
        XCTAssertEqual(
            scan.diagnostics.filter { $0.message.contains("includes or") }.count, 1, "\(scan.diagnostics.prefix(3))")
    }

    func testIncludeDepthIsCapped() throws {
        for level in 0..<20 {
            try kb.write("includes/d\(level).md", "Level \(level).\n\n[!INCLUDE [n](d\(level + 1).md)]\n")
        }
        try kb.write("deep.md", "# Deep\n\n[!INCLUDE [n](includes/d0.md)]\n")
        let scan = try KnowledgeBaseReader().read(root: kb.root)
        XCTAssertTrue(
            scan.diagnostics.contains { $0.message.contains("nested more than \(IncludeBudget.maxDepth) deep") },
            "\(scan.diagnostics)")
        XCTAssertEqual(scan.articles.first?.blocks.count, 1 + IncludeBudget.maxDepth)
    }
}

/// Issue 16 item 7: YAML that expands without bound is refused before Yams builds it.
final class HostileFrontMatterTests: XCTestCase {
    private func parse(_ text: String) -> ParseResult {
        ArticleParser().parse(data: Data(text.utf8), path: "bomb.md", root: FileManager.default.temporaryDirectory)
    }

    func testAliasBombIsRefusedWithItsLine() {
        var lines = [
            "---", "title: Bomb", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]",
        ]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
            previous = name
        }
        let r = parse((lines + ["---", "# Heading", "", "Body."]).joined(separator: "\n"))
        XCTAssertEqual(r.article?.title, "Heading", "read without its front matter")
        XCTAssertEqual(
            r.diagnostics.map(\.description),
            [
                "bomb.md:3: warning: front matter refused (YAML anchors (&name) are not allowed here); article read without it"
            ])
    }

    func testAliasesDeepNestingAndTooManyValuesAreRefused() {
        XCTAssertEqual(SafeYAML.check("a: 1\nb: *a\n")?.line, 2)
        XCTAssertTrue(
            SafeYAML.check(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))?.message.contains(
                "nested deeper") ?? false)
        XCTAssertTrue(
            SafeYAML.check("[" + Array(repeating: "x", count: SafeYAML.maxNodes + 1).joined(separator: ",") + "]")?
                .message.contains("more than") ?? false)
        XCTAssertNil(
            SafeYAML.check("title: Q&A *not an alias* here\ntags: [a, b]\n"), "ordinary text with & and * is fine")
    }
}

/// Issue 16 item 4: the shared escaping leaves nothing live, as cmark-gfm itself reads it.
final class MarkdownEscapeTests: XCTestCase {
    static let payloads = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)", "<javascript:alert(1)>", "\\[x](javascript:alert(1))",
        "a\n<div onclick=x>\n\n[r]: javascript:alert(1)\n[r]", "`code` and | pipe",
    ]

    func testEscapedPayloadsAreInertText() {
        XCTAssertEqual(
            Self.payloads.prefix(5).filter { MarkdownAudit.activeContent($0).isEmpty }, [],
            "the audit sees each raw payload")
        for p in Self.payloads {
            for escaped in [
                MarkdownEscape.inline(p), "| \(MarkdownEscape.cell(p)) |\n|---|\n",
                "- \"\(MarkdownEscape.inline(p))\"\n",
            ] {
                XCTAssertEqual(MarkdownAudit.activeContent(escaped), [], escaped)
            }
        }
        XCTAssertEqual(
            MarkdownAudit.activeContent("[file](\(MarkdownEscape.destination("javascript:alert(1).md")))"), [])
        XCTAssertEqual(MarkdownEscape.destination("../drafts/a b.md"), "<../drafts/a%20b.md>")
        XCTAssertEqual(
            MarkdownEscape.inline("Error E-1042 on v2.14.3"), "Error E-1042 on v2.14.3", "ordinary text unchanged")
    }
}
