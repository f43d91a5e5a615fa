import Foundation

/// A problem found in an input file, always naming the file and (when known) the line.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The article was still read (perhaps without part of it).
        case warning
        /// The article was skipped.
        case error
    }

    public var path: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    public var message: String
    public var severity: Severity

    public init(path: String, line: Int, message: String, severity: Severity) {
        self.path = path; self.line = line; self.message = message; self.severity = severity
    }

    /// `path:line: severity: message`, the form editors and CI logs expect.
    public var description: String {
        line > 0
            ? "\(path):\(line): \(severity.rawValue): \(message)"
            : "\(path): \(severity.rawValue): \(message)"
    }
}

/// What parsing one file gives: the article (nil when skipped) and what went wrong.
public struct ParseResult: Sendable {
    public var article: Article?
    public var diagnostics: [Diagnostic]

    public init(article: Article?, diagnostics: [Diagnostic]) {
        self.article = article; self.diagnostics = diagnostics
    }
}
