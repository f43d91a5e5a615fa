import Foundation
import KBEmbedding
import KBIndex

/// Clustering quality against gold intents (the method never sees the labels or their number).
public struct ClusteringScores: Sendable, Codable {
    public var questions: Int
    public var goldIntents: Int
    public var topics: Int
    public var outlierShare: Double
    /// Outliers counted as one more cluster (strict).
    public var nmi: Double
    public var ari: Double
    public var accuracy: Double
    /// The same three on clustered questions only.
    public var nmiClustered: Double
    public var ariClustered: Double
    public var similarityThreshold: Double
    public var minimumTopicSize: Int
    public var embedSeconds: Double
    public var clusterSeconds: Double
    public var embedded: Int
}

/// Answered-or-not quality on the drop-half known-item test.
public struct AnsweredScores: Sendable, Codable {
    public var queries: Int
    public var answeredQueries: Int
    public var gapQueries: Int
    public var droppedArticles: Int
    public var seed: UInt64
    public var auroc: Double
    /// Share of gaps caught while 95 % of answered questions pass, and that score threshold.
    public var caughtAt95: Double
    public var thresholdAt95: Double
    /// AUROC of each signal alone (higher = more likely answered).
    public var signalAUROC: [String: Double]
    public var model: AnsweredModel
}

/// `kb eval gaps`: the two measurements of docs/GAPS.md.
public enum GapsEvaluation {
    /// Reads `text` and `label` columns of a labelled CSV (e.g. BANKING77 `text,category`).
    public static func readLabelled(path: String, textColumn: String = "text", labelColumn: String = "category") throws
        -> (texts: [String], labels: [String], problems: [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        let records = CSVRecords.parse(String(decoding: data, as: UTF8.self), separator: ",")
        let header = records.first?.fields.map { $0.lowercased() } ?? []
        guard let ti = header.firstIndex(of: textColumn) else { throw QuestionFileError.missingColumn(file: path, column: textColumn, header: header) }
        guard let li = header.firstIndex(of: labelColumn) else { throw QuestionFileError.missingColumn(file: path, column: labelColumn, header: header) }
        var texts: [String] = [], labels: [String] = [], problems: [String] = []
        for r in records.dropFirst() {
            guard r.problem == nil, r.fields.count == header.count, !r.fields[ti].isEmpty else {
                problems.append("\(path):\(r.line): \(r.problem ?? "bad row")")
                continue
            }
            texts.append(r.fields[ti])
            labels.append(r.fields[li])
        }
        return (texts, labels, problems)
    }

    public static func clustering(texts: [String], labels: [String], embedder: MiniLMEmbedder, cachePath: String?,
                                  clusterer: TopicClusterer = TopicClusterer(options: .gapTopics)) throws -> ClusteringScores {
        var clock = Date()
        let vectors: [[Float]], embedded: Int
        if let cachePath {
            var cache = QuestionVectorCache(path: cachePath, modelHash: embedder.modelHash)
            (vectors, embedded) = try cache.vectors(for: texts, embedder: embedder)
            try cache.save()
        } else {
            vectors = try embedder.embed(texts)
            embedded = texts.count
        }
        let embedSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        let c = clusterer.cluster(vectors)
        let clusterSeconds = Date().timeIntervalSince(clock)
        let kept = c.assignments.indices.filter { c.assignments[$0] >= 0 }
        return ClusteringScores(
            questions: texts.count, goldIntents: Set(labels).count, topics: c.topicCount, outlierShare: c.outlierShare,
            nmi: GapMetrics.nmi(labels, c.assignments), ari: GapMetrics.ari(labels, c.assignments),
            accuracy: GapMetrics.clusterAccuracy(labels, c.assignments),
            nmiClustered: GapMetrics.nmi(kept.map { labels[$0] }, kept.map { c.assignments[$0] }),
            ariClustered: GapMetrics.ari(kept.map { labels[$0] }, kept.map { c.assignments[$0] }),
            similarityThreshold: c.similarityThreshold, minimumTopicSize: c.minimumTopicSize,
            embedSeconds: embedSeconds, clusterSeconds: clusterSeconds, embedded: embedded)
    }

    /// The articles to drop: a seeded random half of the distinct target articles.
    public static func droppedHalf(of articles: [String], seed: UInt64) -> Set<String> {
        var rng = SeededGenerator(seed: seed)
        let distinct = Array(Set(articles)).sorted().shuffled(using: &rng)
        return Set(distinct.prefix(distinct.count / 2))
    }

    /// Signals of every query with the dropped half hidden; `positive` = its article was kept.
    public static func answeredSignals(searcher: Searcher, embedder: MiniLMEmbedder, pairs: [(query: String, article: String)],
                                       seed: UInt64) throws -> (signals: [AnswerSignals], positive: [Bool], dropped: Int) {
        let dropped = droppedHalf(of: pairs.map(\.article), seed: seed)
        let search = KBAnswerSearch(searcher: searcher, excluded: dropped, audience: .all)
        let vectors = try embedder.embed(pairs.map(\.query))
        let evidence = try search.evidence(questions: pairs.map(\.query), vectors: vectors)
        let signals = zip(pairs, evidence).map { AnsweredModel.signals(question: $0.query, articles: $1) }
        return (signals, pairs.map { !dropped.contains($0.article) }, dropped.count)
    }

    public static func answeredScores(signals: [AnswerSignals], positive: [Bool], model: AnsweredModel, seed: UInt64,
                                      dropped: Int) -> AnsweredScores {
        let scores = signals.map(model.score)
        let caught = GapMetrics.caught(scores: scores, positive: positive, passRate: 0.95)
        var perSignal: [String: Double] = [:]
        for (j, name) in AnswerSignals.names.enumerated() {
            perSignal[name] = GapMetrics.auroc(scores: signals.map { $0.features[j] }, positive: positive)
        }
        return AnsweredScores(queries: signals.count, answeredQueries: positive.filter { $0 }.count,
                              gapQueries: positive.filter { !$0 }.count, droppedArticles: dropped, seed: seed,
                              auroc: GapMetrics.auroc(scores: scores, positive: positive), caughtAt95: caught.share,
                              thresholdAt95: caught.threshold, signalAUROC: perSignal, model: model)
    }

    /// Fits the logistic model on `signals` and sets its threshold to let 95 % of answered pass.
    public static func fit(signals: [AnswerSignals], positive: [Bool]) -> AnsweredModel {
        let (w, b) = LogisticFit.fit(x: signals.map(\.features), y: positive)
        var model = AnsweredModel(weights: w, bias: b, threshold: 0.5)
        model.threshold = GapMetrics.caught(scores: signals.map(model.score), positive: positive).threshold
        return model
    }
}

/// SplitMix64: a small, seedable generator so the dropped half is reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
