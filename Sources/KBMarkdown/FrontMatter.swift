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
        guard source.hasPrefix("---") else { return }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else { return }
        guard let close = lines.indices.dropFirst().first(where: {
            let t = lines[$0].trimmingCharacters(in: .whitespaces)
            return t == "---" || t == "..."
        }) else {
            diagnostics.append(Diagnostic(path: path, line: 1,
                message: "front matter opened with '---' is never closed; read as Markdown",
                severity: .warning))
            return
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        for i in 0...close { lines[i] = "" }
        body = lines.joined(separator: "\n")
        do {
            let loaded = try Yams.load(yaml: yaml)
            if let map = loaded as? [String: Any] {
                fields = map
            } else if loaded != nil {
                diagnostics.append(Diagnostic(path: path, line: 2,
                    message: "front matter is not a key/value mapping; ignored", severity: .warning))
            }
        } catch {
            let line = Self.errorLine(error).map { $0 + 1 } ?? 2
            diagnostics.append(Diagnostic(path: path, line: line,
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
           let y = Int(parts[2].prefix(4)), (1...12).contains(m), (1...31).contains(d) {
            return utc.date(from: DateComponents(year: y, month: m, day: d))
        }
        if parts.count >= 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
           let d = Int(parts[2].prefix(2)), (1...12).contains(m), (1...31).contains(d) {
            if parts.count > 3, let full = try? Date(s, strategy: .iso8601) { return full }
            return utc.date(from: DateComponents(year: y, month: m, day: d))
        }
        return nil
    }
}
