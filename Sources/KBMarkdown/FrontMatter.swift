import Foundation
import Yams

/// YAML front matter between `---` lines at the top of a file.
struct FrontMatter {
    /// Parsed mapping (empty when there is none or it is invalid).
    var fields: [String: Any] = [:]
    /// The body with the front-matter lines blanked, so cmark's line numbers stay file lines.
    var body: String
    var diagnostics: [Diagnostic] = []

    /// Splits and parses the front matter of `source`. Invalid YAML is a warning: the
    /// article is parsed without it.
    init(source: String, path: String) {
        body = source
        let bytes = Array(source.utf8.prefix(64 * 1024))
        guard bytes.starts(with: Array("---".utf8)) else { return }
        // Line ends, found on bytes: the opening line must be `---` alone.
        var lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { lineStarts.append(i + 1) }
        func line(_ n: Int) -> Substring {
            let start = lineStarts[n], end = n + 1 < lineStarts.count ? lineStarts[n + 1] - 1 : bytes.count
            return Substring(decoding: bytes[start..<max(start, end)], as: UTF8.self)
        }
        guard line(0).trimmed == "---" else { return }
        guard
            let close = (1..<lineStarts.count).first(where: { n in
                let t = line(n).trimmed
                return t == "---" || t == "..."
            })
        else {
            diagnostics.append(
                Diagnostic(
                    path: path, line: 1,
                    message: "front matter opened with '---' is never closed; read as Markdown",
                    severity: .warning))
            return
        }
        let yamlEnd = lineStarts[close] - 1
        let yaml = String(decoding: bytes[lineStarts[1]..<max(lineStarts[1], yamlEnd)], as: UTF8.self)
        // Blank the front matter (keep its newlines) so cmark's line numbers stay file lines.
        let afterClose = close + 1 < lineStarts.count ? lineStarts[close + 1] - 1 : bytes.count
        let rest = source.utf8.dropFirst(afterClose)
        body = String(repeating: "\n", count: close) + String(Substring(rest))
        do {
            // The basic resolver keeps every scalar a string: no regex per value, and
            // dates and booleans are read by the typed accessors below.
            let loaded = try SafeYAML.load(yaml: yaml, .basic)
            if let map = loaded as? [String: Any] {
                fields = map
            } else if loaded != nil {
                diagnostics.append(
                    Diagnostic(
                        path: path, line: 2,
                        message: "front matter is not a key/value mapping; ignored", severity: .warning))
            }
        } catch let refusal as SafeYAML.Refusal {
            diagnostics.append(
                Diagnostic(
                    path: path, line: refusal.line + 1,
                    message: "front matter refused (\(refusal.message)); article read without it", severity: .warning))
        } catch {
            let line = Self.errorLine(error).map { $0 + 1 } ?? 2
            diagnostics.append(
                Diagnostic(
                    path: path, line: line,
                    message: "front matter is not valid YAML (\(Self.summary(error))); article read without it",
                    severity: .warning))
        }
    }

    private static func errorLine(_ error: Error) -> Int? {
        if case let YamlError.scanner(_, _, mark, _) = error { return mark.line }
        if case let YamlError.parser(_, _, mark, _) = error { return mark.line }
        return nil
    }

    private static func summary(_ error: Error) -> String {
        let text = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }

    // MARK: typed accessors

    func string(_ key: String) -> String? {
        switch fields[key] {
        case let s as String:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case let n as Int: return String(n)
        case let d as Double: return String(d)
        default: return nil
        }
    }

    func strings(_ key: String) -> [String] {
        switch fields[key] {
        case let list as [Any]:
            return list.compactMap { ($0 as? String) ?? ($0 as? CustomStringConvertible)?.description }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case let s as String:
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        default: return []
        }
    }

    func bool(_ key: String) -> Bool? {
        switch fields[key] {
        case let b as Bool: return b
        case let s as String:
            switch s.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: return nil
            }
        case let n as Int: return n != 0
        default: return nil
        }
    }

    func date(_ key: String) -> Date? {
        if let d = fields[key] as? Date { return d }
        guard let s = string(key) else { return nil }
        return DateParsing.parse(s)
    }
}

/// Dates as help centers write them: ISO (`2024-10-24`, with or without time) or
/// US `MM/DD/YYYY` (`M/D/YYYY` too).
public enum DateParsing {
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "T" || $0 == " " })
        if s.contains("/"), parts.count >= 3, let m = Int(parts[0]), let d = Int(parts[1]),
            let y = Int(parts[2].prefix(4)), (1...12).contains(m), (1...31).contains(d)
        {
            return utc.date(from: DateComponents(year: y, month: m, day: d))
        }
        if parts.count >= 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
            let d = Int(parts[2].prefix(2)), (1...12).contains(m), (1...31).contains(d)
        {
            if parts.count > 3, let full = try? Date(s, strategy: .iso8601) { return full }
            return utc.date(from: DateComponents(year: y, month: m, day: d))
        }
        return nil
    }
}
