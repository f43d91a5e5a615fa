import Foundation
import MCP

/// A tool call's arguments, checked against the tool's declared names: an unknown name, a
/// missing required one or a value of the wrong type is a ``KBMCPError`` naming the tool and
/// the argument, never a crash.
struct ToolArguments: Sendable {
    let tool: String
    let values: [String: Value]

    init(tool: String, values: [String: Value]?, allowed: [String]) throws(KBMCPError) {
        self.tool = tool
        self.values = values ?? [:]
        for name in self.values.keys.sorted() where !allowed.contains(name) {
            throw .unknownArgument(tool: tool, name: name, expected: allowed)
        }
    }

    /// A non-empty string (trimmed); nil when absent or JSON null.
    func string(_ name: String, required: Bool = false, maxLength: Int = 10_000) throws(KBMCPError) -> String? {
        guard let v = values[name], !v.isNull else {
            if required { throw .missingArgument(tool: tool, name: name) }
            return nil
        }
        guard let s = v.stringValue else { throw .badArgument(tool: tool, name: name, reason: "must be a string") }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { throw .badArgument(tool: tool, name: name, reason: "must not be empty") }
            return nil
        }
        guard trimmed.count <= maxLength else {
            throw .badArgument(tool: tool, name: name, reason: "is longer than \(maxLength) characters")
        }
        return trimmed
    }

    /// Strings given as one string or a list of strings.
    func strings(_ name: String) throws(KBMCPError) -> [String] {
        guard let v = values[name], !v.isNull else { return [] }
        if let s = v.stringValue {
            return s.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [s.trimmingCharacters(in: .whitespaces)]
        }
        guard let list = v.arrayValue else {
            throw .badArgument(tool: tool, name: name, reason: "must be a string or a list of strings")
        }
        var out: [String] = []
        for item in list {
            guard let s = item.stringValue else {
                throw .badArgument(tool: tool, name: name, reason: "must be a string or a list of strings")
            }
            let t = s.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { out.append(t) }
        }
        return out
    }

    /// A whole number in `range` (JSON integer, integral float or numeric string), else `fallback`.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(KBMCPError) -> Int {
        guard let v = values[name], !v.isNull else { return fallback }
        let n: Int?
        switch v {
        case .int(let i): n = i
        case .double(let d): n = d.rounded() == d && abs(d) < 1e9 ? Int(d) : nil
        case .string(let s): n = Int(s.trimmingCharacters(in: .whitespaces))
        default: n = nil
        }
        guard let n else { throw .badArgument(tool: tool, name: name, reason: "must be a whole number") }
        guard range.contains(n) else {
            throw .badArgument(
                tool: tool, name: name, reason: "must be between \(range.lowerBound) and \(range.upperBound) (got \(n))"
            )
        }
        return n
    }
}
