import Foundation
import Yams

/// What a published draft becomes in the KB: the article a reader sees. Everything that
/// came from tickets or from the review stays in the draft's record: related tickets (ids,
/// subjects, dates), the customers' own wordings quoted under Symptoms, flags, source
/// tickets, priority and the review log.
enum PublishedArticle {
    /// Front-matter fields that never leave the drafts folder.
    static let internalKeys: Set<String> = DraftDocument.bookkeepingKeys.union([
        "flags", "source_tickets", "priority", "draft_id", "external",
    ])
    /// Sections (level-2 headings) that never leave the drafts folder.
    static let internalSections: Set<String> = ["related tickets"]

    static func document(from draft: DraftDocument, id: String, external: Bool, now: Date) -> DraftDocument {
        var fm = Node.Mapping([])
        for (k, v) in draft.frontMatter where !internalKeys.contains(k.string ?? "") { fm[k] = v }
        fm["external"] = Node(external ? "true" : "false", Tag(.bool))
        fm["updated"] = Node(String(ISO8601DateFormatter().string(from: now).prefix(10)))
        fm["draft_id"] = Node(id)
        return DraftDocument(frontMatter: fm, body: body(from: draft.body))
    }

    /// The body without internal sections and without quoted customer wordings (the
    /// generated `Customers describe it as:` list); a section left empty loses its heading.
    static func body(from text: String) -> String {
        var sections: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") { sections.append([line]) } else { sections[sections.count - 1].append(line) }
        }
        var out: [String] = []
        for section in sections {
            if let heading = section.first, heading.hasPrefix("## "),
                internalSections.contains(heading.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased())
            {
                continue
            }
            let kept = section.filter { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                return t != "Customers describe it as:" && !(t.hasPrefix("- \"") && t.hasSuffix("\""))
            }
            if let heading = kept.first, heading.hasPrefix("## "),
                kept.dropFirst().allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                continue
            }
            out += kept
        }
        var body = out.joined(separator: "\n")
        while body.contains("\n\n\n") { body = body.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return body.hasSuffix("\n") ? body : body + "\n"
    }
}
