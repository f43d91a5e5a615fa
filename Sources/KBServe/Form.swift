import Foundation

/// `application/x-www-form-urlencoded` fields (a form body or a query string); a repeated
/// name keeps every value in order.
struct Form: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ encoded: String) {
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    subscript(name: String) -> String? { values[name]?.first }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// A non-empty, trimmed value.
    func nonEmpty(_ name: String) -> String? {
        guard let v = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    static func decode<S: StringProtocol>(_ s: S) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
