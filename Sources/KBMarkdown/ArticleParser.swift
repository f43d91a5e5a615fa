import Foundation

/// Reads one Markdown article: front matter (Yams) and body (cmark-gfm with GFM
/// extensions), DocFX quirks included. Never throws: problems become ``Diagnostic``s.
public struct ArticleParser: Sendable {
    public init() {}

    /// Reads and parses the file at `root/path`; a file that resolves outside `root` (a
    /// symlink out of the knowledge base) is skipped with an error, never read.
    public func parse(path: String, root: URL) -> ParseResult {
        switch ContainedPath.read(path, under: root) {
        case .failure(let d): return ParseResult(article: nil, diagnostics: [d])
        case .success(let data): return parse(data: data, path: path, root: root)
        }
    }

    /// Parses article bytes. `path` is relative to `root`, which resolves includes.
    public func parse(data: Data, path: String, root: URL) -> ParseResult {
        let source: String
        switch Self.decode(data, path: path) {
        case .failure(let d): return ParseResult(article: nil, diagnostics: [d])
        case .success(let s): source = s
        }
        let front = FrontMatter(source: source, path: path)
        let external = front.bool("external") ?? front.bool("internal").map { !$0 } ?? true
        var extractor = BlockExtractor(
            path: path, root: root, source: front.body, includeStack: [path], external: external)
        extractor.extract()
        var diagnostics = front.diagnostics + extractor.diagnostics

        let fileName = (path as NSString).lastPathComponent
        let baseName = (fileName as NSString).deletingPathExtension
        let firstH1 = extractor.blocks.first { if case .heading(1) = $0.kind { true } else { false } }
        let title = front.string("title") ?? firstH1?.text ?? baseName
        if extractor.blocks.isEmpty && front.fields.isEmpty {
            diagnostics.append(Diagnostic(path: path, line: 0, message: "no content", severity: .error))
            return ParseResult(article: nil, diagnostics: diagnostics)
        }
        let custom = front.strings("ms.custom")
        let article = Article(
            path: path, slug: Self.slug(baseName), title: title,
            description: front.string("description"),
            category: front.string("category") ?? Self.sapCategory(custom) ?? Self.topFolder(path),
            tags: front.fields["tags"] != nil ? front.strings("tags") : custom.filter { !$0.hasPrefix("sap:") },
            external: external,
            updated: front.date("updated") ?? front.date("date") ?? front.date("ms.date"),
            status: front.string("status"),
            blocks: extractor.blocks)
        return ParseResult(article: article, diagnostics: diagnostics)
    }

    /// Rejects empty, binary and non-UTF-8 files with the offending position.
    static func decode(_ data: Data, path: String) -> Result<String, Diagnostic> {
        if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .failure(Diagnostic(path: path, line: 0, message: "empty file", severity: .error))
        }
        if let nul = data.firstIndex(of: 0) {
            let line = data[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(
                Diagnostic(
                    path: path, line: line,
                    message: "binary file (NUL byte at offset \(nul - data.startIndex))", severity: .error))
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8(bytes)
            let line = bytes.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(
                Diagnostic(
                    path: path, line: line,
                    message: "not valid UTF-8 (bad byte at offset \(offset))", severity: .error))
        }
        // CRLF and bare CR become LF so cmark and the front-matter splitter agree on lines.
        return .success(
            bytes.contains(0x0D)
                ? s.replacingOccurrences(of: "\r\n", with: "\n")
                    .replacingOccurrences(of: "\r", with: "\n") : s)
    }

    private static func firstInvalidUTF8(_ bytes: Data) -> Int {
        var lo = 0, hi = bytes.count
        // Smallest prefix that no longer decodes, found by bisection.
        while lo < hi {
            let mid = (lo + hi) / 2
            let prefix = bytes.prefix(mid + 1)
            if String(validating: prefix, as: UTF8.self) != nil || Self.endsMidScalar(prefix) {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        return lo
    }

    private static func endsMidScalar(_ bytes: Data) -> Bool {
        // A prefix cut inside a valid multi-byte scalar is not an error yet.
        for k in 1...3 where bytes.count >= k {
            let b = bytes[bytes.index(bytes.endIndex, offsetBy: -k)]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return need > k && String(validating: bytes.dropLast(k), as: UTF8.self) != nil
            }
        }
        return false
    }

    /// `sap:Mail Flow\Email delivery` → `Mail Flow`.
    static func sapCategory(_ custom: [String]) -> String? {
        guard let item = custom.first(where: { $0.hasPrefix("sap:") }) else { return nil }
        let top = item.dropFirst(4).split(separator: "\\").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return top?.isEmpty == false ? top : nil
    }

    static func topFolder(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : "General"
    }

    /// Lower-case ASCII letters and digits joined by single dashes.
    static func slug(_ name: String) -> String {
        var out = ""
        var dash = false
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
                if dash && !out.isEmpty { out += "-" }
                dash = false
                out.unicodeScalars.append(scalar)
            } else {
                dash = true
            }
        }
        return out.isEmpty ? "article" : out
    }
}
