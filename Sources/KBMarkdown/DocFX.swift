import Foundation

/// The DocFX extensions that help centers built on Microsoft Learn use on top of GFM.
/// They arrive from cmark as ordinary paragraphs and quotes; these helpers recognise them.
enum DocFX {
    /// Alert kinds written `> [!NOTE]` (GitHub and DocFX share them).
    static let alertKinds: Set<String> = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"]

    /// `[!NOTE] rest` → ("NOTE", "rest") when the text opens with an alert marker.
    static func alert(in text: Substring) -> (kind: String, rest: Substring)? {
        guard text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return nil }
        let kind = text[text.index(text.startIndex, offsetBy: 2)..<close].uppercased()
        guard alertKinds.contains(kind) else { return nil }
        return (kind, text[text.index(after: close)...].drop(while: { $0 == " " || $0 == "\n" }))
    }

    /// Removes `[!div class="…"]` layout markers, which carry no text.
    static func removingDivMarkers(_ text: String) -> String {
        guard text.containsBytes("[!div") else { return text }
        var out = ""
        var rest = text[...]
        while let r = rest.range(of: "[!div") {
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "]") else { rest = rest[r.upperBound...]; break }
            rest = rest[rest.index(after: close)...].drop(while: { $0 == " " || $0 == "\n" })
        }
        return out + rest
    }

    /// An `[!INCLUDE [name](path)]` directive found in source text.
    struct Include {
        var name: String
        var path: String
    }

    /// At most this many include directives are taken from one block.
    static let maxIncludesPerBlock = 64

    /// All include directives in a piece of Markdown source (at most `limit`), found in one
    /// pass: the next `]` and `)` are remembered, so `[!INCLUDE [` repeated without end
    /// costs linear time, not a rescan to the end of the text per occurrence.
    static func includes(inSource source: Substring, limit: Int = maxIncludesPerBlock) -> [Include] {
        var found: [Include] = []
        guard source.containsBytes("[!") else { return found }
        let bytes = Array(source.utf8)
        let n = bytes.count
        let keyword = Array("INCLUDE".utf8)
        var nextClose = -1, nextParen = -1
        func next(_ byte: UInt8, from i: Int, cache: inout Int) -> Int? {
            if cache >= i { return cache < n ? cache : nil }
            if cache == n { return nil }
            var j = i
            while j < n, bytes[j] != byte { j += 1 }
            cache = j
            return j < n ? j : nil
        }
        var i = 0
        while i + 1 < n, found.count < limit {
            guard bytes[i] == UInt8(ascii: "["), bytes[i + 1] == UInt8(ascii: "!") else { i += 1; continue }
            var k = i + 2
            var matched = k + keyword.count <= n
            if matched {
                for (offset, c) in keyword.enumerated() where bytes[k + offset] & 0xDF != c { matched = false; break }
            }
            guard matched else { i += 2; continue }
            k += keyword.count
            while k < n, bytes[k] == UInt8(ascii: " ") { k += 1 }
            guard k < n, bytes[k] == UInt8(ascii: "["),
                let nameEnd = next(UInt8(ascii: "]"), from: k + 1, cache: &nextClose)
            else { i = k; continue }
            let open = nameEnd + 1
            guard open < n, bytes[open] == UInt8(ascii: "("),
                let pathEnd = next(UInt8(ascii: ")"), from: open + 1, cache: &nextParen)
            else { i = k; continue }
            let name = String(decoding: bytes[(k + 1)..<nameEnd], as: UTF8.self)
            let path = String(decoding: bytes[(open + 1)..<pathEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            found.append(Include(name: name, path: path))
            i = pathEnd
        }
        return found
    }

    /// Replaces each `:::image … alt-text="…":::` directive with its alt text (or nothing)
    /// and drops `:::image-end:::`. Returns the text and whether anything but images remained.
    static func replacingImages(in text: String) -> (text: String, onlyImages: Bool) {
        guard text.containsBytes(":::image") else { return (text, false) }
        var out = ""
        var rest = text[...]
        var alts: [String] = []
        while let start = rest.range(of: ":::image") {
            out += rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            guard let end = afterStart.range(of: ":::") else { rest = afterStart; break }
            let directive = afterStart[..<end.lowerBound]
            if let alt = attribute("alt-text", in: directive) {
                out += alt
                alts.append(alt)
            }
            rest = afterStart[end.upperBound...]
        }
        out += rest
        let others = out.replacingOccurrences(of: alts.joined(), with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return (out, others.isEmpty)
    }

    private static func attribute(_ name: String, in directive: Substring) -> String? {
        guard let r = directive.range(of: name + "=\"") else { return nil }
        let value = directive[r.upperBound...]
        guard let end = value.firstIndex(of: "\"") else { return nil }
        return String(value[..<end])
    }

    /// A tab heading `# [Label](#tab/id)` gives its label.
    static func tabLabel(_ heading: MarkdownNode) -> String? {
        guard heading.children.count == 1, case .link(let url) = heading.children[0].kind,
            url.hasPrefix("#tab/")
        else { return nil }
        return heading.children[0].plainText
    }
}
