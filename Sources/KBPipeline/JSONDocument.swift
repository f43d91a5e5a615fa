import Foundation

/// The JSON `kb` gives people's scripts and the web app's API: snake_case keys, sorted, ISO
/// dates, and every document tagged with `schema_version` and its `kind`. One style for
/// `kb … --json` and `kb serve`'s `/api/…`.
public enum JSONDocument {
    public static let schemaVersion = 1

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
            try c.encode(JSONDocument.schemaVersion, forKey: Key(stringValue: "schema_version"))
            try c.encode(kind, forKey: Key(stringValue: "kind"))
            try body.encode(to: encoder)
        }
    }

    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `body`'s fields (a struct or a string-keyed dictionary) with `schema_version` and `kind`.
    public static func encode<Body: Encodable>(_ body: Body, kind: String, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(Envelope(kind: kind, body: body))
    }
}
