import ArgumentParser
import Foundation
import KBPipeline

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

/// The JSON `kb` prints (``JSONDocument``, shared with `kb serve`'s API).
typealias JSONOutput = JSONDocument
