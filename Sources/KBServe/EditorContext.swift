import Foundation
import HTTPTypes
import Hummingbird

/// The request context: who is asking (the session, when signed in) besides Hummingbird's core.
public struct EditorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in editor's session (always set on loopback without a users file).
    public var session: Session?
    /// The CSRF token forms on this page carry.
    public var csrf: String = ""

    public init(source: Source) { coreContext = .init(source: source) }

    /// Request bodies are capped (a draft is a few KB; 1 MiB is generous).
    public var maxUploadSize: Int { ServeLimits.maxBodyBytes }

    /// The editor's name, when an editor asks.
    public var editor: String? { session?.user }
}

/// Fixed limits of the app.
public enum ServeLimits {
    public static let maxBodyBytes = 1 << 20
}

/// Reads the session cookie, issues the local user's session on loopback without a users
/// file, refuses unsafe methods without the session's CSRF token (403), and adds the
/// security headers every response carries.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = EditorContext
    let signer: SessionSigner
    /// The local editor's name when there is no users file (loopback only).
    let localEditor: String?
    let lifetime: TimeInterval
    /// Unsafe requests allowed without a CSRF token: signing in (there is no session yet) and
    /// the read-only, external-audience MCP endpoint (``MCPEndpoint``).
    static let csrfExempt: Set<String> = ["/login", "/api/session", "/mcp"]

    func handle(
        _ request: Request, context: EditorContext,
        next: (Request, EditorContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        var issued: Session?
        if let value = request.cookies[SessionSigner.cookieName]?.value, let s = signer.session(from: value) {
            context.session = s
        } else if let localEditor {
            let s = signer.newSession(user: localEditor, lifetime: lifetime)
            context.session = s
            issued = s
        }
        if let s = context.session { context.csrf = signer.csrfToken(s) }
        var response: Response
        if [.post, .put, .patch, .delete].contains(request.method), !Self.csrfExempt.contains(request.uri.path) {
            var token = request.headers[.csrfToken]
            if token == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                token = Form(String(buffer: body))["_csrf"]
            }
            if issued == nil, signer.checkCSRF(token, context.session) {
                response = try await next(request, context)
            } else {
                response = Pages.refusal(
                    request, context, status: .forbidden,
                    message: context.session == nil
                        ? "Sign in first: changes need a signed-in editor."
                        : "This form is out of date or came from another site (missing or wrong CSRF token). Reload the page and try again."
                )
            }
        } else {
            response = try await next(request, context)
        }
        if let issued { response.setCookie(signer.cookie(issued)) }
        SecurityHeaders.add(to: &response, path: request.uri.path)
        return response
    }
}

extension SessionSigner {
    func cookie(_ s: Session) -> Cookie {
        Cookie(
            name: Self.cookieName, value: cookieValue(s), maxAge: max(0, Int(s.expires.timeIntervalSinceNow)),
            path: "/", httpOnly: true, sameSite: .strict)
    }

    func expiredCookie() -> Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict)
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}

/// Headers on every response: no framing, no sniffing, scripts never run, styles only from
/// this app (the report pages keep their inline style).
enum SecurityHeaders {
    static func add(to response: inout Response, path: String) {
        let style = path == "/gaps" || path == "/metrics" ? "'self' 'unsafe-inline'" : "'self'"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src \(style); img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}
