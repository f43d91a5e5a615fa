import Foundation

/// A topic's title: one representative phrasing a KB manager can read as the problem, taken
/// from the most central questions (a ticket's subject or a question's first sentence),
/// greetings and @-mentions stripped, shortened to whole words.
public enum TopicTitle {
    /// Longest title, in characters (cut at a word boundary, never inside a word).
    public static let maximumLength = 64

    /// The title of a topic whose members, most central first, are `texts`: the first of them
    /// whose phrasing has at least two content words (else the first one at all).
    public static func title(centralFirst texts: [String]) -> String {
        let candidates = texts.prefix(5).map(phrase)
        if let good = candidates.first(where: { contentWords($0) >= 2 }) { return good }
        return candidates.first { !$0.isEmpty } ?? ""
    }

    /// A ticket's subject line or a question's first sentence, cleaned and shortened. The first
    /// line is the subject; the lines after it are one message body (a line break inside a
    /// sentence does not end it).
    public static func phrase(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let first = lines.first else { return "" }
        let subject = stripGreeting(withoutIdentifiers(first))
        let body = stripGreeting(withoutIdentifiers(lines.dropFirst().joined(separator: " ")))
        // A subject line that says something wins; a bare "Help" falls through to the message,
        // and so does a subject cut short with an ellipsis (a copy of the message's start).
        let truncated = subject.hasSuffix("...") || subject.hasSuffix("…")
        if (contentWords(subject) >= 2 && !truncated) || contentWords(body) < 1 {
            return shorten(firstSentence(subject))
        }
        return shorten(firstSentence(body))
    }

    /// Drops ticket, invoice and order numbers (`INV-2026-0746`, `T-1001`) from a phrasing.
    static func withoutIdentifiers(_ line: String) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).filter { word in
            let parts = word.trimmingCharacters(in: .punctuationCharacters).split(whereSeparator: {
                $0 == "-" || $0 == "_"
            })
            return
                !(parts.count > 1 && parts.contains { $0.allSatisfy(\.isNumber) }
                && parts.contains { $0.contains(where: \.isLetter) })
        }.joined(separator: " ")
    }

    static let greetings: Set<String> = [
        "hi", "hello", "hey", "heya", "hiya", "dear", "greetings", "good", "morning", "afternoon", "evening",
        "there", "team", "all", "folks", "guys", "support", "re", "fwd", "fw", "yo", "ok", "okay", "so", "um",
        "urgent", "asap", "important",
    ]

    /// Drops leading @-mentions, greetings ("Hi team,", "Good morning -", "Re:") and the
    /// punctuation after them.
    static func stripGreeting(_ line: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        while let first = words.first {
            let bare = first.lowercased().trimmingCharacters(in: .punctuationCharacters.union(.symbols))
            if first.hasPrefix("@") || first.hasPrefix("#") || bare.isEmpty || greetings.contains(bare) {
                words.removeFirst()
                // "Hi Ana," — a greeting's name ends at its comma.
                if greetings.contains(bare), words.count > 1, let next = words.first, next.hasSuffix(","),
                    !next.dropLast().contains(where: { !$0.isLetter }), next.first?.isUppercase == true
                {
                    words.removeFirst()
                }
            } else {
                break
            }
        }
        var out = words.joined(separator: " ")
        while let c = out.first, c.isPunctuation || c.isWhitespace || c == "-" { out.removeFirst() }
        return out
    }

    /// Up to the first sentence end (`.`, `!`, `?` followed by a space), keeping a question mark.
    static func firstSentence(_ line: String) -> String {
        let chars = Array(line)
        for i in chars.indices where ".!?".contains(chars[i]) {
            let atEnd = i + 1 == chars.count || chars[i + 1] == " "
            // "3.8.0", "e.g." and "U.S." do not end a sentence.
            let beforeIsShort = i >= 1 && i < 3
            if atEnd && !beforeIsShort && i > 0 {
                return String(chars[0..<(chars[i] == "?" ? i + 1 : i)])
            }
        }
        return line
    }

    /// Whole words up to ``maximumLength`` characters; trailing stop words and punctuation go,
    /// and the first letter is upper-cased.
    static func shorten(_ sentence: String) -> String {
        var words = sentence.split(whereSeparator: \.isWhitespace).map(String.init)
        var cut = false
        while words.count > 1 && words.joined(separator: " ").count > maximumLength {
            words.removeLast()
            cut = true
        }
        if cut {
            while words.count > 1, let last = words.last,
                TextTerms.stopWords.contains(last.lowercased().trimmingCharacters(in: .punctuationCharacters))
            {
                words.removeLast()
            }
        }
        var out = words.joined(separator: " ")
        if out.count > maximumLength { out = String(out.prefix(maximumLength)) }  // one very long "word"
        while let c = out.last, c.isPunctuation && c != "?" && c != ")" || c.isWhitespace { out.removeLast() }
        if let first = out.first, first.isLowercase { out = first.uppercased() + out.dropFirst() }
        return out
    }

    static func contentWords(_ s: String) -> Int {
        TopicLabeler.words(s).filter {
            !TextTerms.stopWords.contains($0) && !greetings.contains($0) && !$0.allSatisfy(\.isNumber)
        }.count
    }
}

