import Foundation
import Hummingbird
import KBDrafts
import KBMarkdown

/// The draft page and the editor's moves on it (forms posting back to the page).
struct DraftRoutes: Sendable {
    let site: Site

    func add(to router: Router<EditorContext>) {
        router.get("/drafts/:id", use: page)
        // `save` and the moves share one route; the handler tells them apart.
        router.post("/drafts/:id/:move") { request, context in
            context.parameters.get("move") == "save"
                ? try await save(request, context: context) : try await move(request, context: context)
        }
    }

    var signOut: Bool { site.accounts != nil }

    static let done: [String: String] = [
        "saved": "Saved.", "start": "Review started.", "approve": "Approved.", "reject": "Rejected.",
        "publish":
            "Published: the article is in the articles folder; the next `kb run` (or `kb index`) puts it in search.",
        "reopen": "Reopened.", "accept": "The proposed version was accepted.",
        "discard": "The proposed version was discarded.",
    ]

    /// Sends a visitor who is not an editor to sign in.
    func signIn(_ request: Request) -> Response {
        Pages.redirect("/login?next=" + Form.encode(request.uri.path))
    }

    @Sendable func page(_ request: Request, context: EditorContext) async throws -> Response {
        guard context.editor != nil else { return signIn(request) }
        do {
            let id = try site.draftID(context.parameters.require("id"))
            let view = try DraftView(id: id, store: site.store)
            let diff = view.hasProposal ? DiffRow.sideBySide((try? site.store.proposalDiff(id)) ?? "") : []
            let flash = Form(request.uri.query ?? "")["done"].flatMap { Self.done[$0] }
            var response = Pages.html(
                Templates.draft, view.page(tickets: site.tickets(view.sourceTickets), diff: diff),
                title: view.title, context: context, flash: flash, signOut: signOut)
            response.headers[.eTag] = "\"\(view.version)\""
            return response
        } catch {
            return Pages.refusal(request, context, status: ErrorStatus.of(error), message: ErrorStatus.message(error))
        }
    }

    @Sendable func save(_ request: Request, context: EditorContext) async throws -> Response {
        guard let who = context.editor else { return signIn(request) }
        var request = request
        let form = Form(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        do {
            let id = try site.draftID(context.parameters.require("id"))
            guard let version = form.nonEmpty("version") else {
                return Pages.refusal(
                    request, context, status: .preconditionRequired,
                    message: "The form carries no draft version; reload the draft.")
            }
            do {
                _ = try site.save(
                    id: id, by: who, expected: version, title: form["title"], category: form["category"],
                    external: nil, body: form["body"] ?? "")
            } catch DraftError.stale(_, let expected, _) {
                return try conflict(id: id, yourVersion: expected, yours: form, context: context)
            }
            return Pages.redirect("/drafts/\(id)?done=saved")
        } catch {
            return Pages.refusal(request, context, status: ErrorStatus.of(error), message: ErrorStatus.message(error))
        }
    }

    @Sendable func move(_ request: Request, context: EditorContext) async throws -> Response {
        guard let who = context.editor else { return signIn(request) }
        var request = request
        let form = Form(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        do {
            let id = try site.draftID(context.parameters.require("id"))
            guard let move = DraftMove(rawValue: try context.parameters.require("move")) else {
                return Pages.refusal(request, context, status: .notFound, message: "No such move.")
            }
            do {
                _ = try site.perform(
                    move, id: id, by: who, expected: form.nonEmpty("version"), reason: form.nonEmpty("reason"),
                    external: form["audience"].map { $0 == "external" })
            } catch DraftError.stale(_, let expected, _) {
                return try conflict(id: id, yourVersion: expected, yours: nil, context: context)
            }
            return Pages.redirect("/drafts/\(id)?done=\(move.rawValue)")
        } catch {
            return Pages.refusal(request, context, status: ErrorStatus.of(error), message: ErrorStatus.message(error))
        }
    }

    /// 409: the draft moved on since the editor opened it. The other version is shown, the
    /// editor's own text kept in the form (with the new version, so saving again is a
    /// deliberate choice); nothing is merged.
    func conflict(id: String, yourVersion: String, yours: Form?, context: EditorContext) throws -> Response {
        let current = try DraftView(id: id, store: site.store)
        let values: [String: Any] = [
            "id": id, "version": current.version, "yourVersion": yourVersion, "status": current.status,
            "title": current.title,
            "html": MarkdownHTML.render(current.body), "body": current.body,
            "editable": yours != nil && current.status != ReviewState.published.rawValue,
            "yourTitle": yours?["title"] ?? "", "yourCategory": yours?["category"] ?? "",
            "yourBody": yours?["body"] ?? "(You were making a review move; nothing of yours is lost.)",
        ]
        var response = Pages.html(
            Templates.conflict, values, title: "Conflict: \(current.title)", context: context,
            status: .conflict, signOut: signOut)
        response.headers[.eTag] = "\"\(current.version)\""
        return response
    }
}
