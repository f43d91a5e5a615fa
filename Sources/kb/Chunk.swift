import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown
import KBSupport

/// `kb chunk`: parse and split the knowledge base into model-sized chunks.
struct Chunk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split the knowledge base into heading-aware chunks that fit the model window.",
        discussion: "Token counts use the embedding model's own WordPiece tokenizer and include [CLS] and [SEP].")

    @OptionGroup var kb: KnowledgeBaseOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var chunking: ChunkingOptions

    @Flag(
        help:
            "Print one JSON object per chunk on standard output (article, slug, index, heading_path, text, embed_text, tokens, external, category, tags, line, end_line)."
    )
    var json = false

    @Flag(help: "Print only the summary line.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Also write a Markdown summary (articles by category, chunk sizes, problems) to this file.",
            valueName: "file"))
    var summary: String?

    func run() async throws {
        let chunker = try chunking.chunker(modelDirectory: model.directory)
        let scan = try KnowledgeBaseReader().read(root: kb.url)
        if !quiet { scan.diagnostics.forEach { printError($0.description) } }
        let perArticle = scan.articles.parallelMap { chunker.chunk($0) }
        let chunks = perArticle.flatMap { $0 }
        if json {
            let encoder = jsonLineEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            var out = StandardOutput()
            for chunk in chunks { out.write(try encoder.encode(chunk)) }
            out.flush()
        }
        let stats = TokenStats(chunks.map(\.tokens))
        if let summary {
            try ChunkSummary.markdown(scan: scan, chunks: chunks, stats: stats, folder: kb.directory)
                .write(toFile: summary, atomically: true, encoding: .utf8)
        }
        printError(
            "chunk: \(scan.articles.count) articles → \(chunks.count) chunks (tokens p50 \(stats.p50), p95 \(stats.p95), max \(stats.max)); \(scan.skipped.count) articles skipped"
        )
    }
}

/// `--max-tokens` and `--overlap`, shared by every command that chunks.
struct ChunkingOptions: ParsableArguments {
    @Option(help: "Token budget per chunk including [CLS] and [SEP] (32…256).")
    var maxTokens: Int = 256

    @Option(help: "Tokens of whole trailing blocks repeated at the start of the next chunk of a section.")
    var overlap: Int = 0

    func validate() throws {
        guard (32...256).contains(maxTokens) else {
            throw ValidationError("--max-tokens must be between 32 and 256 (the model window)")
        }
        guard overlap >= 0, overlap < maxTokens / 2 else {
            throw ValidationError("--overlap must be at least 0 and under half of --max-tokens")
        }
    }

    func chunker(modelDirectory: String?) throws -> Chunker {
        let dir = try ModelLocator.directory(explicit: modelDirectory)
        return Chunker(tokenizer: try WordPieceTokenizer(directory: dir), maxTokens: maxTokens, overlap: overlap)
    }
}

/// Percentiles of chunk token counts.
struct TokenStats {
    let p50: Int, p95: Int, max: Int

    init(_ values: [Int]) {
        let sorted = values.sorted()
        func pct(_ p: Double) -> Int {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        p50 = pct(0.5); p95 = pct(0.95); max = sorted.last ?? 0
    }
}

/// The Markdown summary `kb chunk --summary` writes.
enum ChunkSummary {
    static func markdown(
        scan: KnowledgeBaseScan, chunks: [KBChunking.Chunk], stats: TokenStats, folder: String
    ) -> String {
        var out = "# Knowledge base summary\n\n"
        out +=
            "`\(folder)`: \(scan.filesSeen) article files, \(scan.articles.count) read, \(scan.skipped.count) skipped, "
        out +=
            "\(scan.articles.filter { !$0.external }.count) internal. \(chunks.count) chunks; tokens p50 \(stats.p50), p95 \(stats.p95), max \(stats.max) (window 256).\n\n"
        out += "| Category | Articles | Internal | Chunks |\n| --- | ---: | ---: | ---: |\n"
        let byCategory = Dictionary(grouping: scan.articles, by: \.category)
        let chunkCount = Dictionary(grouping: chunks, by: \.category).mapValues(\.count)
        for (category, articles) in byCategory.sorted(by: { $0.key < $1.key }) {
            out +=
                "| \(category) | \(articles.count) | \(articles.filter { !$0.external }.count) | \(chunkCount[category] ?? 0) |\n"
        }
        if !scan.diagnostics.isEmpty {
            out += "\n## Problems\n\n" + scan.diagnostics.map { "- `\($0.description)`\n" }.joined()
        }
        return out
    }
}
