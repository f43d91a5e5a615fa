import Foundation
import Hummingbird
import KBPipeline
import Mustache

/// HTML responses: a template's content inside the layout, with the session's facts.
enum Pages {
    static func html(
        _ template: MustacheTemplate, _ values: [String: Any], title: String, context: EditorContext,
        status: HTTPResponse.Status = .ok, flash: String? = nil, signOut: Bool
    ) -> Response {
        var values = values
        values["csrf"] = context.csrf
        values["editor"] = context.editor as Any
        let content = template.render(Self.present(values) ?? [:], library: Templates.library)
        let page = Templates.layout.render(
            Self.present(
                [
                    "title": title, "content": content, "editor": context.editor as Any, "csrf": context.csrf,
                    "signOut": signOut, "flash": flash as Any,
                ] as [String: Any]) ?? [:])
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// `value` with every absent optional left out (Mustache would print `nil`), in
    /// dictionaries and arrays at any depth: an absent key is simply false in a template.
    static func present(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return present(wrapped)
        }
        if let dict = value as? [String: Any] { return dict.compactMapValues { present($0) } }
        if let array = value as? [Any] { return array.compactMap { present($0) } }
        return value
    }

    /// An error page (or JSON for `/api/…`) with a message that names what went wrong.
    static func refusal(
        _ request: Request, _ context: EditorContext, status: HTTPResponse.Status, message: String
    ) -> Response {
        if request.uri.path.hasPrefix("/api/") {
            return APIJSON.response(APIError(status: Int(status.code), error: message), kind: "error", status: status)
        }
        return html(
            Templates.error, ["heading": status.reasonPhrase, "message": message, "back": "/"],
            title: status.reasonPhrase, context: context, status: status, signOut: false)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func stylesheet() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: Templates.css)))
    }
}

/// The JSON API's documents: snake_case keys, sorted, ISO dates, each tagged with
/// `schema_version` and `kind` (the style of `kb … --json`).
enum APIJSON {
    static let schemaVersion = JSONDocument.schemaVersion

    static func encoder() -> JSONEncoder { JSONDocument.encoder() }

    static func response<Body: Encodable>(
        _ body: Body, kind: String, status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let data =
            (try? JSONDocument.encode(body, kind: kind))
            ?? Data("{\"schema_version\":1,\"kind\":\"error\",\"error\":\"encoding failed\"}".utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}

struct APIError: Encodable {
    var status: Int
    var error: String
}
