import Foundation

/// The answered-or-not test of one knowledge base: over the candidate articles of a search,
/// "which of them is the article the question came from — or none?", a conditional logit over
/// scale-free signals of each candidate (utility `w·x + b`; "none" has utility 0). A candidate's
/// probability is `e^u / (1 + Σ e^u)`; a question's answer score is the probability that one of
/// its candidates answers it (their sum, `1 − P(none)`); it is answered (`confident`) at or
/// above ``threshold``.
///
/// Nothing in it is a constant carried from another help center: the weights and the threshold
/// are fitted on the KB's own pseudo-questions when the index is written
/// (``AnswerCalibration``) and stored in the index (docs/GAPS.md, "Answered or not").
public struct AnswerDetector: Sendable, Codable, Equatable {
    /// Weights in the order of ``featureNames``, on the original feature scale.
    public var weights: [Double]
    public var bias: Double
    /// Scores at or above this are answered (`confident`).
    public var threshold: Double
    /// What the fit saw: pseudo-questions asked with their article present and left out.
    public var pseudoQuestions: Int
    public var articles: Int
    /// AUROC of the question score on the fit's own pseudo-questions (present vs left out).
    public var selfAUROC: Double
    /// The form of the model: a detector stored in another form (an older `kb`) is refitted.
    public var form: String
    public static let currentForm = "listwise-v1"

    public init(
        weights: [Double], bias: Double, threshold: Double, pseudoQuestions: Int = 0, articles: Int = 0,
        selfAUROC: Double = 0
    ) {
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.pseudoQuestions = pseudoQuestions
        self.articles = articles
        self.selfAUROC = selfAUROC
        self.form = Self.currentForm
    }

    public static let featureNames = [
        "cosine", "cosineMargin", "keyword", "keywordShare", "keywordMargin", "semanticRank", "keywordRank", "rank",
        "titleInQuestion", "questionInTitle", "questionInText", "chunkCosines",
    ]

    /// Each candidate's probability of being the answer, given all candidates of the question
    /// (the rest, `1 − Σ`, is "none of them").
    public func probabilities(_ candidates: [[Double]]) -> [Double] {
        let u = candidates.map { zip(weights, $0).reduce(bias) { $0 + $1.0 * $1.1 } }
        guard let top = u.max().map({ max($0, 0) }) else { return [] }
        let e = u.map { exp($0 - top) }
        let total = e.reduce(exp(-top), +)
        return e.map { $0 / total }
    }

    /// The question's answer score: the probability that one of its candidates answers it.
    public func score(_ candidates: [[Double]]) -> Double { probabilities(candidates).reduce(0, +) }

    /// One probability per hit (hybrid order, as returned by the searcher).
    public func probabilities(
        query: String, hits: [SearchHit], terms: TermWeights,
        words: (SearchHit) -> (title: Set<String>, text: Set<String>)
    ) -> [Double] {
        probabilities(Self.features(query: query, hits: hits, terms: terms, words: words))
    }

    /// Signals of each hit as a candidate source of `query`. Every signal is a cosine, a share
    /// or a rank, so it means the same on any help center; the weights say how much each counts here.
    /// `words` gives a hit's title words and the words of its title and best chunks (the
    /// searcher caches them per chunk).
    public static func features(
        query: String, hits: [SearchHit], terms: TermWeights,
        words: (SearchHit) -> (title: Set<String>, text: Set<String>)
    ) -> [[Double]] {
        guard !hits.isEmpty else { return [] }
        let cosines = hits.compactMap(\.semanticScore)
        let floor = cosines.min() ?? 0
        let bestKeyword = hits.compactMap(\.keywordScore).max() ?? 0
        // Best and second-best of each side, for each candidate's margin over the best other one.
        let cosineOrder = hits.map { $0.semanticScore ?? floor }.sorted(by: >)
        let keywordOrder = hits.map { $0.keywordScore ?? 0 }.sorted(by: >)
        let q = Set(TermWeights.terms(query))
        let qWeight = q.reduce(0) { $0 + terms.weight($1) }
        return hits.enumerated().map { rank, h in
            let cosine = h.semanticScore ?? floor
            let keyword = h.keywordScore ?? 0
            let otherCosine = cosine == cosineOrder[0] && cosineOrder.count > 1 ? cosineOrder[1] : cosineOrder[0]
            let otherKeyword = keyword == keywordOrder[0] && keywordOrder.count > 1 ? keywordOrder[1] : keywordOrder[0]
            let (title, text) = words(h)
            let titleWeight = title.reduce(0) { $0 + terms.weight($1) }
            let titleInQuestion =
                titleWeight > 0 ? title.filter(q.contains).reduce(0) { $0 + terms.weight($1) } / titleWeight : 0
            let questionInTitle =
                qWeight > 0 ? q.filter(title.contains).reduce(0) { $0 + terms.weight($1) } / qWeight : 0
            let questionInText = qWeight > 0 ? q.filter(text.contains).reduce(0) { $0 + terms.weight($1) } / qWeight : 0
            return [
                cosine, cosine - otherCosine, log(1 + keyword), bestKeyword > 0 ? keyword / bestKeyword : 0,
                bestKeyword > 0 ? (keyword - otherKeyword) / bestKeyword : 0,
                h.semanticRank.map { 1 / Double($0) } ?? 0, h.keywordRank.map { 1 / Double($0) } ?? 0,
                1 / Double(rank + 1), titleInQuestion, questionInTitle, questionInText,
                h.chunks.map { $0.semanticScore ?? floor }.reduce(0, +) / Double(max(h.chunks.count, 1)),
            ]
        }
    }
}

/// Rarity of words across the KB's article titles: `log((A + 1) / (df + 0.5))`, so a word in
/// few titles (a product or feature name) counts more than one in many ("configure", "error").
public struct TermWeights: Sendable {
    private var documentFrequency: [String: Int] = [:]
    private var articles = 0

    public init(titles: [String]) {
        articles = titles.count
        for t in titles { for term in Set(Self.terms(t)) { documentFrequency[term, default: 0] += 1 } }
    }

    public func weight(_ term: String) -> Double {
        log((Double(articles) + 1) / (Double(documentFrequency[term] ?? 0) + 0.5))
    }

    /// Content words of `text`: letters and digits, lower-cased, function words and numbers
    /// out, compared on their first five letters (a cheap stem: "configure" = "configuration").
    public static func terms(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0, digitsOnly = true
        func flush() {
            if length > 1, !digitsOnly {
                let word = String(current)
                if !stopwords.contains(word) { out.append(String(word.unicodeScalars.prefix(5))) }
            }
            current.removeAll(keepingCapacity: true)
            length = 0
            digitsOnly = true
        }
        // Unicode scalars, not Characters: this runs over every candidate chunk of every question.
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let v = scalar.value
                if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
                    current.append(scalar); length += 1; if v > 57 { digitsOnly = false }
                } else if v >= 65 && v <= 90 {
                    current.append(Unicode.Scalar(v + 32)!); length += 1; digitsOnly = false
                } else if v == 39 {
                    continue
                } else {
                    flush()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { current.append(lower) }
                length += 1
                if scalar.properties.numericType == nil { digitsOnly = false }
            } else if scalar == "’" {
                continue
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    static let stopwords: Set<String> = FTSQuery.stopwords.union([
        "am", "cant", "didnt", "doesnt", "dont", "get", "got", "hi", "hello", "hey", "im", "isnt", "ive", "just",
        "please",
        "thanks", "thank", "want", "wasnt", "wont", "also", "still", "need", "use", "using", "one", "new",
    ])
}
