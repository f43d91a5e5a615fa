import Foundation
import KBDrafts
import KBIndex
import KBMarkdown

/// A search as the page and `/api/search` take it: `q`, `category`, `tag` (repeatable),
/// `audience` (editors only; everyone else searches external articles), `mode`, `top`.
struct SearchRequest {
    var query: String
    var category: String?
    var tags: [String]
    var audience: Audience
    var mode: SearchMode
    var top: Int

    init(_ form: Form, editor: Bool) {
        query = String((form["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        category = form.nonEmpty("category")
        tags = form.all("tag").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let asked = form["audience"].flatMap(Audience.init(rawValue:)) ?? (editor ? .all : .external)
        audience = editor ? asked : .external
        mode = form["mode"].flatMap(SearchMode.init(rawValue:)) ?? .hybrid
        top = min(max(Int(form["top"] ?? "") ?? 10, 1), 50)
    }

    struct Result: Encodable {
        var query: String
        var audience: String
        /// The KB's answered test (hybrid mode with a fitted test): whether any hit answers.
        var answered: Bool?
        var bestAnswerScore: Double?
        var hits: [SearchHit]

        var verdictText: String? {
            guard let answered else { return nil }
            let best = String(format: "%.2f", bestAnswerScore ?? 0)
            return answered
                ? "Answered by the KB (answer score \(best))."
                : "No good match: nothing in the KB answers this (best answer score \(best)). Closest articles:"
        }
    }

    func run(_ searchers: SearcherCache) throws -> Result {
        let searcher = try searchers.current()
        let hits = try searcher.search(
            query,
            options: SearchOptions(
                mode: mode, top: top, category: category, tags: tags,
                audience: audience))
        let judged = hits.first?.confident != nil
        return Result(
            query: query, audience: audience.rawValue,
            answered: judged ? hits.contains { $0.confident == true } : nil,
            bestAnswerScore: judged ? hits.compactMap(\.answerScore).max() : nil, hits: hits)
    }

    static func problem(_ error: any Error) -> String {
        if let e = error as? IndexError, case .missing = e {
            return "There is no index yet: `kb run` (or `kb index`) builds it."
        }
        return "Search failed: \(error)"
    }
}

/// An article page: from the index (the text as indexed), else, for an article published
/// since the last run, from its file in the articles folder.
struct ArticlePage {
    var path: String
    var title: String
    var category: String
    var external: Bool
    var tags: [String]
    var updated: String?
    var markdown: String
    var indexed: Bool

    static func find(_ raw: String, site: Site) throws -> ArticlePage? {
        let path = try site.articlePath(raw)
        if let a = try site.article(path) {
            return ArticlePage(
                path: a.path, title: a.title, category: a.category, external: a.external, tags: a.tags,
                updated: a.updated, markdown: a.markdown, indexed: true)
        }
        let file = (site.configuration.articles as NSString).appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        try site.inside(file, folder: site.configuration.articles)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let doc = try? DraftDocument(text: text, path: path)
        else { return nil }
        return ArticlePage(
            path: path, title: doc["title"] ?? path, category: doc["category"] ?? "",
            external: doc.frontMatter["external"]?.bool ?? false,
            tags: doc.frontMatter["tags"]?.sequence?.compactMap(\.string) ?? [], updated: doc["updated"],
            markdown: doc.body, indexed: false)
    }

    var html: String { MarkdownHTML.render(markdown) }

    var values: [String: Any] {
        [
            "path": path + (indexed ? "" : " (published since the last index run: not in search yet)"), "title": title,
            "category": category, "external": external, "tags": tags, "updated": updated as Any, "html": html,
        ]
    }
}
