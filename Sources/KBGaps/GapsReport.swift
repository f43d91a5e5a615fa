import Foundation
import KBClustering
import KBEmbedding
import KBIndex
import KBSupport

/// One unanswered topic.
public struct GapTopic: Sendable, Codable, Equatable {
    public var id: Int
    /// A representative phrasing of the topic (``TopicTitle``): what a KB manager reads first.
    /// Reports written before it existed decode with the label as title.
    public var title: String
    /// Top key phrases joined with " · " (class-based TF-IDF).
    public var label: String
    public var keyPhrases: [String]
    /// Number of unanswered questions in the topic.
    public var volume: Int
    /// `volume` over all questions read.
    public var share: Double
    public var trend: Trend
    /// Up to three redacted questions, the most central first.
    public var examples: [String]
    /// The article most often found as best (but insufficient) hit, if any: a near miss.
    public var nearestArticle: String?
    /// Command that opens a draft for this topic.
    public var draftCommand: String
}

extension GapTopic {
    enum CodingKeys: String, CodingKey {
        case id, title, label, keyPhrases, volume, share, trend, examples, nearestArticle, draftCommand
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let label = try c.decode(String.self, forKey: .label)
        self.init(
            id: try c.decode(Int.self, forKey: .id), title: try c.decodeIfPresent(String.self, forKey: .title) ?? label,
            label: label, keyPhrases: try c.decode([String].self, forKey: .keyPhrases),
            volume: try c.decode(Int.self, forKey: .volume), share: try c.decode(Double.self, forKey: .share),
            trend: try c.decode(Trend.self, forKey: .trend), examples: try c.decode([String].self, forKey: .examples),
            nearestArticle: try c.decodeIfPresent(String.self, forKey: .nearestArticle),
            draftCommand: try c.decode(String.self, forKey: .draftCommand))
    }
}

/// Questions that found an article but whose ticket still went badly.
public struct WeaklyAnswered: Sendable, Codable, Equatable {
    public var article: String
    public var count: Int
    public var examples: [String]
}

/// The whole `kb gaps` report.
public struct GapsReport: Sendable, Codable, Equatable {
    public var generatedAt: Date
    public var source: String
    public var questions: Int
    public var answered: Int
    public var unanswered: Int
    public var outliers: Int
    public var weaklyAnswered: [WeaklyAnswered]
    public var window: [String]
    public var topics: [GapTopic]
    public var clustering: Clustering.Summary
    public var answeredThreshold: Double
    public var problems: [String]
}

extension Clustering {
    /// The data-derived parameters, for the report.
    public struct Summary: Sendable, Codable, Equatable {
        public var backgroundMean: Double
        public var backgroundStd: Double
        public var similarityThreshold: Double
        public var minimumTopicSize: Int
        public var topics: Int
        public var outlierShare: Double
    }

    public var summary: Summary {
        Summary(
            backgroundMean: backgroundMean, backgroundStd: backgroundStd, similarityThreshold: similarityThreshold,
            minimumTopicSize: minimumTopicSize, topics: topicCount, outlierShare: outlierShare)
    }
}

/// Per-question outcome, aligned with the questions given to ``GapsAnalyzer/analyze``.
public enum QuestionOutcome: Sendable, Equatable {
    case answered(score: Double)
    case topic(Int, score: Double?)
    case outlier(score: Double?)

    /// `topic` column of the assignments CSV.
    public var topicColumn: String {
        switch self {
        case .answered: return "answered"
        case .topic(let t, _): return String(t)
        case .outlier: return "-1"
        }
    }

    public var score: Double? {
        switch self {
        case .answered(let s): return s
        case .topic(_, let s), .outlier(let s): return s
        }
    }
}

/// Builds the report from questions, their vectors and their answered verdicts; no I/O.
public struct GapsAnalyzer: Sendable {
    public var clusterer: TopicClusterer
    public var labeler: TopicLabeler
    /// Where the last clustering is kept with the fingerprint of its input (the unanswered
    /// questions' texts and vectors, and the options): a rerun whose unanswered set did not
    /// change (one article edited, nothing it answers) reuses it instead of clustering again.
    public var clusterCachePath: String?

    public init(clusterer: TopicClusterer = TopicClusterer(options: .gapTopics), labeler: TopicLabeler = TopicLabeler())
    {
        self.clusterer = clusterer
        self.labeler = labeler
    }

    struct CachedClustering: Codable {
        var key: String
        var clustering: Clustering
    }