/// Word hygiene for key phrases: locale codes, numbers and typo variants are not phrases.
public enum LabelTerms {
    /// ISO 639-1 language codes that appear in locale tags (`en`, `en-GB`, `nl_NL`), without the
    /// ones that are also English words or common abbreviations (`it`, `no`, `id`, `uk`, `eu`, …).
    public static let languageCodes: Set<String> = [
        "en", "nl", "de", "fr", "es", "pt", "pl", "sv", "da", "fi", "nb", "nn", "ru", "ja", "zh", "ko", "ar", "tr",
        "cs", "sk", "hu", "ro", "el", "th", "vi", "ms", "bg", "hr", "sl", "lt", "lv", "et", "ca", "gl", "fa",
        "ur", "bn", "ta", "te", "sr", "lb", "mt", "cy", "ga", "is",
    ]

    /// Words of `text` for labels: lower-cased, locale tags (`en-gb`, `pt_BR`, a lone `en`)
    /// removed, hyphenated words split. Empty strings mark removed words so bigrams do not
    /// join across them.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "/" }) {
            let token = raw.trimmingCharacters(in: .punctuationCharacters.union(.symbols))
            let parts = token.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
            // An identifier (`INV-2026-0042`, `T-1001`): letters joined to numbers by hyphens.
            if parts.count > 1, parts.contains(where: { $0.allSatisfy(\.isNumber) }),
                parts.contains(where: { $0.contains(where: \.isLetter) })
            {
                out.append("")
                continue
            }
            if let lang = parts.first, languageCodes.contains(lang), parts.count <= 2,
                parts.allSatisfy({ $0.count == 2 || ($0.count == 3 && $0.allSatisfy(\.isLetter)) })
            {
                out.append("")
                continue
            }
            let words = TopicLabeler.words(String(token))
            if words.isEmpty { out.append("") }
            out += words
        }
        return out
    }

    /// Greetings, mail prefixes and the generic words of any support request ("says", "tried",
    /// "anymore"): never a key phrase.
    static let salutations: Set<String> = [
        "hi", "hello", "hey", "heya", "hiya", "dear", "greetings", "re", "fwd", "fw", "urgent", "asap",
        "says", "said", "say", "ago", "go", "goes", "going", "gone", "find", "found", "supposed", "seems", "seem",
        "keep", "keeps", "kept", "anymore", "tried", "try", "trying", "like", "see", "one", "today", "yesterday",
        "even", "back", "again", "every", "thing", "things", "really", "lot", "sure", "etc", "via", "able",
        "issue", "problem", "question", "ticket", "guys", "team", "pls", "plz", "thx",
    ]

    /// Unit and ordinal endings after a number (`15th`, `10am`, `2gb`): still a number.
    static let numberSuffixes: Set<String> = [
        "st", "nd", "rd", "th", "am", "pm", "k", "m", "mb", "gb", "kb", "x", "s", "h", "d",
    ]

    /// True for a word that says nothing as a key phrase: stop words, one letter, numbers
    /// (`2024`, `0`, `15th`, `10am`).
    public static func isNoise(_ w: String) -> Bool {
        if w.count < 2 || TextTerms.stopWords.contains(w) || salutations.contains(w) { return true }
        guard let firstLetter = w.firstIndex(where: \.isLetter) else { return true }
        let head = w[..<firstLetter], tail = String(w[firstLetter...])
        return !head.isEmpty && head.allSatisfy(\.isNumber) && numberSuffixes.contains(tail)
    }

    /// Typo corrections for this set of texts: a word one edit (insert, delete, substitute or
    /// swap two neighbours) from a word at least ten times as frequent is a misspelling of it
    /// (`anny` → `any`, `dakr` → `dark`). Words under four letters are left alone, and swaps are
    /// not taken as misspellings of stop words (`form` is not `from`). A doubled letter is a slip
    /// whatever the counts when undoubling it gives a stop word (``undoubled(_:counts:)``), and two
    /// swapped letters in a word of six or more need only a more frequent neighbour.
    public static func corrections(counts: [String: Int]) -> [String: String] {
        // Index every word by each one-letter deletion: two words one edit apart share a key.
        var byKey: [String: [String]] = [:]
        for w in counts.keys {
            byKey[w, default: []].append(w)
            for k in deletions(w) { byKey[k, default: []].append(w) }
        }
        var fixes: [String: String] = [:]
        for (w, c) in counts where w.count >= 3 && !w.contains(where: \.isNumber) {
            var best: (String, Int)?
            var seen = Set<String>()
            for key in w.count >= 4 ? [w] + deletions(w) : [] {
                for v in byKey[key] ?? [] where v != w && seen.insert(v).inserted {
                    let cv = counts[v] ?? 0
                    let edit = editKind(w, v)
                    // Two swapped letters in a long word are never another word (`endpiont`).
                    let needed = edit == .swap && w.count >= 6 ? c + 1 : 10 * c
                    guard cv >= needed, cv > (best?.1 ?? 0) else { continue }
                    if edit == .none || (edit == .swap && TextTerms.stopWords.contains(v)) { continue }
                    best = (v, cv)
                }
            }
            if let best {
                fixes[w] = best.0
            } else if !TextTerms.stopWords.contains(w), let single = undoubled(w, counts: counts) {
                fixes[w] = single
            }
        }
        return fixes
    }

    /// `w` with one doubled letter made single, when that is a stop word (`anny` → `any`,
    /// `thhe` → `the`) or a more frequent word of the set: a slip of the finger whatever the counts.
    static func undoubled(_ w: String, counts: [String: Int]) -> String? {
        let chars = Array(w)
        for i in 1..<chars.count where chars[i] == chars[i - 1] {
            let v = String(chars[0..<i] + chars[(i + 1)...])
            if TextTerms.stopWords.contains(v) || (counts[v] ?? 0) > (counts[w] ?? 0) { return v }
        }
        return nil
    }

    static func deletions(_ w: String) -> [String] {
        let chars = Array(w)
        return chars.indices.map { i in String(chars[0..<i] + chars[(i + 1)...]) }
    }

    enum EditKind { case none, insertOrDelete, substitute, swap }

    /// The single edit turning `a` into `b`, or `.none` when they are further apart.
    static func editKind(_ a: String, _ b: String) -> EditKind {
        let x = Array(a), y = Array(b)
        if abs(x.count - y.count) > 1 { return .none }
        var i = 0
        while i < min(x.count, y.count) && x[i] == y[i] { i += 1 }
        if x.count != y.count {
            let (long, short) = x.count > y.count ? (x, y) : (y, x)
            return Array(long[(i + 1)...]) == Array(short[i...]) ? .insertOrDelete : .none
        }
        if i == x.count { return .none }
        if Array(x[(i + 1)...]) == Array(y[(i + 1)...]) { return .substitute }
        if i + 1 < x.count, x[i] == y[i + 1], x[i + 1] == y[i], Array(x[(i + 2)...]) == Array(y[(i + 2)...]) {
            return .swap
        }
        return .none
    }
}
