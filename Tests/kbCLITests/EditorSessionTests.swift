import Foundation
import XCTest

/// The editor's loop end to end with the built `kb`, the real model and real SQLite files:
/// a nightly run drafts the recurring problem; the editor starts, approves and publishes it
/// for customers; the next run indexes it; search finds it; the review queue and metrics
/// count it; it is never proposed again; the customer export holds no ticket data. Also:
/// `kb` finds the project from any folder (like git).
final class EditorSessionTests: XCTestCase {
    private var project: FixtureProject!

    override func setUpWithError() throws { project = try FixtureProject() }
    override func tearDown() { project.remove() }

    private func kb(
        _ arguments: String..., in dir: URL? = nil, expect status: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CLI.Result {
        let r = try CLI.run(arguments, in: dir ?? project.root)
        XCTAssertEqual(
            r.status, status, "kb \(arguments.joined(separator: " ")):\n\(r.err)\n\(r.out)", file: file, line: line)
        return r
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testPublishCloseTheLoop() throws {
        let run1 = try kb("run", "pipelines/nightly.yml")
        if ProcessInfo.processInfo.environment["KB_CLI_DEBUG"] != nil { print(run1.err, run1.out) }
        let listed = try json(try kb("review", "list", "--json").out)
        XCTAssertEqual(listed["schema_version"] as? Int, 1)
        let drafts = try XCTUnwrap(listed["drafts"] as? [[String: Any]])
        let csv = try XCTUnwrap(
            drafts.first { ($0["source_tickets"] as? [String])?.contains("demo:T-101") ?? false },
            "the recurring CSV problem gets a draft: \(drafts)")
        let id = try XCTUnwrap(csv["id"] as? String)

        try kb("review", "start", id, "--by", "ed")
        try kb("review", "approve", id, "--by", "lee")
        let published = try json(try kb("review", "publish", id, "--audience", "external", "--by", "lee", "--json").out)
        let articlePath = try XCTUnwrap(published["path"] as? String)
        XCTAssertTrue(articlePath.hasPrefix(project.url("kb/articles").path), articlePath)

        // The next run indexes it (parse saw a new file) and leaves the draft published.
        let rerun = try kb("run", "pipelines/nightly.yml")
        XCTAssertTrue((rerun.err + rerun.out).contains("index"), rerun.err)
        let hits = try kb("search", "--json", "the CSV import swapped day and month in my invoice dates")
        let relative = String(articlePath.dropFirst(project.url("kb/articles").path.count + 1))
        let top = try XCTUnwrap((try json(hits.out))["hits"] as? [[String: Any]]).first
        XCTAssertEqual(top?["article_path"] as? String, relative, hits.out)

        // Counted, and not proposed again.
        let after = try json(try kb("review", "list", "--json").out)
        let again = try XCTUnwrap(after["drafts"] as? [[String: Any]])
        XCTAssertEqual(
            again.filter { ($0["source_tickets"] as? [String])?.contains("demo:T-101") ?? false }.map {
                $0["id"] as? String
            }, [id])
        XCTAssertEqual(again.first { $0["id"] as? String == id }?["status"] as? String, "published")
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.url("kb/drafts/\(id).proposed.md").path))
        let queue = try String(contentsOf: project.url("reports/review-queue.md"), encoding: .utf8)
        XCTAssertTrue(queue.contains("| published | 1 |"), queue)
        let metrics = try String(contentsOf: project.url("reports/metrics.md"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("| published | 1 |"), metrics)

        // The customer export: the published article, rendered includes, no ticket data.
        let bundle = project.url("bundle")
        try kb("export", "--out", bundle.path)
        let published_ = bundle.appendingPathComponent("articles").appendingPathComponent(relative)
        XCTAssertTrue(FileManager.default.fileExists(atPath: published_.path), "the published article is in the bundle")
        var text = ""
        for case let f as URL in FileManager.default.enumerator(at: bundle, includingPropertiesForKeys: nil) ?? .init()
        where f.pathExtension != "f32" {
            text += (try? String(contentsOf: f, encoding: .utf8)) ?? ""
        }
        XCTAssertTrue(text.contains("Write to the support team from the Help menu."), "includes rendered")
        // The title the editor approved is written from the group's own words and may be one
        // ticket's (redacted) subject; nothing else of any ticket may be in the bundle.
        let title = try XCTUnwrap(published["title"] as? String ?? csv["title"] as? String)
        text = text.replacingOccurrences(of: title, with: "")
        XCTAssertFalse(text.contains("includes/contact.md"))
        XCTAssertFalse(text.contains("Refund approval limits"), "no internal article")
        for (ref, subject, message) in FixtureProject.recurring + FixtureProject.others {
            XCTAssertFalse(text.contains(ref), "ticket id \(ref) in the export")
            XCTAssertFalse(text.contains(subject), "ticket subject \(subject) in the export")
            XCTAssertFalse(text.contains(message), "customer text in the export")
        }
    }

    func testTheProjectIsFoundFromAnyFolder() throws {
        try kb("index")
        // From a folder inside the project, with no path given.
        let inside = try kb("search", "--json", "lost my phone two-factor", in: project.url("kb/articles/account"))
        XCTAssertTrue(inside.out.contains("account/reset-2fa.md"), inside.out)
        // From outside it, by --project or KB_PROJECT.
        let outside = FileManager.default.temporaryDirectory
        let flag = try kb("search", "--project", project.root.path, "--json", "lost my phone two-factor", in: outside)
        XCTAssertTrue(flag.out.contains("account/reset-2fa.md"), flag.out)
        let env = try CLI.run(
            ["search", "lost my phone two-factor"], in: outside, environment: ["KB_PROJECT": project.root.path])
        XCTAssertEqual(env.status, 0, env.err)
        XCTAssertTrue(env.out.contains("account/reset-2fa.md"), env.out)
        // `rm index; kb run` rebuilds it rather than skipping every stage.
        try kb("run", "pipelines/nightly.yml")
        try FileManager.default.removeItem(at: project.url("kb/index.sqlite"))
        try kb("run", "pipelines/nightly.yml")
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.url("kb/index.sqlite").path))
        try kb("search", "card declined", in: outside.appendingPathComponent(".."), expect: 1)  // no project there
        try kb("search", "--project", project.root.path, "card declined", in: outside)
    }
}
