import Foundation
import KBClustering
import KBEmbedding
import KBIndex
import KBTickets

/// Where `kb gaps` reads its questions from.
public enum GapsSource: Sendable {
    /// A CSV/JSONL file of questions (search logs, exports).
    case questions(path: String, textColumn: String?, timeColumn: String?)
    /// A tickets file in format v1 (subject + first customer message).
    case tickets(path: String)
    /// The ticket store written by `kb tickets import`.
    case ticketStore(path: String)
    /// Several sources read one after another as one set of questions (ticket questions
    /// and a search log, say).
    indirect case combined([GapsSource])
}

/// Timings and counts of one run, for `kb bench`-style figures.
public struct GapsRunStats: Sendable, Codable {
    public var questions = 0
    public var embedded = 0
    public var embedSeconds = 0.0
    public var searchSeconds = 0.0
    public var clusterSeconds = 0.0
    /// Tickets whose resolution cites an article (answered whatever their text scores).
    public var citedTickets = 0
    /// Topics of all judged questions that the majority vote called answered.
    public var answeredTopics = 0
    /// The answered test used, and whether it was fitted by this run (an index without one stored).
    public var detector: AnswerDetector?
    public var detectorFittedHere = false
}

/// The whole `kb gaps` flow: read → embed (cached) → search the published KB → cluster the
/// unanswered → report. The command only parses options and calls this.
public struct GapsRunner {
    public var embedder: MiniLMEmbedder
    public var indexPath: String?
    public var cachePath: String?
    public var analyzer: GapsAnalyzer
    /// End of the report window (default: the latest question) and its length in weeks.
    public var asOf: Date?
    public var maxWeeks: Int?

    public init(
        embedder: MiniLMEmbedder, indexPath: String?, cachePath: String?, analyzer: GapsAnalyzer = GapsAnalyzer()
    ) {
        self.embedder = embedder
        self.indexPath = indexPath
        self.cachePath = cachePath
        self.analyzer = analyzer
    }

    public struct Result: Sendable {
        public var report: GapsReport
        public var outcomes: [QuestionOutcome]
        public var questions: [Question]
        public var rows: Int
        public var stats: GapsRunStats
    }

    public func run(source: GapsSource, now: Date = Date()) throws -> Result {
        let read = try Self.read(source)
        return try finish(
            questions: read.questions, problems: read.problems, rows: read.rows, source: read.name, now: now)
    }

    struct ReadQuestions {
        var questions: [Question] = []
        var problems: [QuestionReadError] = []
        var rows = 0
        var name = ""
    }

    static func read(_ source: GapsSource) throws -> ReadQuestions {
        switch source {
        case .questions(let path, let text, let time):
            let read = try QuestionReader(textColumn: text, timeColumn: time).read(path: path)
            // Search-box questions are redacted too before they reach a report.
            let redactor = Redactor()
            let redacted = read.questions.map { q -> Question in
                var q = q
                q.text = redactor.redact(q.text)
                return q
            }
            return ReadQuestions(questions: redacted, problems: read.problems, rows: read.rows, name: path)
        case .tickets(let path):
            let read = try TicketQuestions.read(path: path)
            return ReadQuestions(questions: read.questions, problems: read.problems, rows: read.rows, name: path)
        case .ticketStore(let path):
            let read = try StoredTicketQuestions.read(path: path)
            return ReadQuestions(questions: read.questions, problems: read.problems, rows: read.rows, name: path)
        case .combined(let parts):
            var all = ReadQuestions()
            for part in parts {
                let r = try read(part)
                all.questions += r.questions
                all.problems += r.problems
                all.rows += r.rows
                all.name += (all.name.isEmpty ? "" : " + ") + r.name
            }
            return all
        }
    }

