import Foundation
import Logging

/// How a run reports progress: its information and warning lines go through a swift-log
/// `Logger` (``LogLines``: plain lines on a terminal, timestamped lines when not a terminal —
/// cron, CI — or JSON lines with `--log-format json`); the progress bar and the summary line are
/// drawn here. `--quiet` leaves only the summary and errors.
public struct RunLog: Sendable {
    public typealias Format = LogLines.Format

    public let format: Format
    public let quiet: Bool
    /// The lines every message and the summary are written as.
    let lines: LogLines
    public let logger: Logger
    public var isTerminal: Bool { lines.isTerminal }
    public var color: Bool { lines.color }

    public init(
        format: Format = .text, quiet: Bool = false, level: Logger.Level = .info,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.format = format
        self.quiet = quiet
        let lines = LogLines(label: "", format: format, level: quiet ? .error : level, environment: environment)
        self.lines = lines
        logger = Logger(label: "kb.run") { _ in lines }
    }

    /// A progress or information line about a stage.
    public func info(_ stage: Stage?, _ message: String, fields: [String: String] = [:]) {
        logger.info("\(message)", metadata: Self.metadata(stage, fields))
    }

    /// A rejected input or other problem that does not stop the run.
    public func warn(_ stage: Stage?, _ message: String) {
        logger.warning("\(message)", metadata: Self.metadata(stage, [:]))
    }

    static func metadata(_ stage: Stage?, _ fields: [String: String]) -> Logger.Metadata {
        var m = fields.mapValues { Logger.MetadataValue.string($0) }
        if let stage { m["stage"] = .string(stage.rawValue) }
        return m
    }

    /// A progress update (`done` of `total`): a redrawn bar on a terminal, nothing otherwise.
    public func progress(_ stage: Stage, done: Int, total: Int) {
        guard !quiet, format == .text, isTerminal, total > 0 else { return }
        let width = 24
        let filled = min(width, done * width / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        write("\r\(stage.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(bar) \(done)/\(total)\u{1B}[K")
        if done >= total { write("\r\u{1B}[K") }
    }

    /// The last line of every run, printed even with `--quiet`.
    public func summary(_ line: String, ok: Bool) {
        if format == .json {
            write(lines.format(level: ok ? .info : .error, message: line, fields: ["event": "summary"]))
        } else {
            let text = color ? (ok ? "\u{1B}[32m" : "\u{1B}[31m") + line + "\u{1B}[0m" : line
            write(text + "\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
