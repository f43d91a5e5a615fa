import Foundation
import Hummingbird
import KBDrafts
import KBTickets

/// The JSON API beside the pages (docs/openapi.yaml): the same reads and the same moves.
struct APIRoutes: Sendable {
    let site: Site

    func add(to router: Router<EditorContext>) {
        let api = router.group("api")
        api.get("session", use: session)
        api.post("session", use: signIn)
        api.get("search", use: search)
        api.get("drafts", use: drafts)
        api.get("drafts/:id", use: draft)
        api.put("drafts/:id", use: save)
        api.get("drafts/:id/diff", use: diff)
        api.post("drafts/:id/:move", use: move)
        api.get("articles/**", use: article)
        api.get("gaps") { request, context in try report(request, context, name: "gaps.json") }
        api.get("metrics") { request, context in try report(request, context, name: "metrics.json") }
    }

    func fail(_ request: Request, _ context: EditorContext, _ error: any Error) -> Response {
        Pages.refusal(request, context, status: ErrorStatus.of(error), message: ErrorStatus.message(error))
    }

    func unauthorized(_ request: Request, _ context: EditorContext) -> Response {
        Pages.refusal(request, context, status: .unauthorized, message: "Sign in first (POST /api/session).")
    }

    struct SessionInfo: Encodable {
        var user: String?
        var csrfToken: String?
        var signInRequired: Bool
    }

    @Sendable func session(_ request: Request, context: EditorContext) async throws -> Response {
        APIJSON.response(
            SessionInfo(
                user: context.editor, csrfToken: context.editor == nil ? nil : context.csrf,
                signInRequired: site.accounts != nil), kind: "session")
    }

    struct Credentials: Decodable { var name: String; var password: String }

