import ArgumentParser
import Foundation

/// `--kb DIR`: the knowledge-base folder, shared by every command that reads articles.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(name: .customLong("kb"), help: ArgumentHelp("Knowledge-base folder holding the Markdown articles.", valueName: "dir"))
    var directory: String = "kb/articles"

    var url: URL { URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL }
}

/// `--model DIR`: the embedding model folder.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp("Model folder (default: $KB_MODEL_DIR, else .models/all-MiniLM-L6-v2).", valueName: "dir"))
    var directory: String?
}

/// Writes a line to standard error (diagnostics never go to standard output, which
/// carries data such as JSON lines).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Encodes values as compact JSON lines with sorted keys and ISO dates.
func jsonLineEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return encoder
}

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
