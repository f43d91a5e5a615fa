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

    @Option(
        help: ArgumentHelp(
            "Labelled questions CSV (text,category), e.g. ../shared/data/banking77/train.csv.", valueName: "file"))
    var intents: String?

    @Option(
        help: ArgumentHelp("Known-item TSV (query<TAB>article path) for the answered-or-not test.", valueName: "file"))
    var queries: String?

    @OptionGroup var kb: KnowledgeBaseOptions

    @Option(
        help: ArgumentHelp(
            "Index: built from --kb for --queries (default kb/eval-index.sqlite); searched for --truth (default kb/index.sqlite).",
            valueName: "path"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Labelled tickets (JSON: ticket id → problem label or null, e.g. pipelines/demo/ground-truth.json): runs kb gaps on --tickets-db and scores it.",
            valueName: "file"))
    var truth: String?

    @OptionGroup var ticketStore: TicketStoreOptions

    @Option(
        help: ArgumentHelp(
            "With --truth: a questions file read with the tickets, as the pipeline does (e.g. pipelines/demo/questions.csv).",
            valueName: "file"))
    var questions: String?

    @Option(help: ArgumentHelp("Seeds for the random half of articles dropped (comma-separated).", valueName: "list"))
    var seeds: String = "1,2,3"

    @Option(
        help: ArgumentHelp(
            "With --queries: write each seed's candidate features here (seed-N.jsonl) for the labs in bench/peers.",
            valueName: "dir"))
    var dumpFeatures: String?

    @Option(help: ArgumentHelp("Question-vector cache for --intents.", valueName: "path"))
    var cache: String = Paths.cache("eval-gap-vectors.bin")

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if intents == nil && queries == nil && truth == nil {
            throw ValidationError("Give --intents FILE, --queries FILE or --truth FILE.")
        }
        if seedList.isEmpty { throw ValidationError("--seeds needs at least one integer.") }
    }

    var seedList: [UInt64] {
        seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() async throws {
        let embedder = try model.embedder()
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
                print(
                    "kb eval gaps — clustering \(s.questions) questions (\(s.goldIntents) gold intents, not given to the method)"
                )
                print(
                    "  NMI \(fmt(s.nmi, 3))  ARI \(fmt(s.ari, 3))  accuracy \(fmt(s.accuracy, 3))  topics \(s.topics)  outliers \(fmt(s.outlierShare * 100, 1)) %"
                )
                print("  clustered only: NMI \(fmt(s.nmiClustered, 3))  ARI \(fmt(s.ariClustered, 3))")
                print("  threshold cos \(fmt(s.similarityThreshold, 3)), minimum topic size \(s.minimumTopicSize)")
                print(
                    "  speed: embedded \(s.embedded) in \(fmt(s.embedSeconds)) s, clustered in \(fmt(s.clusterSeconds)) s, total \(fmt(total)) s, peak RSS \(fmt(ResourceUsage.peakResidentMB(), 0)) MB"
                )
            }
        }
        if let queries {
            let db = self.db ?? Paths.sibling("eval-index.sqlite")
            let report = try IndexWriter(path: db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
                .update(root: kb.url)
            printError("eval: index \(db): \(report.articleFiles) articles, \(report.chunksWritten) chunks written")
            let (pairs, problems) = try RetrievalEval.readQueries(path: queries)
            problems.forEach { printError($0) }
            let searcher = try Searcher(path: db, embedder: embedder, keywordIndex: true)
            let vectors = try embedder.embed(pairs.map(\.query))
            var all: [AnsweredScores] = []
            let pseudoQuestionEmbedder = RememberingEmbedder(base: embedder)
            for seed in seedList {
                let s = try GapsEvaluation.answered(
                    searcher: searcher, embedder: pseudoQuestionEmbedder, pairs: pairs,
                    vectors: vectors, seed: seed, featureDump: dumpFeatures)
                all.append(s)
                if !json {
                    print(
                        "answered-or-not, seed \(seed): \(s.answeredQueries) answered / \(s.gapQueries) gap queries, \(s.droppedArticles) articles dropped; the KB's own test fitted on \(s.pseudoQuestions) pseudo-questions (self-check AUROC \(fmt(s.selfAUROC, 3)))"
                    )
                    print(
                        "  AUROC \(fmt(s.auroc, 3)); gaps caught at 95 % answered pass \(fmt(s.caughtAt95 * 100, 1)) %   (max cosine: AUROC \(fmt(s.cosineAUROC, 3)), caught \(fmt(s.cosineCaughtAt95 * 100, 1)) %)"
                    )
                    print(
                        "  at the KB's own threshold \(fmt(s.threshold, 3)): \(fmt(s.gapsCalledAnswered * 100, 1)) % of gaps called answered, \(fmt(s.answeredCalledGaps * 100, 1)) % of answered called gaps"
                    )
                }
            }
            if !json, all.count > 1 {
                func mean(_ f: (AnsweredScores) -> Double) -> String {
                    fmt(all.map(f).reduce(0, +) / Double(all.count), 3)
                }
                print(
                    "mean over \(all.count) seeds: AUROC \(mean(\.auroc)), caught \(mean(\.caughtAt95)); max cosine AUROC \(mean(\.cosineAUROC)), caught \(mean(\.cosineCaughtAt95)); ceiling AUROC \(fmt(all[0].ceilingAUROC, 3)) (\(all[0].duplicateQueries) queries whose text is another target article's)"
                )
            }
            output["answered"] = String(decoding: try encoder.encode(all), as: UTF8.self)
        }
        if let truth {
            let labels = try GapsTruthScores.readTruth(path: truth)
            let runner = GapsRunner(embedder: embedder, indexPath: db ?? Paths.index, cachePath: cache)
            let tickets = GapsSource.ticketStore(path: ticketStore.db)
            let result = try runner.run(
                source: questions.map { .combined([tickets, .questions(path: $0, textColumn: nil, timeColumn: nil)]) }
                    ?? tickets)
            let s = GapsTruthScores(questions: result.questions, outcomes: result.outcomes, truth: labels)
            output["truth"] = String(decoding: try encoder.encode(s), as: UTF8.self)
            if !json {
                print(
                    "kb gaps against \(truth): \(result.questions.count) tickets, threshold \(fmt(result.report.answeredThreshold, 3))"
                        + ", \(result.stats.citedTickets) article-citing tickets, \(result.stats.answeredTopics) topics called answered"
                )
                print(
                    "  gap tickets in a gap topic: \(s.gapTicketsInTopic) of \(s.gapTickets) (\(fmt(s.gapRecall * 100, 1)) %)"
                )
                print(
                    "  covered tickets answered: \(s.coveredTicketsAnswered) of \(s.coveredTickets) (\(fmt(s.coveredAnswered * 100, 1)) %)"
                )
                print(
                    "  gap problems in one topic: \(s.gapProblemsInOneTopic) of \(s.gapProblems); topics mixing two gap problems: \(s.topicsMixingProblems)"
                )
                for p in s.problems {
                    print(
                        "  \(p.covered ? "covered" : "gap    ") \(p.label): \(p.tickets) tickets, \(p.answered) answered, \(p.inTopics) in topics \(p.topics) (main \(p.mainTopic.map(String.init) ?? "-"): \(p.inMainTopic))"
                    )
                }
            }
        }
        if json {
            print(
                "{" + output.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ",\n")
                    + "}")
        }
    }
}
