import Foundation

/// Key phrases of a topic and the label built from them.
public struct TopicLabel: Sendable, Codable, Equatable {
    /// A few words naming the topic (the top key phrases joined with " · ").
    public var label: String
    /// Key phrases by decreasing class-based TF-IDF weight.
    public var keyPhrases: [String]
}

/// Class-based TF-IDF (as in BERTopic): all questions of a topic form one document; a term's
/// weight in topic c is `tf(t,c) / words(c) · log(1 + A / f(t))`, with `A` the average number of
/// words per topic and `f(t)` the term's frequency over all topics. Unigrams and bigrams; a
/// bigram that is chosen hides its own words, so labels don't repeat themselves.
public struct TopicLabeler: Sendable {
    /// Number of phrases in a label.
    public var phrasesPerLabel: Int
    /// Number of key phrases kept per topic.
    public var keyPhraseCount: Int

    public init(phrasesPerLabel: Int = 3, keyPhraseCount: Int = 8) {
        self.phrasesPerLabel = phrasesPerLabel
        self.keyPhraseCount = keyPhraseCount
    }

    /// Labels for `topicCount` topics; `assignments[i]` is the topic of `texts[i]` (negative
    /// values, outliers or answered questions, still count towards the background frequency `f`).
    public func labels(texts: [String], assignments: [Int], topicCount: Int) -> [TopicLabel] {
        let tokenised = texts.map(LabelTerms.words)
        var wordCounts = [String: Int]()
        for words in tokenised { for w in words where !w.isEmpty { wordCounts[w, default: 0] += 1 } }
        let fixes = LabelTerms.corrections(counts: wordCounts)
        var counts = [[String: Double]](repeating: [:], count: topicCount + 1)  // last: background
        for (words, topic) in zip(tokenised, assignments) {
            let slot = topic >= 0 && topic < topicCount ? topic : topicCount
            for term in Self.terms(words: words.map { fixes[$0] ?? $0 }) { counts[slot][term, default: 0] += 1 }
        }
        var frequency = [String: Double]()
        for c in counts { for (t, v) in c { frequency[t, default: 0] += v } }
        let totals = counts.map { $0.values.reduce(0, +) }
        let classes = counts.filter { !$0.isEmpty }.count
        let average = totals.reduce(0, +) / Double(max(1, classes))
        return (0..<topicCount).map { c in
            let words = max(1, totals[c])
            let scored = counts[c].map { term, tf -> (String, Double) in
                (term, tf / words * log(1 + average / frequency[term]!))
            }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            var chosen: [String] = []
            var covered = Set<String>()
            for (term, _) in scored where chosen.count < keyPhraseCount {
                let words = term.split(separator: " ").map(String.init)
                if words.count == 1, covered.contains(term) { continue }
                // A misspelling of a phrase already chosen ("dakr mode" after "dark mode").
                if chosen.contains(where: { Self.isVariant(words, of: $0.split(separator: " ").map(String.init)) }) {
                    continue
                }
                if words.count == 2, chosen.contains(where: { $0 == words[0] || $0 == words[1] }) {
                    // The bigram replaces a unigram already chosen.
                    chosen.removeAll { $0 == words[0] || $0 == words[1] }
                }
                chosen.append(term)
                covered.formUnion(words)
            }
            return TopicLabel(label: chosen.prefix(phrasesPerLabel).joined(separator: " · "), keyPhrases: chosen)
        }
    }

    /// Same number of words, and each word equal or one edit away (at least one edit); or a
    /// single word one edit from a word of `b` (`dakr` after `dark mode`).
    static func isVariant(_ a: [String], of b: [String]) -> Bool {
        if a.count == 1, b.count > 1 {
            return a[0].count >= 3 && b.contains { $0 != a[0] && LabelTerms.editKind(a[0], $0) != .none }
        }
        guard a.count == b.count, a != b else { return false }
        return zip(a, b).allSatisfy { $0 == $1 || ($0.count >= 3 && LabelTerms.editKind($0, $1) != .none) }
    }

    /// Unigrams (stop words, numbers and locale codes dropped) and bigrams of adjacent content
    /// words of `text`.
    public static func terms(_ text: String) -> [String] {
        terms(words: LabelTerms.words(text))
    }

    /// Unigrams and bigrams from words as ``LabelTerms/words(_:)`` returns them.
    static func terms(words: [String]) -> [String] {
        var out: [String] = []
        var previous: String?
        for w in words {
            if LabelTerms.isNoise(w) {
                previous = nil
                continue
            }
            out.append(w)
            if let p = previous { out.append(p + " " + w) }
            previous = w
        }
        return out
    }

    /// Lower-cased word tokens (letters, digits, inner apostrophes dropped).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if ch == "'" || ch == "’" {
                continue
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

/// Shared English stop words for labels and key-term coverage.
public enum TextTerms {
    public static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cant",
        "could", "did", "didnt", "do", "does", "doesnt", "doing", "dont", "down", "during", "each", "few", "for",
        "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
        "his", "how", "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "me", "might",
        "more", "most", "much", "must", "my", "myself", "need", "no", "nor", "not", "now", "of", "off", "on",
        "once", "only", "or", "other", "our", "ours", "out", "over", "own", "please", "same", "she", "should",
        "so", "some", "still", "such", "than", "thank", "thanks", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
        "want", "was", "wasnt", "we", "were", "what", "whats", "when", "where", "which", "while", "who", "whom",
        "why", "will", "with", "wont", "would", "you", "your", "yours", "hi", "hello", "yet", "also", "since",
        "already", "anyone", "someone", "something", "way", "know", "tell", "help", "hey", "ok", "okay",
    ]
}