    @Sendable func signIn(_ request: Request, context: EditorContext) async throws -> Response {
        guard let accounts = site.accounts else { return try await session(request, context: context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard let c = try? APIJSON.decoder().decode(Credentials.self, from: Data(buffer: body)) else {
            return Pages.refusal(
                request, context, status: .badRequest, message: "Expected {\"name\": …, \"password\": …}.")
        }
        guard let name = accounts.verify(name: c.name, password: c.password) else {
            return Pages.refusal(request, context, status: .unauthorized, message: "Wrong name or password.")
        }
        let s = site.signer.newSession(user: name, lifetime: site.configuration.sessionSeconds)
        var response = APIJSON.response(
            SessionInfo(user: name, csrfToken: site.signer.csrfToken(s), signInRequired: true), kind: "session")
        response.setCookie(site.signer.cookie(s))
        return response
    }

    @Sendable func search(_ request: Request, context: EditorContext) async throws -> Response {
        let q = SearchRequest(Form(request.uri.query ?? ""), editor: context.editor != nil)
        guard !q.query.isEmpty else {
            return Pages.refusal(request, context, status: .badRequest, message: "Give a query: ?q=…")
        }
        do { return APIJSON.response(try await site.limited { try q.run(site.searchers) }, kind: "search") } catch {
            return Pages.refusal(request, context, status: .serviceUnavailable, message: SearchRequest.problem(error))
        }
    }

    struct DraftList: Encodable {
        struct StateCount: Encodable { var status: String; var count: Int }
        var states: [StateCount]
        var drafts: [DraftSummary]
        var problems: [String]
    }

    @Sendable func drafts(_ request: Request, context: EditorContext) async throws -> Response {
        guard context.editor != nil else { return unauthorized(request, context) }
        let query = Form(request.uri.query ?? "")
        do {
            let listing = try await site.limited {
                try QueueListing(site: site, status: query.nonEmpty("status"), category: query.nonEmpty("category"))
            }
            let states = ReviewState.allCases.map { s in
                DraftList.StateCount(status: s.rawValue, count: listing.all.filter { $0.status == s.rawValue }.count)
            }
            let shown = listing.shown.map { d -> DraftSummary in
                var d = d; d.path = site.relative(d.path); return d
            }
            return APIJSON.response(
                DraftList(states: states, drafts: shown, problems: listing.problems), kind: "review_list")
        } catch { return fail(request, context, error) }
    }

    struct DraftDetail: Encodable {
        var draft: DraftView
        var tickets: [TicketText]
    }

    @Sendable func draft(_ request: Request, context: EditorContext) async throws -> Response {
        guard context.editor != nil else { return unauthorized(request, context) }
        do {
            let id = try site.draftID(context.parameters.require("id"))
            let view = try DraftView(id: id, store: site.store)
            return APIJSON.response(
                DraftDetail(draft: view, tickets: site.tickets(view.sourceTickets)), kind: "draft",
                headers: [.eTag: "\"\(view.version)\""])
        } catch { return fail(request, context, error) }
    }

    struct Edit: Decodable { var title: String?; var category: String?; var external: Bool?; var body: String }

    struct Conflict: Encodable {
        var error: String
        var yourVersion: String
        var current: DraftView
    }

    /// `PUT /api/drafts/{id}` with `If-Match: "<version>"` (428 without; 409 with the other
    /// version when it is stale).
    @Sendable func save(_ request: Request, context: EditorContext) async throws -> Response {
        guard let who = context.editor else { return unauthorized(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            let id = try site.draftID(context.parameters.require("id"))
            guard let expected = Self.version(request.headers[.ifMatch]) else {
                return Pages.refusal(
                    request, context, status: .preconditionRequired,
                    message: "Send If-Match with the draft's ETag (GET /api/drafts/\(id)).")
            }
            guard let edit = try? APIJSON.decoder().decode(Edit.self, from: Data(buffer: body)) else {
                return Pages.refusal(
                    request, context, status: .badRequest,
                    message: "Expected {\"body\": …, \"title\"?, \"category\"?, \"external\"?}.")
            }
            do {
                _ = try site.save(
                    id: id, by: who, expected: expected, title: edit.title, category: edit.category,
                    external: edit.external, body: edit.body)
            } catch DraftError.stale(_, let yours, _) {
                let current = try DraftView(id: id, store: site.store)
                return APIJSON.response(
                    Conflict(
                        error: "the draft changed since version \(yours); nothing was written",
                        yourVersion: yours, current: current),
                    kind: "conflict", status: .conflict, headers: [.eTag: "\"\(current.version)\""])
            }
            let view = try DraftView(id: id, store: site.store)
            return APIJSON.response(
                DraftDetail(draft: view, tickets: []), kind: "draft", headers: [.eTag: "\"\(view.version)\""])
        } catch { return fail(request, context, error) }
    }

    struct MoveBody: Decodable { var reason: String?; var audience: String? }

    struct MoveResult: Encodable {
        var id: String
        var status: String
        var version: String
        var path: String
    }

    @Sendable func move(_ request: Request, context: EditorContext) async throws -> Response {
        guard let who = context.editor else { return unauthorized(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            let id = try site.draftID(context.parameters.require("id"))
            guard let move = DraftMove(rawValue: try context.parameters.require("move")) else {
                return Pages.refusal(
                    request, context, status: .notFound,
                    message: "No such move (\(DraftMove.allCases.map(\.rawValue).joined(separator: ", "))).")
            }
            let options =
                body.readableBytes == 0
                ? MoveBody() : try? APIJSON.decoder().decode(MoveBody.self, from: Data(buffer: body))
            guard let options else {
                return Pages.refusal(
                    request, context, status: .badRequest, message: "Expected {\"reason\"?, \"audience\"?}.")
            }
            if let a = options.audience, a != "external", a != "internal" {
                return Pages.refusal(
                    request, context, status: .badRequest, message: "audience is external or internal.")
            }
            let path = try site.perform(
                move, id: id, by: who, expected: Self.version(request.headers[.ifMatch]),
                reason: options.reason, external: options.audience.map { $0 == "external" })
            let view = try DraftView(id: id, store: site.store)
            return APIJSON.response(
                MoveResult(id: id, status: view.status, version: view.version, path: site.relative(path)),
                kind: "review_move", headers: [.eTag: "\"\(view.version)\""])
        } catch { return fail(request, context, error) }
    }

    struct Diff: Encodable { var id: String; var unified: String; var rows: [DiffRow] }

    @Sendable func diff(_ request: Request, context: EditorContext) async throws -> Response {
        guard context.editor != nil else { return unauthorized(request, context) }
        do {
            let id = try site.draftID(context.parameters.require("id"))
            let unified = try site.store.proposalDiff(id)
            return APIJSON.response(
                Diff(id: id, unified: unified, rows: DiffRow.sideBySide(unified)), kind: "proposal_diff")
        } catch { return fail(request, context, error) }
    }

    struct ArticleBody: Encodable {
        var path: String, title: String, category: String, external: Bool, tags: [String], updated: String?
        var markdown: String, html: String, indexed: Bool
    }

    @Sendable func article(_ request: Request, context: EditorContext) async throws -> Response {
        let raw = context.parameters.getCatchAll().map { Form.decode($0) }.joined(separator: "/")
        do {
            guard let a = try ArticlePage.find(raw, site: site), a.external || context.editor != nil else {
                return Pages.refusal(request, context, status: .notFound, message: "No article \(raw).")
            }
            return APIJSON.response(
                ArticleBody(
                    path: a.path, title: a.title, category: a.category, external: a.external, tags: a.tags,
                    updated: a.updated, markdown: a.markdown, html: a.html, indexed: a.indexed), kind: "article")
        } catch { return fail(request, context, error) }
    }

    func report(_ request: Request, _ context: EditorContext, name: String) throws -> Response {
        guard context.editor != nil else { return unauthorized(request, context) }
        guard let text = try site.report(name) else {
            return Pages.refusal(request, context, status: .notFound, message: "No \(name) yet: `kb run` writes it.")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The version an `If-Match` names (`"v"` or `W/"v"`).
    static func version(_ header: String?) -> String? {
        guard var v = header?.trimmingCharacters(in: .whitespaces), !v.isEmpty, v != "*" else { return nil }
        if v.hasPrefix("W/") { v.removeFirst(2) }
        return v.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}