    func finish(
        questions: [Question], problems: [QuestionReadError], rows: Int, source: String, now: Date
    ) throws -> Result {
        var stats = GapsRunStats()
        stats.questions = questions.count
        var clock = Date()
        let texts = questions.map(\.text)
        let vectors: [[Float]]
        if let cachePath {
            var cache = QuestionVectorCache(path: cachePath, modelHash: embedder.modelHash)
            let got = try cache.vectors(for: texts, embedder: embedder)
            try cache.save()
            vectors = got.vectors
            stats.embedded = got.computed
        } else {
            vectors = try embedder.embed(texts)
            stats.embedded = texts.count
        }
        stats.embedSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        var answers = [AnswerScore?](repeating: nil, count: questions.count)
        var threshold = 1.0
        var searcherUsed: Searcher?
        if let indexPath {
            var searcher = try Searcher(path: indexPath, embedder: embedder, keywordIndex: questions.count > 50)
            if searcher.detector == nil {
                // An index written before the answered test was stored in it: fit it now (not stored).
                searcher = searcher.using(detector: try AnswerCalibration.fit(searcher: searcher, embedder: embedder))
                stats.detectorFittedHere = searcher.detector != nil
            }
            searcherUsed = searcher
            threshold = searcher.detector?.threshold ?? 1
            stats.detector = searcher.detector
            // Questions without words cannot be searched: they stay unjudged (unanswered).
            let searchable = questions.indices.filter {
                !texts[$0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            let options = SearchOptions(mode: .hybrid, top: AnswerCalibration.depth, audience: .external)
            let hits = try searcher.searchBatch(
                searchable.map { texts[$0] }, vectors: searchable.map { vectors[$0] }, options: options)
            for (i, h) in zip(searchable, hits) { answers[i] = AnswerScore(hits: h) }
        }
        // A ticket whose resolution cites an article was answered by it, whatever its text scores.
        for i in answers.indices where questions[i].citedArticle != nil && answers[i] != nil {
            answers[i]!.answered = true
        }
        stats.citedTickets = questions.filter { $0.citedArticle != nil }.count
        stats.searchSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        stats.answeredTopics = Self.decideByTopic(
            questions: questions, vectors: vectors, answers: &answers, clusterer: analyzer.clusterer)
        var analyzer = analyzer
        if analyzer.clusterCachePath == nil, let cachePath { analyzer.clusterCachePath = cachePath + ".clusters.json" }
        var (report, outcomes) = analyzer.analyze(
            questions: questions, vectors: vectors, answers: answers, source: source,
            threshold: threshold, problems: problems.map(\.description),
            asOf: asOf, maxWeeks: maxWeeks, now: now)
        if let searcher = searcherUsed { try Self.nearestArticles(&report, searcher: searcher, embedder: embedder) }
        stats.clusterSeconds = Date().timeIntervalSince(clock)
        return Result(report: report, outcomes: outcomes, questions: questions, rows: rows, stats: stats)
    }

    /// Each topic's nearest article is what `kb search` ranks first for its most central question:
    /// the article an editor would extend, found the way a customer would look for it.
    static func nearestArticles(_ report: inout GapsReport, searcher: Searcher, embedder: MiniLMEmbedder) throws {
        let probes = report.topics.map { $0.examples.first ?? $0.label }
        guard !probes.isEmpty else { return }
        let hits = try searcher.searchBatch(
            probes, vectors: try embedder.embed(probes), options: SearchOptions(mode: .hybrid, top: 1))
        for (t, h) in hits.enumerated() { report.topics[t].nearestArticle = h.first?.articlePath }
    }

    /// Questions that read alike are one problem, answered or not together: all judged questions
    /// are clustered (the same topic rule as the report), and each topic is decided as one:
    ///
    /// 1. where this help desk's agents cite articles (at least ``CitationTest.minimumCitations`` resolved
    ///    tickets do), a topic whose resolved tickets cite one far less often than the desk's own
    ///    rate (binomial lower tail under 5 %) was solved without an article: a gap; one whose
    ///    resolved tickets cite an article at least half the time is answered; a topic in between,
    ///    where some tickets cite and others do not, mixes problems: it is clustered again on its
    ///    own (the background rule then sees only it) and each part decided the same way; in a
    ///    topic called answered, a question whose ``neighbours`` nearest resolved tickets of the
    ///    topic cite far less than the desk's rate is a gap (alike wording, fixed without an article);
    /// 2. otherwise the majority verdict of its members' answered test decides.
    ///
    /// One ticket's wording is a noisy sample of its problem; a dozen of them, and what the agents
    /// did, are not. A ticket that cites an article stays answered; outliers keep their own verdict.
    /// Returns how many topics were called answered.
    static func decideByTopic(
        questions: [Question], vectors: [[Float]], answers: inout [AnswerScore?],
        clusterer: TopicClusterer
    ) -> Int {
        let judged = answers.indices.filter { answers[$0] != nil }
        guard judged.count >= 2 else { return 0 }
        let resolved = questions.filter(\.resolved)
        let citing = resolved.filter { $0.citedArticle != nil }.count
        let citationRate = citing >= CitationTest.minimumCitations ? Double(citing) / Double(resolved.count) : nil
        var answeredTopics = 0
        /// Decides the topics of `rows`; a topic whose citations are mixed (some of its problems
        /// cited, others not) is clustered again on its own and each part decided (once).
        func decide(_ rows: [Int], depth: Int) {
            let clustering = clusterer.cluster(rows.map { vectors[$0] })
            for members in clustering.members where !members.isEmpty {
                let topic = members.map { rows[$0] }
                var answered = topic.filter { answers[$0]!.answered }.count * 2 > topic.count
                let solved = topic.filter { questions[$0].resolved }
                let cited = solved.filter { questions[$0].citedArticle != nil }.count
                if let rate = citationRate, solved.count >= 3 {
                    if CitationTest.binomialLowerTail(cited, solved.count, rate) < 0.05 {
                        answered = false
                    } else if cited * 2 >= solved.count {
                        answered = true
                    } else if depth == 0, cited > 0 {
                        decide(topic, depth: 1)
                        continue
                    }
                }
                if answered { answeredTopics += 1 }
                for i in topic where questions[i].citedArticle == nil { answers[i]!.answered = answered }
                // An answered topic can still hold a problem its agents solved without an article
                // (read alike, fixed otherwise): a question whose nearest resolved tickets in
                // the topic cite far less than the desk does is a gap.
                if answered, let rate = citationRate, cited < solved.count {
                    for i in topic
                    where questions[i].citedArticle == nil && locallyUncited(i, solved: solved, rate: rate) {
                        answers[i]!.answered = false
                    }
                }
            }
        }
        /// Among the `neighbours` resolved tickets of the topic nearest to question `i`, far fewer
        /// cite an article than the desk's rate (binomial lower tail under 5 %).
        func locallyUncited(_ i: Int, solved: [Int], rate: Double) -> Bool {
            let others = solved.filter { $0 != i }
            guard others.count >= 3 else { return false }
            let nearest = others.map { j in (j, VectorProducts.dot(vectors[i], vectors[j])) }
                .sorted { $0.1 > $1.1 }.prefix(neighbours)
            let cited = nearest.filter { questions[$0.0].citedArticle != nil }.count
            return CitationTest.binomialLowerTail(cited, nearest.count, rate) < 0.05
        }
        decide(judged, depth: 0)
        return answeredTopics
    }

    /// Resolved tickets of its topic a question is compared with when its topic mixes cited and
    /// uncited fixes ("what the agents did for the ten most alike tickets").
    public static let neighbours = 10

}
