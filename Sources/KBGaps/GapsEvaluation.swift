import Foundation
import KBClustering
import KBEmbedding
import KBIndex
import KBSupport
import KBTickets
import Synchronization

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

/// Answered-or-not quality on the drop-half known-item test, for one seed.
public struct AnsweredScores: Sendable, Codable {
    public var seed: UInt64
    public var queries: Int
    public var answeredQueries: Int
    public var gapQueries: Int
    public var droppedArticles: Int
    /// The KB's own answered test, fitted with the dropped half hidden and no label of the test.
    public var auroc: Double
    /// Share of gaps caught while 95 % of answered questions pass.
    public var caughtAt95: Double
    /// At the threshold the KB's own fit chose: gaps called answered, answered called gaps.
    public var threshold: Double
    public var gapsCalledAnswered: Double
    public var answeredCalledGaps: Double
    /// The plain baseline: best chunk cosine of the kept articles.
    public var cosineAUROC: Double
    public var cosineCaughtAt95: Double
    public var pseudoQuestions: Int
    public var selfAUROC: Double
    /// Queries whose text is also another target article's query (repeated descriptions): no
    /// text-only score can tell answered from gap there; the ceiling scores them as coin flips.
    public var duplicateQueries: Int
    public var ceilingAUROC: Double
}

/// `kb eval gaps`: the two measurements of docs/GAPS.md.
public enum GapsEvaluation {
    /// Reads `text` and `label` columns of a labelled CSV (e.g. BANKING77 `text,category`).
    public static func readLabelled(
        path: String, textColumn: String = "text", labelColumn: String = "category"
    ) throws
        -> (texts: [String], labels: [String], problems: [String])
    {
        let records = try QuestionCSV.records(path: path)
        let header = records.first?.fields.map { $0.lowercased() } ?? []
        guard let ti = header.firstIndex(of: textColumn) else {
            throw QuestionFileError.missingColumn(file: path, column: textColumn, header: header)
        }
        guard let li = header.firstIndex(of: labelColumn) else {
            throw QuestionFileError.missingColumn(file: path, column: labelColumn, header: header)
        }
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

    public static func clustering(
        texts: [String], labels: [String], embedder: MiniLMEmbedder, cachePath: String?,
        clusterer: TopicClusterer = TopicClusterer(options: .gapTopics)
    ) throws -> ClusteringScores {
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
        var rng = SplitMix(seed: seed)
        let distinct = Array(Set(articles)).sorted().shuffled(using: &rng)
        return Set(distinct.prefix(distinct.count / 2))
    }

    /// The drop-half test for `seed`: the KB's own answered test is fitted on the index with the
    /// dropped half hidden (as if those articles had never been written), with no label of the
    /// test, then every query is scored by it, next to the best cosine (the plain baseline).
    /// `embedder` embeds the fit's pseudo-questions (a ``RememberingEmbedder`` shared by the seeds
    /// of one evaluation embeds each text once). With `featureDump`, each seed's features are
    /// written there for the labs (``AnswerLab``).
    public static func answered(
        searcher loaded: Searcher, embedder: any TextEmbedder, pairs: [(query: String, article: String)],
        vectors: [[Float]], seed: UInt64, featureDump: String? = nil
    ) throws -> AnsweredScores {
        let dropped = droppedHalf(of: pairs.map(\.article), seed: seed)
        let detector = try AnswerCalibration.fit(
            searcher: loaded, embedder: embedder, audience: .all, excluded: dropped)
        let searcher = loaded.using(detector: detector)
        var options = SearchOptions(mode: .hybrid, top: AnswerCalibration.depth, audience: .all)
        options.excludedArticles = dropped
        let hits = try searcher.searchBatch(pairs.map(\.query), vectors: vectors, options: options)
        if let featureDump {
            try AnswerLab.dump(
                to: featureDump, searcher: searcher, embedder: embedder, audience: .all, excluded: dropped,
                queries: pairs.map(\.query),
                articles: pairs.map(\.article),
                vectors: vectors, positive: pairs.map { !dropped.contains($0.article) }, seed: seed)
        }
        let score = hits.map { h in h.compactMap(\.answerScore).reduce(0, +) }
        let cosine = hits.map { h in h.compactMap(\.semanticScore).max() ?? 0 }
        let positive = pairs.map { !dropped.contains($0.article) }
        let threshold = detector?.threshold ?? 1
        let caught = GapMetrics.caught(scores: score, positive: positive)
        let gaps = positive.filter { !$0 }.count, answered = positive.count - gaps
        // Ceiling: a query whose text belongs to several target articles scores the same whether
        // its own article was kept or dropped, so at best half of those pairs are ordered right.
        let articlesOfText = Dictionary(grouping: pairs, by: \.query).mapValues { Set($0.map(\.article)) }
        let ambiguous = pairs.map { (articlesOfText[$0.query]?.count ?? 1) > 1 }
        let ceiling = GapMetrics.auroc(
            scores: pairs.indices.map { ambiguous[$0] ? 0.5 : (positive[$0] ? 1 : 0) }, positive: positive)
        return AnsweredScores(
            seed: seed, queries: pairs.count, answeredQueries: answered, gapQueries: gaps,
            droppedArticles: dropped.count,
            auroc: GapMetrics.auroc(scores: score, positive: positive), caughtAt95: caught.share, threshold: threshold,
            gapsCalledAnswered: Double(zip(score, positive).filter { !$0.1 && $0.0 >= threshold }.count)
                / Double(max(gaps, 1)),
            answeredCalledGaps: Double(zip(score, positive).filter { $0.1 && $0.0 < threshold }.count)
                / Double(max(answered, 1)),
            cosineAUROC: GapMetrics.auroc(scores: cosine, positive: positive),
            cosineCaughtAt95: GapMetrics.caught(scores: cosine, positive: positive).share,
            pseudoQuestions: detector?.pseudoQuestions ?? 0, selfAUROC: detector?.selfAUROC ?? 0,
            duplicateQueries: ambiguous.filter { $0 }.count, ceilingAUROC: ceiling)
    }
}

/// Embeddings kept by text for the length of one evaluation: the pseudo-questions of each
/// seed's fit are mostly the same texts.
public final class RememberingEmbedder: TextEmbedder {
    let base: any TextEmbedder
    private let memory = Mutex<[String: [Float]]>([:])

    public init(base: any TextEmbedder) { self.base = base }

    public var modelHash: String { base.modelHash }
    public var dimension: Int { base.dimension }

    public func embed(_ texts: [String]) throws -> [[Float]] {
        let missing = memory.withLock { m in Array(Set(texts.filter { m[$0] == nil })) }
        if !missing.isEmpty {
            let fresh = try base.embed(missing)
            memory.withLock { m in for (t, v) in zip(missing, fresh) { m[t] = v } }
        }
        return memory.withLock { m in texts.map { m[$0] ?? [] } }
    }

    public func embed(_ texts: [String], progress: @escaping @Sendable (Int, Int) -> Void) throws -> [[Float]] {
        let out = try embed(texts)
        progress(texts.count, texts.count)
        return out
    }
}