    /// `clusterer.cluster(vectors)`, or the cached result for exactly this input. The cache is
    /// only a saving: one that cannot be read is recomputed, one that cannot be written is
    /// recomputed next run, so neither is an error.
    func cluster(texts: [String], vectors: [[Float]]) -> Clustering {
        var h = ContentHash()
        h.add(bitsOf: vectors)
        let key = MiniLMEmbedder.textHash(texts.joined(separator: "\u{1}") + "\(clusterer.options)") + h.compactHex
        if let path = clusterCachePath, let data = FileManager.default.contents(atPath: path),
            let cached = try? JSONDecoder().decode(CachedClustering.self, from: data), cached.key == key
        {
            return cached.clustering
        }
        let clustering = clusterer.cluster(vectors)
        if let path = clusterCachePath,
            let data = try? JSONEncoder().encode(CachedClustering(key: key, clustering: clustering))
        {
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        return clustering
    }

    /// `answers[i]` is nil when no KB was searched (every question then counts as unanswered).
    public func analyze(
        questions: [Question], vectors: [[Float]], answers: [AnswerScore?], source: String,
        threshold: Double, problems: [String] = [], asOf: Date? = nil, maxWeeks: Int? = nil,
        now: Date = Date()
    )
        -> (report: GapsReport, outcomes: [QuestionOutcome])
    {
        let open = questions.indices.filter { !(answers[$0]?.answered ?? false) }
        let clustering = cluster(texts: open.map { questions[$0].text }, vectors: open.map { vectors[$0] })
        let members = clustering.members
        let labels = labeler.labels(
            texts: open.map { questions[$0].text }, assignments: clustering.assignments,
            topicCount: clustering.topicCount)
        let weeks = Trend.window(questions.compactMap(\.date), asOf: asOf, maxWeeks: maxWeeks)
        var topics: [GapTopic] = []
        for t in 0..<clustering.topicCount {
            let local = members[t]
            let global = local.map { open[$0] }
            let centroid = clustering.centroids[t]
            let ranked = local.sorted {
                VectorProducts.dot(vectors[open[$0]], centroid) > VectorProducts.dot(vectors[open[$1]], centroid)
            }
            var examples: [String] = []
            for i in ranked where examples.count < 3 {
                let text = questions[open[i]].text
                if !examples.contains(text) { examples.append(text) }
            }
            let near = Dictionary(grouping: global.compactMap { answers[$0]?.bestArticle }, by: { $0 })
                .max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }?.key
            topics.append(
                GapTopic(
                    id: t, title: TopicTitle.title(centralFirst: ranked.map { questions[open[$0]].text }),
                    label: labels[t].label, keyPhrases: labels[t].keyPhrases, volume: local.count,
                    share: questions.isEmpty ? 0 : Double(local.count) / Double(questions.count),
                    trend: Trend(periods: weeks, dates: global.compactMap { questions[$0].date }), examples: examples,
                    nearestArticle: near,
                    draftCommand: "kb drafts (mines resolved tickets on this topic; then kb review list)"))
        }
        var outcomes = [QuestionOutcome](repeating: .outlier(score: nil), count: questions.count)
        for i in questions.indices where answers[i]?.answered == true {
            outcomes[i] = .answered(score: answers[i]!.score)
        }
        for (local, i) in open.enumerated() {
            let t = clustering.assignments[local]
            outcomes[i] = t >= 0 ? .topic(t, score: answers[i]?.score) : .outlier(score: answers[i]?.score)
        }
        let weak = Dictionary(
            grouping: questions.indices.filter {
                questions[$0].troubled && (questions[$0].citedArticle != nil || answers[$0]?.answered == true)
            }
        ) {
            questions[$0].citedArticle ?? answers[$0]?.bestArticle ?? "(no article)"
        }.map {
            WeaklyAnswered(
                article: $0.key, count: $0.value.count, examples: Array($0.value.prefix(3).map { questions[$0].text }))
        }
        .sorted { ($0.count, $1.article) > ($1.count, $0.article) }
        let answeredCount = questions.indices.filter { answers[$0]?.answered == true }.count
        let report = GapsReport(
            generatedAt: now, source: source, questions: questions.count, answered: answeredCount,
            unanswered: open.count, outliers: clustering.assignments.filter { $0 < 0 }.count, weaklyAnswered: weak,
            window: weeks.map(\.label), topics: topics, clustering: clustering.summary,
            answeredThreshold: threshold, problems: problems)
        return (report, outcomes)
    }
}
