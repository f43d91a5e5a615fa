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

    @Option(help: ArgumentHelp("Batch mode: one query per line in, one JSON result list per line out (model loaded once).", valueName: "file"))
    var queries: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var ranking: RankingOptions

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

    @Flag(help: "Print JSON: a list of hits (article_path, title, category, external, score, keyword_score, semantic_score, keyword_rank, semantic_rank, chunks: [index, heading_path, text, keyword_score, semantic_score]).")
    var json = false

    func validate() throws {
        if let queries {
            if query != nil { throw ValidationError("give either QUERY or --queries FILE, not both") }
            if queries.isEmpty { throw ValidationError("--queries needs a file") }
        } else {
            guard let q = query, !q.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("the query is empty: give a non-empty QUERY, or --queries FILE")
            }
        }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let embedder = mode == .keyword ? nil : try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        let searcher = try Searcher(path: database.db, embedder: embedder, parameters: try ranking.parameters()[0].parameters)
        let options = SearchOptions(mode: mode, top: top, category: category, tags: tags, audience: audience)
        if let queries {
            guard let data = FileManager.default.contents(atPath: queries) else { throw ValidationError("\(queries): cannot read the file") }
            var out = StandardOutput()
            try SearchJSON.batch(searcher, input: String(decoding: data, as: UTF8.self), options: options) { out.write($0) }
            out.flush()
            return
        }
        let hits = try searcher.search(query ?? "", options: options)
        if json {
            print(String(decoding: try SearchJSON.encoder().encode(hits), as: UTF8.self))
            return
        }
        if hits.isEmpty { print("no results"); return }
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
