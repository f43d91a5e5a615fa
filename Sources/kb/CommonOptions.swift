import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBPipeline
import Logging

/// `--kb DIR`: the knowledge-base folder, shared by every command that reads articles.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(
        name: .customLong("kb"),
        help: ArgumentHelp("Knowledge-base folder holding the Markdown articles.", valueName: "dir"))
    var directory: String = Paths.articles

    var url: URL { URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL }
}

/// `--model DIR`: the embedding model folder.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .customLong("model"),
        help: ArgumentHelp(
            "Model folder (default: $KB_MODEL_DIR, else the project's model, .models/all-MiniLM-L6-v2).",
            valueName: "dir"))
    var explicitDirectory: String?

    /// The folder given, else the project's model folder when it holds one (else `nil`:
    /// ``ModelLocator`` searches the usual places).
    var directory: String? { explicitDirectory ?? ProjectContext.modelDirectory }

    /// The model, run with the settings this process was started with.
    func embedder(workers: Int? = nil) throws -> MiniLMEmbedder {
        try MiniLMEmbedder(
            modelDirectory: ModelLocator.directory(explicit: directory),
            settings: .fromEnvironment(workers: workers))
    }
}

extension EmbedderSettings {
    /// The measured defaults, with the overrides `kb bench embed` measurements use
    /// (`KB_EMBED_WORKERS`, `KB_EMBED_BATCH_TOKENS`, `KB_EMBED_BLOCK`, `KB_EMBED_SMALL_ROWS`). The
    /// tool reads them here, once; the libraries take the typed settings.
    static func fromEnvironment(workers: Int? = nil) -> EmbedderSettings {
        let env = ProcessInfo.processInfo.environment
        func int(_ name: String) -> Int? { env[name].flatMap { Int($0) } }
        let defaults = EmbedderSettings()
        return EmbedderSettings(
            workers: workers ?? int("KB_EMBED_WORKERS"),
            maxBatchTokens: int("KB_EMBED_BATCH_TOKENS") ?? defaults.maxBatchTokens,
            blockWidth: int("KB_EMBED_BLOCK") ?? defaults.blockWidth,
            smallRows: int("KB_EMBED_SMALL_ROWS") ?? defaults.smallRows)
    }
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

/// `--log-level` and `--log-format`: how a long-running command (run, serve, mcp) logs to
/// standard error, through swift-log (``LogLines``).
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level on standard error.")
    var logLevel: LogLevel = .info

    @Option(help: "Log format: text (timestamped lines when not a terminal) or json (one object a line).")
    var logFormat: LogLines.Format = .text

    /// Makes every `Logger` of this process write ``LogLines``; returns one labelled `label`.
    func bootstrap(label: String) -> Logger {
        let (format, level) = (logFormat, logLevel.level)
        LoggingSystem.bootstrap { name in LogLines(label: name, format: format, level: level) }
        return Logger(label: label)
    }
}

/// swift-log's levels as a closed choice of the command line.
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
}
extension LogLines.Format: ExpressibleByArgument {}
