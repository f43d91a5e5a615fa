import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KBServe
import XCTest

/// A browser's state in route tests: the session cookie and the CSRF token the pages carry.
struct Browser {
    var cookie: String?
    var csrf: String?

    var headers: HTTPFields {
        var h: HTTPFields = [:]
        if let cookie { h[.cookie] = cookie }
        return h
    }

    /// Takes the session cookie a response sets.
    mutating func keep(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] where value.hasPrefix(SessionSigner.cookieName + "=") {
            cookie = String(value.prefix { $0 != ";" })
        }
    }

    /// GET /api/session: the cookie (issued on loopback without a users file) and the CSRF token.
    mutating func start(_ client: some TestClientProtocol) async throws {
        let r = try await client.execute(uri: "/api/session", method: .get, headers: headers)
        keep(r)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]
        csrf = json?["csrf_token"] as? String
    }

    func form(
        _ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], csrf include: Bool = true
    ) async throws -> TestResponse {
        var all = fields
        if include, let csrf { all["_csrf"] = csrf }
        let body = all.map { "\(Form.encode($0.key))=\(Form.encode($0.value))" }.joined(separator: "&")
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
    }

    func json(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ object: [String: Any],
        ifMatch: String? = nil, csrf include: Bool = true
    ) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/json"
        if include, let csrf { h[HTTPField.Name("X-CSRF-Token")!] = csrf }
        if let ifMatch { h[.ifMatch] = ifMatch }
        return try await client.execute(
            uri: uri, method: method, headers: h,
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)))
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }
}

/// Form encoding for test bodies (the app's own is internal).
enum Form {
    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var object: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]) ?? [:]
    }
}
