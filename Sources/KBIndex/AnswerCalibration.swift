import Foundation
import GRDB
import KBEmbedding
import KBSupport

/// Fits a KB's ``AnswerDetector`` on the KB itself, with no labels: every article supplies
/// pseudo-questions (its title, and the first sentence of up to two of its sections), each asked
/// twice through the same hybrid search `kb search` runs:
///
/// - **present**: the article is in the index, minus the chunk the sentence came from (so the
///   question's own words are not found verbatim); its article is the right answer, the other
///   candidates are not;
/// - **left out**: the whole article is hidden, so the KB otherwise covers the product but not
///   this question (a gap); no candidate is the right answer.
///
/// A conditional logit over the candidates' signals ("which candidate is the source, or none?",
/// ``ListwiseFit``) is fitted on those, and the threshold is the
/// score that best separates the present pseudo-questions from the left-out ones. The fit runs
/// when the index is written and is stored in it (`answer_model`).
public enum AnswerCalibration {
    /// Candidate articles judged per question.
    public static let depth = 10
    /// Pseudo-questions used at most (a fixed, content-ordered sample on large help centers).
    public static let maximumQuestions = 1500
    /// Fewer articles than this and no detector is fitted (searches carry no verdict).
    public static let minimumArticles = 4

    struct PseudoQuestion {
        var text: String
        var article: Int
        var chunk: Int?
    }

    /// Fits a detector on `searcher`'s own articles of `audience` (minus `excluded` paths, the
    /// drop-half evaluation). Nil when the KB is too small to learn from.
    public static func fit(
        searcher: Searcher, embedder: any TextEmbedder, audience: Audience = .external,
        excluded: Set<String> = []
    ) throws -> AnswerDetector? {
        var options = SearchOptions(mode: .hybrid, top: depth, audience: audience)
        options.excludedArticles = excluded
        var eligible = Set<Int>()
        for i in searcher.chunks.indices where searcher.allowed(i, options) {
            eligible.insert(searcher.chunks[i].article)
        }
        guard eligible.count >= minimumArticles else { return nil }
        let questions = pseudoQuestions(searcher: searcher, articles: eligible)
        guard questions.count >= minimumArticles else { return nil }
        let vectors = try embedder.embed(questions.map(\.text))
        let present = try searcher.searchBatch(
            questions.map(\.text), vectors: vectors, options: options,
            exclusions: questions.map { SearchExclusion(chunk: $0.chunk) }, judge: false)
        let absent = try searcher.searchBatch(
            questions.map(\.text), vectors: vectors, options: options,
            exclusions: questions.map { SearchExclusion(articles: [$0.article]) }, judge: false)
        let terms = searcher.termWeights
        var presentFeatures: [[[Double]]] = [], absentFeatures: [[[Double]]] = [], answer: [Int?] = []
        for (q, hits) in zip(questions, present) {
            let source = searcher.articles[q.article].path
            presentFeatures.append(
                AnswerDetector.features(query: q.text, hits: hits, terms: terms, words: searcher.candidateWords))
            answer.append(hits.firstIndex { $0.articlePath == source })
        }
        for (q, hits) in zip(questions, absent) {
            absentFeatures.append(
                AnswerDetector.features(query: q.text, hits: hits, terms: terms, words: searcher.candidateWords))
        }
        guard answer.contains(where: { $0 != nil }) else { return nil }
        let (w, b) = ListwiseFit.fit(
            groups: presentFeatures + absentFeatures,
            answer: answer + absentFeatures.map { _ in nil })
        var detector = AnswerDetector(
            weights: w, bias: b, threshold: 0.5, pseudoQuestions: questions.count, articles: eligible.count)
        let answered = presentFeatures.map(detector.score)
        let gaps = absentFeatures.map(detector.score)
        detector.threshold = balancedThreshold(positive: answered, negative: gaps)
        detector.selfAUROC = auroc(
            scores: answered + gaps, positive: answered.map { _ in true } + gaps.map { _ in false })
        return detector
    }

    /// The score that best separates the KB's own answered pseudo-questions from its left-out
    /// ones (most answered passing minus most gaps passing, Youden's J): neither side of the
    /// decision is favoured by a constant.
    static func balancedThreshold(positive: [Double], negative: [Double]) -> Double {
        let candidates = Set(positive + negative).sorted()
        let p = positive.sorted(), n = negative.sorted()
        var best = (j: -1.0, t: 0.5)
        for t in candidates {
            let passP = Double(p.count - lowerBound(p, t)) / Double(max(p.count, 1))
            let passN = Double(n.count - lowerBound(n, t)) / Double(max(n.count, 1))
            if passP - passN > best.j { best = (passP - passN, t) }
        }
        return best.t
    }

