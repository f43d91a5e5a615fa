import Foundation
import Hummingbird
import KBDrafts
import KBIndex
import KBMarkdown

/// The HTML pages: queue, search, articles, reports, sign-in.
struct PageRoutes: Sendable {
    let site: Site

    func add(to router: Router<EditorContext>) {
        router.get("/") { _, context in Pages.redirect(context.editor == nil ? "/search" : "/queue") }
        router.get("/static/style.css") { _, _ in Pages.stylesheet() }
        router.get("/queue", use: queue)
        router.get("/search", use: search)
        router.get("/articles/**", use: article)
        router.get("/gaps") { request, context in try report(request, context, name: "gaps") }
        router.get("/metrics") { request, context in try report(request, context, name: "metrics") }
        router.get("/login", use: loginPage)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    var signOut: Bool { site.accounts != nil }

    /// Pages for editors only: others are sent to sign in.
    func editorOnly(_ request: Request, _ context: EditorContext) -> Response? {
        guard context.editor == nil else { return nil }
        return Pages.redirect("/login?next=" + Form.encode(request.uri.path))
    }

    @Sendable func queue(_ request: Request, context: EditorContext) async throws -> Response {
        if let r = editorOnly(request, context) { return r }
        let query = Form(request.uri.query ?? "")
        let status = query.nonEmpty("status"), category = query.nonEmpty("category")
        let listing = try await site.limited { try QueueListing(site: site, status: status, category: category) }
        let order = ReviewState.allCases.map(\.rawValue)
        let values: [String: Any] = [
            "status": status ?? "", "categoryQuery": category.map(Form.encode) as Any, "allOn": status == nil,
            "total": listing.all.count,
            "states": order.map { s in
                [
                    "status": s, "label": s.replacingOccurrences(of: "_", with: " "),
                    "count": listing.all.filter { $0.status == s }.count, "on": status == s,
                ] as [String: Any]
            },
            "categories": listing.categories.map { ["name": $0, "selected": $0 == category] as [String: Any] },
            "drafts": listing.shown.map { d in
                [
                    "id": d.id, "title": d.title, "status": d.status, "category": d.category ?? "",
                    "priority": d.priority ?? "–",
                    "ticketCount": d.ticketCount, "hasProposal": d.hasProposal, "edited": d.edited, "flags": d.flags,
                    "age": d.ageDays.map(String.init) ?? "–",
                ] as [String: Any]
            },
            "problems": listing.problems, "hasProblems": !listing.problems.isEmpty,
        ]
        return Pages.html(Templates.queue, values, title: "Review queue", context: context, signOut: signOut)
    }

    @Sendable func search(_ request: Request, context: EditorContext) async throws -> Response {
        let q = SearchRequest(Form(request.uri.query ?? ""), editor: context.editor != nil)
        var values: [String: Any] = [
            "query": q.query, "category": q.category ?? "", "tag": q.tags.first ?? "",
            "audiences": Audience.allCases.map {
                ["value": $0.rawValue, "selected": $0 == q.audience] as [String: Any]
            },
            "modes": SearchMode.allCases.map { ["value": $0.rawValue, "selected": $0 == q.mode] as [String: Any] },
        ]
        if !q.query.isEmpty {
            do {
                let result = try await site.limited { try q.run(site.searchers) }
                values["searched"] = true
                values["verdict"] = result.verdictText as Any
                values["verdictClass"] = result.answered == true ? "yes" : "no"
                values["hits"] = result.hits.map { h -> [String: Any] in
                    let chunk = h.chunks.first
                    // The chunk's Markdown as plain words: heading marks and line breaks out.
                    let text = (chunk?.text ?? "").replacingOccurrences(
                        of: "(?m)^#{1,6}\\s+", with: "", options: .regularExpression
                    )
                    .replacingOccurrences(of: "\n", with: " ")
                    return [
                        "href": h.articlePath.split(separator: "/").map { Form.encode(String($0)) }.joined(
                            separator: "/"),
                        "path": h.articlePath, "title": h.title, "category": h.category, "external": h.external,
                        "confident": h.confident == true,
                        "answerScore": h.answerScore.map { String(format: "%.2f", $0) } as Any,
                        "heading": chunk?.headingPath as Any,
                        "snippet": text.count > 240 ? String(text.prefix(240)) + "…" : text,
                    ]
                }
            } catch {
                values["problem"] = SearchRequest.problem(error)
            }
        }
        return Pages.html(
            Templates.search, values, title: q.query.isEmpty ? "Search" : q.query, context: context, signOut: signOut)
    }

    @Sendable func article(_ request: Request, context: EditorContext) async throws -> Response {
        let raw = context.parameters.getCatchAll().map { Form.decode($0) }.joined(separator: "/")
        let found: ArticlePage?
        do { found = try ArticlePage.find(raw, site: site) } catch {
            return Pages.refusal(request, context, status: ErrorStatus.of(error), message: ErrorStatus.message(error))
        }
        // Internal articles exist only for editors: to anyone else they are not there.
        guard let page = found, page.external || context.editor != nil else {
            return Pages.refusal(
                request, context, status: .notFound, message: "No article \(raw) in the knowledge base.")
        }
        return Pages.html(Templates.article, page.values, title: page.title, context: context, signOut: signOut)
    }

    func report(_ request: Request, _ context: EditorContext, name: String) throws -> Response {
        if let r = editorOnly(request, context) { return r }
        guard let html = try site.report(name + ".html") else {
            return Pages.refusal(
                request, context, status: .notFound,
                message:
                    "No \(name) report yet in the reports folder: `kb run` (or `kb \(name == "gaps" ? "gaps" : "report metrics")`) writes it."
            )
        }
        // The report is a page of its own (written by KBReports, text escaped there); a bar
        // leads back into the app.
        let bar = """
            <nav style="background:#0f1725;padding:8px 16px;font:14px system-ui,sans-serif"><a style="color:#dfe6f5;margin-right:14px" href="/queue">Review queue</a><a style="color:#dfe6f5;margin-right:14px" href="/search">Search</a><a style="color:#dfe6f5;margin-right:14px" href="/gaps">Gaps</a><a style="color:#dfe6f5" href="/metrics">Metrics</a></nav>
            """
        let page = html.replacingOccurrences(of: "<body>", with: "<body>" + bar)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    @Sendable func loginPage(_ request: Request, context: EditorContext) async throws -> Response {
        if site.accounts == nil { return Pages.redirect("/queue") }
        let next = Form(request.uri.query ?? "")["next"] ?? "/queue"
        return Pages.html(
            Templates.login, ["next": next, "failed": false], title: "Sign in", context: context, signOut: signOut)
    }

    @Sendable func login(_ request: Request, context: EditorContext) async throws -> Response {
        guard let accounts = site.accounts else { return Pages.redirect("/queue") }
        var request = request
        let form = Form(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let next = Self.localTarget(form["next"])
        guard let name = accounts.verify(name: form["name"] ?? "", password: form["password"] ?? "") else {
            site.logger.notice("sign-in refused", metadata: ["name": "\(form["name"] ?? "")"])
            return Pages.html(
                Templates.login, ["next": next, "failed": true], title: "Sign in", context: context,
                status: .unauthorized, signOut: signOut)
        }
        let session = site.signer.newSession(user: name, lifetime: site.configuration.sessionSeconds)
        var response = Pages.redirect(next)
        response.setCookie(site.signer.cookie(session))
        return response
    }

    @Sendable func logout(_ request: Request, context: EditorContext) async throws -> Response {
        var response = Pages.redirect("/search")
        response.setCookie(site.signer.expiredCookie())
        return response
    }

    /// Only paths of this app are followed after signing in (no `//host` or `https://…`).
    static func localTarget(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/queue" }
        return next
    }
}

/// The drafts as the queue shows them: filtered by state and category, in review order.
struct QueueListing {
    var all: [DraftSummary]
    var shown: [DraftSummary]
    var categories: [String]
    var problems: [String]

    /// Drafts whose file leads out of the drafts folder (a symlink) are not listed.
    init(site: Site, status: String?, category: String?) throws {
        let (listed, errors) = try site.store.list()
        let drafts = listed.filter { (try? site.draftID($0.id)) != nil }
        let order = ReviewState.allCases.map(\.rawValue)
        let rank = ["urgent": 0, "high": 1, "medium": 2, "normal": 2, "low": 3]
        all = drafts.sorted {
            (order.firstIndex(of: $0.status) ?? 9, rank[$0.priority ?? ""] ?? 4, -$0.ticketCount, $0.id) < (
                order.firstIndex(of: $1.status) ?? 9, rank[$1.priority ?? ""] ?? 4, -$1.ticketCount, $1.id
            )
        }
        shown = all.filter { d in
            (status == nil || d.status == status)
                && (category == nil || d.category?.caseInsensitiveCompare(category!) == .orderedSame)
        }
        categories = Set(all.compactMap(\.category)).sorted()
        problems = errors.map(\.description)
    }
}
