import Foundation
import Hummingbird
import Mustache

/// HTML responses: a template's content inside the layout, with the session's facts.
enum Pages {
    static func html(_ template: MustacheTemplate, _ values: [String: Any], title: String, context: EditorContext,
                     status: HTTPResponse.Status = .ok, flash: String? = nil, signOut: Bool) -> Response {
        var values = values
        values["csrf"] = context.csrf
        values["editor"] = context.editor as Any
        let content = template.render(Self.present(values) ?? [:], library: Templates.library)
        let page = Templates.layout.render(Self.present([
            "title": title, "content": content, "editor": context.editor as Any, "csrf": context.csrf,
            "signOut": signOut, "flash": flash as Any,
        ] as [String: Any]) ?? [:])
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
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
    static func refusal(_ request: Request, _ context: EditorContext, status: HTTPResponse.Status, message: String) -> Response {
        if request.uri.path.hasPrefix("/api/") {
            return APIJSON.response(APIError(status: Int(status.code), error: message), kind: "error", status: status)
        }
        return html(Templates.error, ["heading": status.reasonPhrase, "message": message, "back": "/"],
                    title: status.reasonPhrase, context: context, status: status, signOut: false)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func stylesheet() -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: Templates.css)))
    }
}

/// The JSON API's documents: snake_case keys, sorted, ISO dates, each tagged with
/// `schema_version` and `kind` (the style of `kb … --json`).
enum APIJSON {
    static let schemaVersion = 1

    private struct Envelope<Body: Encodable>: Encodable {
        let kind: String
        let body: Body
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(APIJSON.schemaVersion, forKey: Key(stringValue: "schema_version"))
            try c.encode(kind, forKey: Key(stringValue: "kind"))
            try body.encode(to: encoder)
        }
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static func response<Body: Encodable>(_ body: Body, kind: String, status: HTTPResponse.Status = .ok,
                                          headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let data = (try? encoder().encode(Envelope(kind: kind, body: body))) ?? Data("{\"schema_version\":1,\"kind\":\"error\",\"error\":\"encoding failed\"}".utf8)
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
