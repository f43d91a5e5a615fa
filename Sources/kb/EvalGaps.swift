import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBGaps
import KBIndex

/// `kb eval gaps`: clustering quality against gold intents, answered-or-not AUROC on the
/// drop-half known-item test, and speed.
struct EvalGaps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "Score gap clustering (NMI, ARI, accuracy) and answered-or-not detection (AUROC).")

    @Option(help: ArgumentHelp("Labelled questions CSV (text,category), e.g. ../shared/data/banking77/train.csv.", valueName: "file"))
    var intents: String?

    @Option(help: ArgumentHelp("Known-item TSV (query<TAB>article path) for the answered-or-not test.", valueName: "file"))
    var queries: String?

    @OptionGroup var kb: KnowledgeBaseOptions

    @Option(help: ArgumentHelp("Index built from --kb for the answered-or-not test.", valueName: "path"))
    var db: String = "kb/eval-index.sqlite"

    @Option(help: ArgumentHelp("Seeds for the random half of articles dropped (comma-separated).", valueName: "list"))
    var seeds: String = "1,2,3"

    @Flag(help: "Fit the answered model on the first seed and score it on the others (prints Swift defaults).")
    var fit = false

    @Option(help: ArgumentHelp("Question-vector cache for --intents.", valueName: "path"))
    var cache: String = "kb/cache/eval-gap-vectors.bin"

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if intents == nil && queries == nil { throw ValidationError("Give --intents FILE, --queries FILE, or both.") }
        if seedList.isEmpty { throw ValidationError("--seeds needs at least one integer.") }
    }

    var seedList: [UInt64] { seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        var output: [String: String] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let intents {
            let started = Date()
            let (texts, labels, problems) = try GapsEvaluation.readLabelled(path: intents)
            problems.forEach { printError("eval: skipped \($0)") }
            let s = try GapsEvaluation.clustering(texts: texts, labels: labels, embedder: embedder, cachePath: cache)
            let total = Date().timeIntervalSince(started)
            output["clustering"] = String(decoding: try encoder.encode(s), as: UTF8.self)
            if !json {
                print("kb eval gaps — clustering \(s.questions) questions (\(s.goldIntents) gold intents, not given to the method)")
                print("  NMI \(fmt(s.nmi, 3))  ARI \(fmt(s.ari, 3))  accuracy \(fmt(s.accuracy, 3))  topics \(s.topics)  outliers \(fmt(s.outlierShare * 100, 1)) %")
                print("  clustered only: NMI \(fmt(s.nmiClustered, 3))  ARI \(fmt(s.ariClustered, 3))")
                print("  threshold cos \(fmt(s.similarityThreshold, 3)), minimum topic size \(s.minimumTopicSize)")
                print("  speed: embedded \(s.embedded) in \(fmt(s.embedSeconds)) s, clustered in \(fmt(s.clusterSeconds)) s, total \(fmt(total)) s, peak RSS \(fmt(ResourceUsage.peakResidentMB(), 0)) MB")
            }
        }
        if let queries {
            let report = try IndexWriter(path: db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder).update(root: kb.url)
            printError("eval: index \(db): \(report.articleFiles) articles, \(report.chunksWritten) chunks written")
            let (pairs, problems) = try RetrievalEval.readQueries(path: queries)
            problems.forEach { printError($0) }
            let searcher = try Searcher(path: db, embedder: embedder)
            try searcher.loadKeywordIndex()
            var runs: [(seed: UInt64, signals: [AnswerSignals], positive: [Bool], dropped: Int)] = []
            for seed in seedList {
                let r = try GapsEvaluation.answeredSignals(searcher: searcher, embedder: embedder, pairs: pairs, seed: seed)
                runs.append((seed, r.signals, r.positive, r.dropped))
            }
            var answeredModel = AnsweredModel.fitted
            if fit {
                answeredModel = GapsEvaluation.fit(signals: runs[0].signals, positive: runs[0].positive)
                printError("eval: fitted on seed \(runs[0].seed): weights \(answeredModel.weights.map { fmt($0, 4) }) bias \(fmt(answeredModel.bias, 4)) threshold \(fmt(answeredModel.threshold, 4))")
            }
            var all: [AnsweredScores] = []
            for run in runs {
                let s = GapsEvaluation.answeredScores(signals: run.signals, positive: run.positive, model: answeredModel,
                                                      seed: run.seed, dropped: run.dropped)
                all.append(s)
                if !json {
                    let note = fit && run.seed == runs[0].seed ? " (fit set)" : ""
                    print("answered-or-not, seed \(run.seed)\(note): \(s.answeredQueries) answered / \(s.gapQueries) gap queries, \(s.droppedArticles) articles dropped")
                    print("  AUROC \(fmt(s.auroc, 3)); gaps caught at 95 % answered pass \(fmt(s.caughtAt95 * 100, 1)) % (score ≥ \(fmt(s.thresholdAt95, 3)))")
                    print("  single signals: " + AnswerSignals.names.map { "\($0) \(fmt(s.signalAUROC[$0] ?? 0, 3))" }.joined(separator: ", "))
                }
            }
            output["answered"] = String(decoding: try encoder.encode(all), as: UTF8.self)
            if fit && !json {
                print("AnsweredModel(weights: [\(answeredModel.weights.map { fmt($0, 4) }.joined(separator: ", "))], bias: \(fmt(answeredModel.bias, 4)), threshold: \(fmt(answeredModel.threshold, 4)))")
            }
        }
        if json { print("{" + output.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ",\n") + "}") }
    }
}
