import Foundation
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
    /// Number of article-citing tickets the answered threshold was recalibrated on (0: stored threshold).
    public var calibratedOn = 0
}

/// The whole `kb gaps` flow: read → embed (cached) → search the published KB → cluster the
/// unanswered → report. The command only parses options and calls this.
public struct GapsRunner {
    public var embedder: MiniLMEmbedder
    public var indexPath: String?
    public var cachePath: String?
    public var model: AnsweredModel
    public var analyzer: GapsAnalyzer
    /// End of the report window (default: the latest question) and its length in weeks.
    public var asOf: Date?
    public var maxWeeks: Int?

    public init(embedder: MiniLMEmbedder, indexPath: String?, cachePath: String?, model: AnsweredModel = .fitted,
                analyzer: GapsAnalyzer = GapsAnalyzer()) {
        self.embedder = embedder
        self.indexPath = indexPath
        self.cachePath = cachePath
        self.model = model
        self.analyzer = analyzer
    }

    /// Cited tickets needed before the threshold is recalibrated in-domain.
    public static let minimumCitedForCalibration = 20

    public struct Result {
        public var report: GapsReport
        public var outcomes: [QuestionOutcome]
        public var questions: [Question]
        public var rows: Int
        public var stats: GapsRunStats
    }

    public func run(source: GapsSource, now: Date = Date()) throws -> Result {
        let read = try Self.read(source)
        return try finish(questions: read.questions, problems: read.problems, rows: read.rows, source: read.name, now: now)
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

    func finish(questions: [Question], problems: [QuestionReadError], rows: Int, source: String, now: Date) throws -> Result {
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
        if let indexPath {
            let searcher = try Searcher(path: indexPath, embedder: embedder)
            if questions.count > 50 { try searcher.loadKeywordIndex() }
            let search = KBAnswerSearch(searcher: searcher)
            // Questions without words cannot be searched: they stay unjudged (unanswered).
            let searchable = questions.indices.filter { !texts[$0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            let evidence = try search.evidence(questions: searchable.map { texts[$0] }, vectors: searchable.map { vectors[$0] })
            for (i, e) in zip(searchable, evidence) { answers[i] = model.judge(question: texts[i], articles: e) }
        }
        // In-domain calibration: tickets whose resolution cites an article are known answered
        // questions of this help center; with enough of them, the threshold becomes the score
        // that lets 95 % of them pass (the stored threshold was measured on another KB).
        var threshold = model.threshold
        let cited = questions.indices.compactMap { questions[$0].citedArticle != nil ? answers[$0]?.score : nil }.sorted()
        if cited.count >= Self.minimumCitedForCalibration {
            threshold = cited[Int(Double(cited.count) * 0.05)]
            for i in answers.indices where answers[i] != nil { answers[i]!.answered = answers[i]!.score >= threshold }
        }
        stats.calibratedOn = cited.count >= Self.minimumCitedForCalibration ? cited.count : 0
        stats.searchSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        var analyzer = analyzer
        if analyzer.clusterCachePath == nil, let cachePath { analyzer.clusterCachePath = cachePath + ".clusters.json" }
        let (report, outcomes) = analyzer.analyze(questions: questions, vectors: vectors, answers: answers, source: source,
                                                  threshold: threshold, problems: problems.map(\.description),
                                                  asOf: asOf, maxWeeks: maxWeeks, now: now)
        stats.clusterSeconds = Date().timeIntervalSince(clock)
        return Result(report: report, outcomes: outcomes, questions: questions, rows: rows, stats: stats)
    }
}
