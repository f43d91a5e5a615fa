import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KBDrafts
import KBServe
import XCTest

/// The app's routes against a real project (pipeline-built index, tickets and drafts).
final class RouteTests: XCTestCase {
    var root: URL!

    override func setUp() async throws { root = try await ServeFixture.copy() }
    override func tearDown() async throws { try? FileManager.default.removeItem(at: root) }

    var store: DraftStore { DraftStore(folder: root.appendingPathComponent("kb/drafts")) }

    /// The mined draft (the recurring CSV problem).
    func minedID() throws -> String {
        let id = try store.ids().first { $0 != "hostile-draft" }
        return try XCTUnwrap(id, "the pipeline mined no draft")
    }

    func testQueueShowsDraftsByStateWithProposalMarkAndFilters() async throws {
        let mined = try minedID()
        let root = self.root!
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let page = try await b.get(client, "/queue")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("href=\"/drafts/\(mined)\""), page.text)
            XCTAssertTrue(page.text.contains("proposal waiting"))
            XCTAssertTrue(page.text.contains("needs a screenshot"))
            let inReview = try await b.get(client, "/queue?status=in_review")
            XCTAssertFalse(inReview.text.contains("href=\"/drafts/\(mined)\""))
            let api = try await b.get(client, "/api/drafts?status=draft")
            XCTAssertEqual(api.object["schema_version"] as? Int, 1)
            XCTAssertEqual(api.object["kind"] as? String, "review_list")
            let drafts = try XCTUnwrap(api.object["drafts"] as? [[String: Any]])
            XCTAssertEqual(Set(drafts.compactMap { $0["id"] as? String }), [mined, "hostile-draft"])
            XCTAssertNotNil(drafts.first?["ticket_count"], "snake_case keys")
            XCTAssertFalse((drafts.first?["path"] as? String ?? "/").hasPrefix("/"), "paths relative to the project")
        }
    }

    func testEditSavesFromItsVersionAndAStaleSaveIs409WithTheOtherVersion() async throws {
        let id = try minedID()
        let (root, store) = (self.root!, self.store)
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let page = try await b.get(client, "/drafts/\(id)")
            XCTAssertEqual(page.status, .ok)
            let etag = try XCTUnwrap(page.headers[.eTag])
            let version = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            // First editor saves.
            let saved = try await b.form(
                client, "/drafts/\(id)/save",
                [
                    "version": version, "title": "Fix swapped CSV dates",
                    "category": "Invoices", "body": "# Fix swapped CSV dates\r\n\r\nMINE ONE\r\n",
                ])
            XCTAssertEqual(saved.status, .seeOther)
            XCTAssertTrue(
                try String(contentsOf: root.appendingPathComponent("kb/drafts/\(id).md"), encoding: .utf8).contains(
                    "MINE ONE"))
            // Second editor, who opened the same version, is refused and shown the other text.
            let stale = try await b.form(
                client, "/drafts/\(id)/save",
                [
                    "version": version, "title": "Other", "category": "Invoices",
                    "body": "SECOND EDITOR TEXT",
                ])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.text.contains("MINE ONE"), "the other version is shown")
            XCTAssertTrue(stale.text.contains("SECOND EDITOR TEXT"), "the editor's own text is kept in the form")
            let file = try String(contentsOf: root.appendingPathComponent("kb/drafts/\(id).md"), encoding: .utf8)
            XCTAssertFalse(file.contains("SECOND EDITOR TEXT"), "never merged")
            XCTAssertFalse(file.contains("\r"), "saved with LF")
            // The API: If-Match required, stale refused with the current version, fresh accepted.
            let missing = try await b.json(client, .put, "/api/drafts/\(id)", ["body": "x"])
            XCTAssertEqual(missing.status, .preconditionRequired)
            let staleAPI = try await b.json(client, .put, "/api/drafts/\(id)", ["body": "API TEXT"], ifMatch: etag)
            XCTAssertEqual(staleAPI.status, .conflict)
            XCTAssertEqual(staleAPI.object["kind"] as? String, "conflict")
            XCTAssertTrue(
                ((staleAPI.object["current"] as? [String: Any])?["body"] as? String ?? "").contains("MINE ONE"))
            let current = try await b.get(client, "/api/drafts/\(id)")
            let fresh = try await b.json(
                client, .put, "/api/drafts/\(id)", ["body": "API TEXT\n"], ifMatch: current.headers[.eTag])
            XCTAssertEqual(fresh.status, .ok)
            XCTAssertNotEqual(fresh.headers[.eTag], current.headers[.eTag])
            // A move from a stale version is refused too.
            let move = try await b.form(client, "/drafts/\(id)/start", ["version": version])
            XCTAssertEqual(move.status, .conflict)
            XCTAssertEqual(try store.load(id).status ?? .draft, .draft)
        }
    }

    func testPostsWithoutTheCSRFTokenAreRefused() async throws {
        let id = try minedID()
        let (root, store) = (self.root!, self.store)
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let noToken = try await b.form(client, "/drafts/\(id)/start", [:], csrf: false)
            XCTAssertEqual(noToken.status, .forbidden)
            var wrong = b
            wrong.csrf = String(repeating: "ab", count: 32)
            let wrongToken = try await wrong.form(client, "/drafts/\(id)/start", [:])
            XCTAssertEqual(wrongToken.status, .forbidden)
            let api = try await b.json(client, .post, "/api/drafts/\(id)/start", [:], csrf: false)
            XCTAssertEqual(api.status, .forbidden)
            // No cookie at all (another site's form): refused, a session is not enough.
            var stranger = Browser()
            stranger.csrf = b.csrf
            let foreign = try await stranger.form(client, "/drafts/\(id)/start", [:])
            XCTAssertEqual(foreign.status, .forbidden)
            XCTAssertEqual(try store.load(id).status ?? .draft, .draft, "nothing moved")
            let ok = try await b.form(client, "/drafts/\(id)/start", [:])
            XCTAssertEqual(ok.status, .seeOther)
            XCTAssertEqual(try store.load(id).status, .inReview)
        }
    }

    func testCookieIsHttpOnlyAndSameSiteStrict() async throws {
        let root = self.root!
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            let r = try await client.execute(uri: "/queue", method: .get)
            let cookie = try XCTUnwrap(r.headers[values: .setCookie].first { $0.hasPrefix("kb_session=") })
            XCTAssertTrue(cookie.contains("HttpOnly"))
            XCTAssertTrue(cookie.contains("SameSite=Strict"))
            XCTAssertNotNil(r.headers[.contentSecurityPolicy])
        }
    }

    func testXSSInTicketTextAndMarkdownIsEscaped() async throws {
        let root = self.root!
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let draft = try await b.get(client, "/drafts/hostile-draft")
            XCTAssertEqual(draft.status, .ok)
            XCTAssertFalse(
                draft.text.contains("<script>"), "no script element from ticket text or the draft's Markdown")
            XCTAssertTrue(
                draft.text.contains("&lt;script&gt;alert(&#39;ticket&#39;)&lt;/script&gt;"),
                "ticket text shown, escaped")
            XCTAssertTrue(draft.text.contains("proposal"), "the proposal is shown")
            XCTAssertFalse(draft.text.contains("nil"), "absent fields are left out, not printed")
            let article = try await b.get(client, "/articles/account/markdown-xss.md")
            XCTAssertEqual(article.status, .ok)
            for bad in ["<script", "onerror", "javascript:", "<iframe"] {
                XCTAssertFalse(article.text.lowercased().contains(bad), "\(bad) in the article page")
            }
            XCTAssertTrue(article.text.contains("A display name may hold letters and digits."))
            let search = try await b.get(client, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            XCTAssertFalse(search.text.contains("<script>alert(1)"))
        }
    }

    func testPathsNeverLeaveTheProject() async throws {
        let root = self.root!
        // A symlink in the drafts folder that points outside the project.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kb-outside-\(UUID().uuidString).md")
        try "---\ntitle: Secret\n---\nsecret outside\n".write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("kb/drafts/linked.md"), withDestinationURL: outside)
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            for uri in [
                "/drafts/..%2F..%2Fkb", "/drafts/linked", "/api/drafts/linked", "/api/drafts/..%2Fkb",
                "/articles/../../kb.yml", "/articles/..%2F..%2Fkb.yml", "/articles/%2Fetc%2Fpasswd",
                "/api/articles/..%2F..%2Fkb.yml",
            ] {
                let r = try await b.get(client, uri)
                XCTAssertTrue([.badRequest, .notFound].contains(r.status), "\(uri): \(r.status)")
                XCTAssertFalse(r.text.contains("secret outside"), uri)
                XCTAssertFalse(r.text.contains("articles: kb/articles"), uri)
            }
            let queue = try await b.get(client, "/queue")
            XCTAssertFalse(queue.text.contains("Secret"), "a draft linked from outside is not listed")
            let write = try await b.form(client, "/drafts/linked/start", [:])
            XCTAssertEqual(write.status, .badRequest)
            XCTAssertTrue(try String(contentsOf: outside, encoding: .utf8).contains("secret outside"))
            XCTAssertFalse(try String(contentsOf: outside, encoding: .utf8).contains("in_review"))
        }
    }

    func testOversizedBodiesAreRefused() async throws {
        let id = try minedID()
        let root = self.root!
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let huge = String(repeating: "a", count: 2 << 20)
            let r = try await b.form(client, "/drafts/\(id)/save", ["version": "x", "body": huge])
            XCTAssertEqual(r.status, .contentTooLarge)
        }
    }

    func testNonLoopbackWithoutAuthRefusesToStart() throws {
        for host in ["0.0.0.0", "192.168.1.10", "::", "example.com"] {
            XCTAssertThrowsError(try ServeFixture.configuration(root, host: host).validate(), host) { error in
                XCTAssertEqual(error as? ServeError, .notLoopbackWithoutAuth(host: host))
            }
            XCTAssertThrowsError(
                try KBServer(
                    configuration: ServeFixture.configuration(root, host: host),
                    embedder: nil, logger: .init(label: "test")))
        }
        for host in ["127.0.0.1", "::1", "localhost", "127.0.0.2"] {
            XCTAssertNoThrow(try ServeFixture.configuration(root, host: host).validate(), host)
        }
        let users = root.appendingPathComponent("users.txt")
        try (EditorAccounts.line(name: "alice", password: "pw", cost: 4) + "\n").write(
            to: users, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try ServeFixture.configuration(root, host: "0.0.0.0", authFile: users.path).validate())
    }
}
