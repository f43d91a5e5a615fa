import Foundation

/// How a run reports progress: progress lines on a terminal, plain timestamped lines when
/// not a terminal (cron, CI), JSON lines with `--log-format json`, nothing but the summary
/// with `--quiet`. Colour only on a terminal and never when `NO_COLOR` is set.
public struct RunLog: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var format: Format
    public var quiet: Bool
    public var isTerminal: Bool
    public var color: Bool

    public init(format: Format = .text, quiet: Bool = false,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.format = format
        self.quiet = quiet
        self.isTerminal = isatty(STDERR_FILENO) == 1
        self.color = isTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    }

    /// A progress or information line about a stage.
    public func info(_ stage: Stage?, _ message: String, fields: [String: String] = [:]) {
        guard !quiet else { return }
        emit(level: "info", stage, message, fields: fields)
    }

    /// A rejected input or other problem that does not stop the run.
    public func warn(_ stage: Stage?, _ message: String) {
        guard !quiet else { return }
        emit(level: "warning", stage, message, fields: [:])
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
            emitJSON(["level": ok ? "info" : "error", "event": "summary", "message": line])
        } else {
            let text = color ? (ok ? "\u{1B}[32m" : "\u{1B}[31m") + line + "\u{1B}[0m" : line
            write(text + "\n")
        }
    }

    private func emit(level: String, _ stage: Stage?, _ message: String, fields: [String: String]) {
        if format == .json {
            var object = fields
            object["level"] = level
            object["message"] = message
            if let stage { object["stage"] = stage.rawValue }
            emitJSON(object)
            return
        }
        let stamp = isTerminal ? "" : Self.timestamp() + " "
        let name = stage.map { "[\($0.rawValue)] " } ?? ""
        let mark = level == "warning" ? (color ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: ") : ""
        write("\(stamp)\(name)\(mark)\(message)\n")
    }

    private func emitJSON(_ object: [String: String]) {
        var object = object
        object["time"] = Self.timestamp()
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              let line = String(data: data, encoding: .utf8) else { return }
        write(line + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
