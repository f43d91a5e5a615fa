import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex

/// `kb eval retrieval`: Recall@1, Recall@10 and MRR@10 per mode on known-item queries.
struct EvalRetrieval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Score keyword, semantic and hybrid search on known-item queries (query<TAB>article path).")

    @OptionGroup var kb: KnowledgeBaseOptions

    @Option(help: ArgumentHelp("TSV of queries: query<TAB>article path relative to --kb.", valueName: "file"))
    var queries: String

    @Option(help: ArgumentHelp("Index to build or update for the evaluation.", valueName: "path"))
    var db: String = "kb/eval-index.sqlite"

    @OptionGroup var model: ModelOptions
    @OptionGroup var ranking: RankingOptions

    @Flag(help: "Use the index as it is: do not update it from --kb first.")
    var noUpdate = false

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Score only this mode (default: all three).")
    var mode: SearchMode?

    func run() async throws {
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        if !noUpdate {
            let report = try IndexWriter(path: db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
                .update(root: kb.url) { printError("eval: \($0)") }
            printError("eval: index \(db): \(report.articleFiles) articles, \(report.chunksWritten) chunks written")
        }
        let (pairs, problems) = try RetrievalEval.readQueries(path: queries)
        problems.forEach { printError($0) }
        let configurations = try ranking.parameters()
        let searcher = try Searcher(path: db, embedder: embedder, parameters: configurations[0].parameters)
        let unknown = RetrievalEval.unknownArticles(searcher, pairs: pairs)
        if !unknown.isEmpty {
            printError("eval: \(unknown.count) expected articles are not in the index (they count as misses), e.g. \(unknown.prefix(3).joined(separator: ", "))")
        }
        let vectors = mode == .keyword ? Array(repeating: nil, count: pairs.count) : try searcher.queryVectors(pairs.map(\.query))
        var all: [[RetrievalScores]] = []
        for (label, parameters) in configurations {
            let scores = try RetrievalEval.evaluate(searcher.with(parameters: parameters), pairs: pairs,
                                                    modes: mode.map { [$0] } ?? [.keyword, .semantic, .hybrid], vectors: vectors)
            all.append(scores)
            if json { continue }
            if configurations.count > 1 {
                print(scores.map { "\($0.mode.rawValue) \(fmt($0.recallAt1, 3)) \(fmt($0.recallAt10, 3)) \(fmt($0.mrrAt10, 3))" }
                    .joined(separator: " | ") + " | " + label)
                continue
            }
            print("kb eval retrieval — \(pairs.count) queries, \(searcher.chunkCount) chunks")
            print("  mode       Recall@1  Recall@10  MRR@10")
            for s in scores {
                print("  \(s.mode.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(fmt(s.recallAt1, 3))     \(fmt(s.recallAt10, 3))      \(fmt(s.mrrAt10, 3))")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(configurations.count == 1 ? all[0] : all.flatMap { $0 }), as: UTF8.self))
        }
    }
}
