import Foundation

/// Small text helpers for the import hot path: Foundation's `trimmingCharacters(in:)`
/// bridges every string through `NSString` and was a fifth of a JSONL import.
extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Unicode `Zs` and tab, the set
    /// `CharacterSet.whitespaces` names); the string itself when there is nothing to cut.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].isSpaceOrTab { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isSpaceOrTab { end = scalars.index(before: end) }
        if start == scalars.startIndex, end == scalars.endIndex, let whole = self as? String { return whole }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}

extension Unicode.Scalar {
    var isSpaceOrTab: Bool {
        if value < 0x80 { return value == 0x20 || value == 0x09 }
        return properties.generalCategory == .spaceSeparator
    }
}

/// JSON text for a list of strings, written the way `JSONEncoder` writes it (slashes
/// escaped, other non-ASCII kept), so stored values and content hashes do not change.
enum JSONText {
    static func array(_ items: [String]) -> String {
        var out = "["
        for (i, s) in items.enumerated() {
            if i > 0 { out += "," }
            string(s, into: &out)
        }
        return out + "]"
    }

    static func string(_ s: String, into out: inout String) {
        out += "\""
        var plain = true
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C || b == 0x2F { plain = false; break }
        if plain { out += s; out += "\""; return }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A list written by ``array(_:)`` back (nil: none stored). A value that is not a JSON
    /// list of strings means a damaged store: an error, never an empty list.
    static func list(_ stored: String?) throws -> [String] {
        guard let stored else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(stored.utf8))
    }
}
