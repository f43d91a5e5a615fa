import ArgumentParser
import Foundation

/// `--kb DIR`: the knowledge-base folder, shared by every command that reads articles.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(name: .customLong("kb"), help: ArgumentHelp("Knowledge-base folder holding the Markdown articles.", valueName: "dir"))
    var directory: String = Paths.articles

    var url: URL { URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL }
}

/// `--model DIR`: the embedding model folder.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp("Model folder (default: $KB_MODEL_DIR, else the project's model, .models/all-MiniLM-L6-v2).", valueName: "dir"))
    var explicitDirectory: String?

    /// The folder given, else the project's model folder when it holds one (else `nil`:
    /// ``ModelLocator`` searches `$KB_MODEL_DIR` and the usual places).
    var directory: String? { explicitDirectory ?? ProjectContext.modelDirectory }
}

/// Writes a line to standard error (diagnostics never go to standard output, which
/// carries data such as JSON lines).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Encodes values as compact JSON lines: snake_case keys (one key style in every JSON the
/// tool writes), sorted, ISO dates.
func jsonLineEncoder() -> JSONEncoder { JSONOutput.encoder() }

/// Buffered standard output for large JSON-lines streams.
struct StandardOutput {
    private var buffer = Data()

    mutating func write(_ data: Data) {
        buffer.append(data)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The JSON `kb` prints for people's scripts (`--json`): snake_case keys, sorted, ISO dates,
/// and every document tagged with `schema_version` and its `kind`.
enum JSONOutput {
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
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(JSONOutput.schemaVersion, forKey: Key(stringValue: "schema_version"))
            try c.encode(kind, forKey: Key(stringValue: "kind"))
            try body.encode(to: encoder)
        }
    }

    static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `body`'s fields (a struct or a string-keyed dictionary) with `schema_version` and `kind`.
    static func encode<Body: Encodable>(_ body: Body, kind: String, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(Envelope(kind: kind, body: body))
    }
}