    /// Index of the first element ≥ `value` in sorted `a`.
    static func lowerBound(_ a: [Double], _ value: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let mid = (lo + hi) / 2; if a[mid] < value { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// Title and up to two section sentences per article, at most ``maximumQuestions`` in all.
    static func pseudoQuestions(searcher: Searcher, articles: Set<Int>) -> [PseudoQuestion] {
        var byArticle: [Int: [Int]] = [:]
        for (row, c) in searcher.chunks.enumerated() where articles.contains(c.article) {
            byArticle[c.article, default: []].append(row)
        }
        var out: [PseudoQuestion] = []
        for article in articles.sorted() {
            let title = searcher.articles[article].title
            if TermWeights.terms(title).count >= 1 {
                out.append(PseudoQuestion(text: title, article: article, chunk: nil))
            }
            let rows = byArticle[article] ?? []
            guard rows.count > 1 else { continue }
            var picked = 0
            for row in [rows[0], rows[rows.count / 2], rows[rows.count - 1]] where picked < 2 {
                guard let s = firstSentence(searcher.chunks[row].text), !out.contains(where: { $0.text == s }) else {
                    continue
                }
                out.append(PseudoQuestion(text: s, article: article, chunk: row))
                picked += 1
            }
        }
        guard out.count > maximumQuestions else { return out }
        // A fixed sample that does not depend on file order: the smallest content hashes.
        return out.map { (ContentHash.of(Data($0.text.utf8), salt: ""), $0) }.sorted { $0.0 < $1.0 }
            .prefix(maximumQuestions).map(\.1)
    }

    /// The first prose sentence of a chunk's Markdown (5–40 words), markup removed.
    static func firstSentence(_ markdown: String) -> String? {
        var inFence = false
        for raw in markdown.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") || line.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence || line.hasPrefix("#") || line.hasPrefix("|") || line.hasPrefix(":::") || line.hasPrefix("<")
                || line.hasPrefix("{{")
            {
                continue
            }
            line = plain(line)
            for sentence in line.split(omittingEmptySubsequences: true, whereSeparator: { ".?!".contains($0) }) {
                let words = sentence.split(separator: " ")
                if (5...40).contains(words.count) { return words.joined(separator: " ") + "." }
            }
        }
        return nil
    }

    /// Markdown links and images reduced to their text; emphasis, quote and list marks dropped.
    static func plain(_ line: String) -> String {
        var out = ""
        var skipping = 0
        var previous: Character = " "
        for ch in line {
            if skipping > 0 {
                if ch == "(" { skipping += 1 } else if ch == ")" { skipping -= 1 }
                continue
            }
            if ch == "(" && previous == "]" { skipping = 1; continue }
            previous = ch
            if "[]*_`>!".contains(ch) { continue }
            out.append(ch)
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: " -+0123456789.\t"))
    }

    /// Probability that a random positive scores above a random negative (ties count half);
    /// 0.5 when either side is empty. `GapMetrics.auroc` and the fit's self-check use it.
    public static func auroc(scores: [Double], positive: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = r }
            i = j + 1
        }
        let pos = Double(positive.filter { $0 }.count), neg = Double(positive.count) - pos
        guard pos > 0, neg > 0 else { return 0.5 }
        let rankSum = zip(ranks, positive).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (rankSum - pos * (pos + 1) / 2) / (pos * neg)
    }

    // MARK: Storage in the index

    /// The detector stored in the index, if any; one fitted on another set of signals (an older
    /// `kb`) counts as none, so the next `kb index` refits it.
    static func stored(_ db: Database) throws -> AnswerDetector? {
        guard try db.tableExists("answer_model"),
            let json = try String.fetchOne(db, sql: "SELECT model FROM answer_model WHERE id = 1"),
            let detector = try? JSONDecoder().decode(AnswerDetector.self, from: Data(json.utf8)),
            detector.weights.count == AnswerDetector.featureNames.count, detector.form == AnswerDetector.currentForm
        else { return nil }
        return detector
    }

    /// Articles added, changed or removed since the stored detector was fitted.
    static func changesSinceFit(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'answer_model_pending'") ?? 0
    }

    static func setChangesSinceFit(_ count: Int, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('answer_model_pending', ?)", arguments: ["\(count)"])
    }

    /// Stores a fresh fit (or none), which resets the count of changes since the fit.
    static func store(_ detector: AnswerDetector?, in db: Database) throws {
        try setChangesSinceFit(0, in: db)
        try db.execute(sql: "DELETE FROM answer_model")
        guard let detector else { return }
        let json = String(decoding: try JSONEncoder().encode(detector), as: UTF8.self)
        try db.execute(sql: "INSERT INTO answer_model(id, model) VALUES (1, ?)", arguments: [json])
    }
}
