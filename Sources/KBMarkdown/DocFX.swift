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

    /// All include directives in a piece of Markdown source.
    static func includes(inSource source: Substring) -> [Include] {
        var found: [Include] = []
        guard source.containsBytes("[!") else { return found }
        var rest = source[...]
        while let r = rest.firstByteRange(of: "[!INCLUDE") ?? rest.firstByteRange(of: "[!include") {
            rest = rest[r.upperBound...]
            guard let open = rest.firstIndex(of: "["), rest[rest.startIndex..<open].allSatisfy({ $0 == " " }),
                  let nameEnd = rest[open...].firstIndex(of: "]") else { continue }
            let afterName = rest.index(after: nameEnd)
            guard afterName < rest.endIndex, rest[afterName] == "(",
                  let pathEnd = rest[afterName...].firstIndex(of: ")") else { continue }
            let name = String(rest[rest.index(after: open)..<nameEnd])
            let path = String(rest[rest.index(after: afterName)..<pathEnd])
                .trimmingCharacters(in: .whitespaces)
            found.append(Include(name: name, path: path))
            rest = rest[pathEnd...]
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
              url.hasPrefix("#tab/") else { return nil }
        return heading.children[0].plainText
    }
}
