import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex

/// `kb search`: hybrid search with filters, for people and for scripts.
struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the index: BM25 and vector cosine fused, one hit per article with its best chunks.")

    @Argument(help: "The query (omit with --queries).")
    var query: String?

    @Option(
        help: ArgumentHelp(
            "Batch mode: one query per line in, one JSON result list per line out (model loaded once).",
            valueName: "file"))
    var queries: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var model: ModelOptions

    @Option(help: "Ranking: hybrid, keyword or semantic.")
    var mode: SearchMode = .hybrid

    @Option(help: "Number of articles to return.")
    var top: Int = 5

    @Option(help: "Only articles in this category.")
    var category: String?

    @Option(name: .customLong("tag"), help: "Only articles with this tag (repeat for several; all must match).")
    var tags: [String] = []

    @Option(help: "external (customer-facing, default), internal or all.")
    var audience: Audience = .external

    @Flag(
        help:
            "Print JSON (fields: article_path, title, category, external, score, keyword_score, semantic_score, answer_score, confident, chunks[heading_path, text, …]). In hybrid mode `confident` is the KB's answered test: false on every hit means no good match."
    )
    var json = false

    func validate() throws {
        if queries == nil {
            guard let q = query, !q.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("give a non-empty QUERY, or --queries FILE")
            }
        }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let embedder = mode == .keyword ? nil : try model.embedder()
        // A batch of queries scores the keyword side from postings read into memory once.
        let searcher = try Searcher(
            path: database.db, embedder: embedder, keywordIndex: queries != nil && mode != .semantic)
        let options = SearchOptions(mode: mode, top: top, category: category, tags: tags, audience: audience)
        if let queries {
            guard let data = FileManager.default.contents(atPath: queries) else {
                throw ValidationError("\(queries): cannot read file")
            }
            var out = StandardOutput()
            var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            // The file's final newline ends a line, it is not one.
            if lines.last?.isEmpty == true { lines.removeLast() }
            for line in lines {
                let q = line.trimmingCharacters(in: .whitespacesAndNewlines)
                let hits = q.isEmpty ? [] : try searcher.search(q, options: options)
                out.write(try JSONOutput.encode(Result(query: q, hits: hits), kind: "search"))
            }
            out.flush()
            return
        }
        let hits = try searcher.search(query ?? "", options: options)
        if json {
            print(
                String(
                    decoding: try JSONOutput.encode(Result(query: query ?? "", hits: hits), kind: "search"),
                    as: UTF8.self))
            return
        }
        if hits.isEmpty { print("no results"); return }
        if let first = hits.first, let confident = first.confident {
            let best = hits.compactMap(\.answerScore).reduce(0, +)
            print(
                confident || hits.contains { $0.confident == true }
                    ? "Answered by the KB (answer score \(fmt(best, 2))):"
                    : "No good match: nothing in the KB answers this (best answer score \(fmt(best, 2))). Closest articles:"
            )
        }
        for (i, h) in hits.enumerated() {
            print("\(i + 1). \(h.title)  [\(h.category)\(h.external ? "" : ", internal")]  \(h.articlePath)")
            if let c = h.chunks.first {
                print("   \(c.headingPath)")
                let snippet = c.text.replacingOccurrences(of: "\n", with: " ").prefix(200)
                print("   \(snippet)\(c.text.count > 200 ? "…" : "")")
            }
        }
    }
}

extension SearchMode: ExpressibleByArgument {}
extension Audience: ExpressibleByArgument {}

extension Search {
    /// One query's results as `--json` and `--queries` print them (one line per query).
    struct Result: Encodable {
        var query: String
        var hits: [SearchHit]
    }
}
