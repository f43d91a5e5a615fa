import Foundation
import Hummingbird
import HummingbirdTesting
import KBDrafts
import KBServe
import XCTest

/// Signed-in editors under a users file; search and articles for everyone else.
final class AuthAndSearchTests: XCTestCase {
    var root: URL!
    var users: URL!

    override func setUp() async throws {
        root = try await ServeFixture.copy()
        users = root.appendingPathComponent("users.txt")
        try ("# editors\n" + EditorAccounts.line(name: "alice", password: "correct horse", cost: 4) + "\n")
            .write(to: users, atomically: true, encoding: .utf8)
    }

    override func tearDown() async throws { try? FileManager.default.removeItem(at: root) }

    var store: DraftStore { DraftStore(folder: root.appendingPathComponent("kb/drafts")) }

    func testVisitorsSeeOnlyExternalArticlesAndSearch() async throws {
        let root = self.root!
        let app = try ServeFixture.server(root, authFile: users.path).application()
        try await app.test(.router) { client in
            let b = Browser()
            for uri in ["/queue", "/drafts/hostile-draft", "/gaps", "/metrics"] {
                let r = try await b.get(client, uri)
                XCTAssertEqual(r.status, .seeOther, uri)
                XCTAssertTrue(r.headers[.location]?.hasPrefix("/login") == true, uri)
            }
            for uri in ["/api/drafts", "/api/drafts/hostile-draft", "/api/gaps"] {
                let r = try await b.get(client, uri)
                XCTAssertEqual(r.status, .unauthorized, uri)
            }
            let hidden = try await b.get(client, "/articles/internal/refund-limits.md")
            XCTAssertEqual(hidden.status, .notFound)
            let search = try await b.get(client, "/api/search?q=refund%20approval%20limits&audience=all")
            XCTAssertEqual(search.status, .ok)
            XCTAssertEqual(search.object["audience"] as? String, "external", "visitors search external articles only")
            let paths = (search.object["hits"] as? [[String: Any]] ?? []).compactMap { $0["article_path"] as? String }
            XCTAssertFalse(paths.contains("internal/refund-limits.md"))
            let external = try await b.get(client, "/articles/payments/card-declined.md")
            XCTAssertEqual(external.status, .ok)
            let write = try await b.form(client, "/drafts/hostile-draft/start", [:])
            XCTAssertEqual(write.status, .forbidden)
        }
    }

    func testSignedInEditorReviewsAndPublishesAndTheLogNamesThem() async throws {
        let (root, store) = (self.root!, self.store)
        let app = try ServeFixture.server(root, authFile: users.path).application()
        try await app.test(.router) { client in
            var b = Browser()
            let wrong = try await b.form(client, "/login", ["name": "alice", "password": "nope"], csrf: false)
            XCTAssertEqual(wrong.status, .unauthorized)
            let login = try await b.form(
                client, "/login", ["name": "alice", "password": "correct horse", "next": "/queue"], csrf: false)
            XCTAssertEqual(login.status, .seeOther)
            XCTAssertEqual(login.headers[.location], "/queue")
            b.keep(login)
            XCTAssertNotNil(b.cookie)
            try await b.start(client)
            XCTAssertNotNil(b.csrf)
            let queue = try await b.get(client, "/queue")
            XCTAssertEqual(queue.status, .ok)
            XCTAssertTrue(queue.text.contains("Signed in as alice"))
            let id = "hostile-draft"
            for move in ["start", "approve"] {
                let r = try await b.form(client, "/drafts/\(id)/\(move)", [:])
                XCTAssertEqual(r.status, .seeOther, move)
            }
            let reject = try await b.json(client, .post, "/api/drafts/\(id)/reject", [:])
            XCTAssertEqual(reject.status, .unprocessableContent, "a rejection needs a reason")
            let publish = try await b.json(client, .post, "/api/drafts/\(id)/publish", ["audience": "external"])
            XCTAssertEqual(publish.status, .ok, publish.text)
            XCTAssertEqual(publish.object["status"] as? String, "published")
            let path = try XCTUnwrap(publish.object["path"] as? String)
            XCTAssertEqual(path, "kb/articles/invoices/hostile-draft.md")
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path))
            let doc = try store.load(id)
            let by = doc.frontMatter["review_log"]?.sequence?.compactMap { $0["by"]?.string } ?? []
            XCTAssertEqual(by, ["alice", "alice", "alice"])
            let illegal = try await b.form(client, "/drafts/\(id)/approve", [:])
            XCTAssertEqual(illegal.status, .conflict, "the state machine refuses approving a published draft")
            let article = try await b.get(client, "/articles/invoices/hostile-draft.md")
            XCTAssertEqual(article.status, .ok)
            XCTAssertFalse(article.text.contains("<script>"))
            let out = try await b.form(client, "/logout", [:])
            XCTAssertEqual(out.status, .seeOther)
            XCTAssertTrue(
                out.headers[values: .setCookie].contains { $0.hasPrefix("kb_session=;") || $0.contains("Max-Age=0") })
        }
    }

    func testSearchPageAndAPI() async throws {
        let root = self.root!
        let app = try ServeFixture.server(root).application()
        try await app.test(.router) { client in
            var b = Browser()
            try await b.start(client)
            let api = try await b.get(client, "/api/search?q=my%20customer%27s%20card%20was%20declined&top=3")
            XCTAssertEqual(api.status, .ok)
            XCTAssertEqual(api.object["schema_version"] as? Int, 1)
            XCTAssertEqual(api.object["kind"] as? String, "search")
            let hits = try XCTUnwrap(api.object["hits"] as? [[String: Any]])
            XCTAssertEqual(hits.first?["article_path"] as? String, "payments/card-declined.md")
            let page = try await b.get(client, "/search?q=card+declined&category=Payments")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("href=\"/articles/payments/card-declined.md\""))
            let agents = try await b.get(client, "/api/search?q=refund%20approval%20limits&audience=internal")
            let paths = (agents.object["hits"] as? [[String: Any]] ?? []).compactMap { $0["article_path"] as? String }
            XCTAssertEqual(paths.first, "internal/refund-limits.md", "the local editor searches internal articles")
            let empty = try await b.get(client, "/api/search?q=")
            XCTAssertEqual(empty.status, .badRequest)
        }
    }
}
