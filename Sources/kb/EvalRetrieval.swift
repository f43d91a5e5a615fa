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
    var db: String = Paths.sibling("eval-index.sqlite")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Score only this mode (default: all three).")
    var mode: SearchMode?

    @Option(
        help: ArgumentHelp(
            "How hybrid mode fuses the two rankings: wsum (weighted sum of scaled scores, the default) or rrf (reciprocal rank), for re-measuring on another help center.",
            valueName: "rule"))
    var fusion: FusionKind = .wsum

    @Option(help: ArgumentHelp("wsum: the keyword share α of the sum.", valueName: "α"))
    var fusionAlpha: Double = 0.7

    @Option(help: ArgumentHelp("rrf: the weight of the semantic rank.", valueName: "w"))
    var semanticWeight: Double = 1.0

    enum FusionKind: String, ExpressibleByArgument, CaseIterable {
        case wsum, rrf
    }

    var fusionRule: FusionRule {
        switch fusion {
        case .wsum: return .weightedSum(alpha: fusionAlpha)
        case .rrf: return .reciprocalRank(semanticWeight: semanticWeight)
        }
    }

    func run() async throws {
        let embedder = try model.embedder()
        let report = try IndexWriter(path: db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
            .update(root: kb.url)
        printError("eval: index \(db): \(report.articleFiles) articles, \(report.chunksWritten) chunks written")
        let (pairs, problems) = try RetrievalEval.readQueries(path: queries)
        problems.forEach { printError($0) }
        let searcher = try Searcher(path: db, embedder: embedder, keywordIndex: true)
        let scores = try (mode.map { [$0] } ?? SearchMode.allCases).map {
            try RetrievalEval.score(searcher, pairs: pairs, mode: $0, fusion: fusionRule)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(scores), as: UTF8.self))
            return
        }
        print("kb eval retrieval — \(pairs.count) queries, \(searcher.chunkCount) chunks")
        print("  mode       Recall@1  Recall@10  MRR@10")
        for s in scores {
            print(
                "  \(s.mode.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(fmt(s.recallAt1, 3))     \(fmt(s.recallAt10, 3))      \(fmt(s.mrrAt10, 3))"
            )
        }
    }
}
