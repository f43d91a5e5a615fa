import Foundation
import Logging

/// `kb`'s swift-log handler: every command logs through a `Logger` whose lines go to standard
/// error — plain lines (timestamped when not a terminal, a `[stage]` or `[label]` prefix,
/// `warning:` coloured on a terminal unless `NO_COLOR`) or, with `--log-format json`, one JSON
/// object a line (`level`, `message`, `time`, and the metadata as fields).
public struct LogLines: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public let label: String
    public let format: Format
    let isTerminal: Bool
    let color: Bool

    public init(
        label: String, format: Format = .text, level: Logger.Level = .info,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        isTerminal = isatty(STDERR_FILENO) == 1
        color = isTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        var fields = metadata
        if let extra { fields.merge(extra) { _, new in new } }
        FileHandle.standardError.write(Data(format(level: level, message: "\(message)", fields: fields).utf8))
    }

    /// One line, newline included.
    func format(level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        if format == .json {
            var object = fields.mapValues { "\($0)" }
            object["level"] = level.rawValue
            object["message"] = message
            object["time"] = Self.timestamp()
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
        let stamp = isTerminal ? "" : Self.timestamp() + " "
        let name = fields["stage"].map { "[\($0)] " } ?? (label.isEmpty ? "" : "[\(label)] ")
        let mark: String
        switch level {
        case .warning: mark = color ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: "
        case .error, .critical: mark = color ? "\u{1B}[31merror:\u{1B}[0m " : "error: "
        default: mark = ""
        }
        let rest = fields.filter { $0.key != "stage" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(stamp)\(name)\(mark)\(message)" + (rest.isEmpty ? "" : " " + rest.joined(separator: " ")) + "\n"
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
