import Foundation
import KBPipeline
import XCTest

/// The built `kb`: its help screens, the one exit-code table, and every exit code.
final class HelpAndExitCodeTests: XCTestCase {
    private var project: FixtureProject!

    override func setUpWithError() throws { project = try FixtureProject() }
    override func tearDown() { project.remove() }

    static let commands = [
        "parse", "chunk", "embed", "index", "search", "tickets", "redact", "drafts", "review", "gaps",
        "report", "run", "serve", "export", "mcp", "bench", "eval",
    ]

    func testHelpListsEveryCommandAndTheExitCodeTableAndTheREADMEMatches() throws {
        let help = try CLI.run(["--help"], in: project.root)
        XCTAssertEqual(help.status, 0)
        let readme = try String(contentsOf: CLI.repository.appendingPathComponent("README.md"), encoding: .utf8)
        for c in Self.commands {
            XCTAssertTrue(help.out.contains("\n  \(c) "), "kb --help lists \(c)")
            XCTAssertNotNil(
                readme.range(of: "(?m)^kb \(c)\\b", options: .regularExpression),
                "the README's command list has kb \(c)")
        }
        for code in RunExitCode.allCases {
            XCTAssertTrue(
                help.out.contains("\(code.rawValue)") && help.out.contains(code.meaning),
                "kb --help: exit \(code.rawValue)")
            XCTAssertTrue(
                readme.contains("| \(code.rawValue) | \(code.meaning) |"), "README exit-code table: \(code.rawValue)")
        }
        // Every subcommand has help of its own.
        for c in Self.commands + ["review publish", "review diff", "review accept", "review discard", "tickets import"]
        {
            let r = try CLI.run(c.split(separator: " ").map(String.init) + ["--help"], in: project.root)
            XCTAssertEqual(r.status, 0, c)
            XCTAssertTrue(r.out.contains("USAGE: kb \(c)"), "\(c): \(r.out.prefix(200))")
        }
    }

    /// `kb serve` on any address but loopback needs a users file: it refuses to start (64).
    func testServeRefusesNonLoopbackWithoutAuth() throws {
        for host in ["0.0.0.0", "192.0.2.10"] {
            let r = try CLI.run(["serve", "--host", host, "--port", "18089"], in: project.root)
            XCTAssertEqual(r.status, 64, host)
            XCTAssertTrue(r.err.contains("refusing to serve \(host) without --auth"), r.err)
        }
    }

    func testEveryExitCode() throws {
        let root = project.root
        // 64: usage errors, impossible options.
        XCTAssertEqual(try CLI.run(["search", "--no-such-option", "x"], in: root).status, 64)
        XCTAssertEqual(try CLI.run(["review", "list", "--status", "bogus"], in: root).status, 64)
        let dates = try CLI.run(["report", "--since", "2026-11-01", "--until", "2026-10-01"], in: root)
        XCTAssertEqual(dates.status, 64)
        XCTAssertTrue(dates.err.contains("--since 2026-11-01 is not before --until 2026-10-01"), dates.err)
        XCTAssertEqual(try CLI.run(["report", "--window", "99999999999999d"], in: root).status, 64)
        // 1: what the command names does not exist — its own message, no usage screen.
        let missing = try CLI.run(["review", "show", "no-such-draft"], in: root)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("no draft 'no-such-draft'"), missing.err)
        XCTAssertFalse(missing.err.contains("USAGE"), missing.err)
        XCTAssertEqual(
            try CLI.run(["review", "publish", "no-such-draft", "--audience", "external"], in: root).status, 1)
        XCTAssertEqual(try CLI.run(["review", "diff", "no-such-draft"], in: root).status, 1)
        // 65: an invalid pipeline or project file.
        try project.write("pipelines/bad.yml", "version: 1\nstages: [parse, nonsense]\n")
        let bad = try CLI.run(["run", "pipelines/bad.yml"], in: root)
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(
            bad.err.contains("bad.yml:2: unknown stage 'nonsense'")
                || bad.out.contains("bad.yml:2: unknown stage 'nonsense'"), bad.err + bad.out)
        let other = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "articles: [not, a, path]\n".write(
            to: other.appendingPathComponent("kb.yml"), atomically: true, encoding: .utf8)
        let badProject = try CLI.run(["review", "list"], in: other)
        XCTAssertEqual(badProject.status, 65)
        XCTAssertTrue(badProject.err.contains("kb.yml:1: 'articles' must be a non-empty path"), badProject.err)
        // 75: another run holds the lock.
        let lock = try RunLock(path: project.url("kb/index.sqlite.lock").path)
        let locked = try CLI.run(["run", "pipelines/nightly.yml"], in: root)
        lock.release()
        XCTAssertEqual(locked.status, 75, locked.err + locked.out)
        // 3: done, with rejected rows named by file and row (and --json says the same).
        try project.write(
            "pipelines/messy.jsonl",
            """
            {"source":"demo","id":"M-1","subject":"ok","status":"open","messages":[{"role":"customer","text":"hi"}]}
            {"source":"demo","id":"M-2","subject":"broken
            {"source":"demo","id":"M-3","subject":"fine","status":"open","priority":"p1","messages":[{"role":"customer","text":"yo"}]}

            """)
        let messy = try CLI.run(["tickets", "import", "--json", "pipelines/messy.jsonl"], in: root)
        XCTAssertEqual(messy.status, 3, messy.err)
        XCTAssertTrue(messy.err.contains("messy.jsonl:2:"), messy.err)
        let summary = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(messy.out.utf8)) as? [String: Any], messy.out)
        XCTAssertEqual(summary["schema_version"] as? Int, 1)
        let file = try XCTUnwrap((summary["files"] as? [[String: Any]])?.first)
        XCTAssertEqual(file["new"] as? Int, 2)
        XCTAssertEqual(file["rejected"] as? Int, 1)
        XCTAssertTrue(
            (file["problems"] as? [[String: Any]])?.contains {
                $0["row"] as? Int == 2 && $0["skipped"] as? Bool == true
            } ?? false, messy.out)
        // 0: done.
        XCTAssertEqual(try CLI.run(["review", "list"], in: root).status, 0)
    }
}
