import Foundation
import KBTickets

/// The words of a draft, taken from its group's own (redacted) tickets: an article title,
/// distinct customer wordings for Symptoms, and topic tags.
enum DraftText {
    // MARK: Title

    /// Words that say how a ticket felt, not what it is about.
    static let noiseWords: Set<String> = [
        "urgent", "urgently", "asap", "emergency", "critical", "important", "help",
        "please", "pls", "plz", "hi", "hello", "hey", "re", "fw", "fwd",
    ]
    static let firstPerson: Set<String> = [
        "i", "i'm", "im", "my", "me", "we", "we're", "our", "us", "mine", "ours", "i've", "cant", "can't",
    ]

    /// An article title from the group's subjects: the wording most of the group shares
    /// (central tickets first), cleaned of urgency words, greetings, ticket ids and
    /// placeholders, preferring a specific, impersonal phrasing of 3–10 words; numbers that
    /// vary between its tickets (versions) left out; "How do I …?" becomes "How to …";
    /// sentence case.
    static func title(for tickets: [ResolvedTicket], byCentrality: [Int]) -> String {
        var support: [String: Int] = [:]
        var firstSeen: [String: (rank: Int, text: String)] = [:]
        var variants: [String: Set<String>] = [:]
        for (rank, i) in byCentrality.enumerated() {
            let raw = tickets[i].subject.isEmpty ? firstSentence(cleanMessage(tickets[i].question)) : tickets[i].subject
            let cleaned = cleanSubject(raw)
            guard !cleaned.isEmpty else { continue }
            // Wordings that differ only in numbers (versions, amounts) count together.
            let key = cleaned.lowercased().replacingOccurrences(of: #"[0-9]+"#, with: "#", options: .regularExpression)
            support[key, default: 0] += 1
            variants[key, default: []].insert(cleaned)
            if firstSeen[key] == nil { firstSeen[key] = (rank, cleaned) }
        }
        func quality(_ text: String) -> Double {
            let words = wordsOf(text)
            var q = 1.0
            if words.count < 3 || words.count > 10 { q *= 0.4 }
            if words.contains(where: firstPerson.contains) { q *= 0.5 }
            // Versions, amounts and ids ("3.8.0", "INV-2026-0042") are one ticket's details.
            if text.split(separator: " ").contains(where: { w in
                w.contains(where: \.isNumber) && w.contains(where: { ".,-/:".contains($0) })
            }) {
                q *= 0.25
            }
            if text == text.lowercased() { q *= 0.8 }
            return q
        }
        // Each wording as it would read: numbers that vary between its tickets left out.
        var shown: [String: String] = [:]
        for (key, seen) in firstSeen { shown[key] = withoutVaryingNumbers(seen.text, variants: variants[key] ?? []) }
        let best = support.keys.max { a, b in
            let sa = Double(support[a]!) * quality(shown[a]!), sb = Double(support[b]!) * quality(shown[b]!)
            return (sa, -firstSeen[a]!.rank) < (sb, -firstSeen[b]!.rank)
        }
        guard let key = best else { return "Untitled problem" }
        return sentenceCase(howTo(shown[key]!))
    }

    /// `text` without the tokens that differ between its variants (same words, other numbers:
    /// "Ledgerly 3.8.0 crashes" and "Ledgerly 3.8.1 crashes" → "Ledgerly crashes").
    static func withoutVaryingNumbers(_ text: String, variants: Set<String>) -> String {
        let words = text.split(separator: " ").map(String.init)
        let others = variants.map { $0.split(separator: " ").map(String.init) }.filter { $0.count == words.count }
        guard others.count > 1 else { return text }
        let kept = words.indices.filter { i in others.allSatisfy { $0[i] == words[i] } }
        return kept.count == words.count || kept.isEmpty ? text : kept.map { words[$0] }.joined(separator: " ")
    }

    /// A subject without greetings, urgency words, ticket ids, placeholders and punctuation noise.
    static func cleanSubject(_ subject: String) -> String {
        var s = subject.replacingOccurrences(
            of: #"\[[A-Z_]+\]|https?://\S*|@\w+"#, with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?i)^\s*((re|fw|fwd|aw)\s*:\s*)+"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(
            of: #"(?i)(#\d+|\b(ticket|case|ref)\s*#?\s*\d+\b|\b[A-Z]{1,4}-\d{3,}\b)"#, with: " ",
            options: .regularExpression)
        s = s.replacingOccurrences(of: #"[!?]{2,}|\.{2,}|…|[*_~]+"#, with: " ", options: .regularExpression)
        var words = s.split(whereSeparator: \.isWhitespace).map(String.init)
        // Drop noise words at either end (and a dangling separator), and noise in all caps anywhere.
        func isNoise(_ w: String) -> Bool {
            noiseWords.contains(w.lowercased().trimmingCharacters(in: .punctuationCharacters))
        }
        words.removeAll { w in w.count > 2 && w == w.uppercased() && w.contains(where: \.isLetter) && isNoise(w) }
        while let f = words.first, isNoise(f) || f.allSatisfy({ $0.isPunctuation || $0.isSymbol }) {
            words.removeFirst()
        }
        while let l = words.last, isNoise(l) || l.allSatisfy({ $0.isPunctuation || $0.isSymbol }) { words.removeLast() }
        var out = words.joined(separator: " ")
        out = out.trimmingCharacters(in: CharacterSet(charactersIn: " -–—:,;.!"))
        return out
    }

    /// "How do I X?" / "How can I X" → "How to X"; a trailing question mark or full stop dropped.
    static func howTo(_ text: String) -> String {
        var s = text.replacingOccurrences(
            of: #"(?i)^how (do|can|could|should) (i|we|you)\s+"#, with: "How to ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?i)\b(my|our)\b"#, with: "your", options: .regularExpression)
        return s.trimmingCharacters(in: CharacterSet(charactersIn: " ?.!"))
    }

    /// First letter upper case; a Title Cased subject lowered to sentence case, keeping
    /// acronyms and words with inner capitals (PDF, iPhone, HTTP).
    static func sentenceCase(_ text: String) -> String {
        var words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return text }
        let capitalised = words.filter {
            $0.first?.isUppercase == true && $0.dropFirst().allSatisfy { !$0.isUppercase }
        }.count
        if words.count >= 3, Double(capitalised) / Double(words.count) > 0.6 {
            for k in 1..<words.count
            where words[k].first?.isUppercase == true && words[k].dropFirst().allSatisfy({ !$0.isUppercase }) {
                words[k] = words[k].lowercased()
            }
        }
        if let f = words[0].first, f.isLowercase { words[0] = f.uppercased() + words[0].dropFirst() }
        return words.joined(separator: " ")
    }

    static func wordsOf(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }.map(String.init)
    }

    // MARK: Symptoms

    /// Up to `count` distinct customer wordings, most central first: each the first sentence
    /// of a message with greetings, channel prefixes and sign-offs removed; a wording that
    /// shares most of its words with one already chosen (token Jaccard ≥ 0.5) is skipped, and
    /// wordings without redaction placeholders (`[NAME]`) are preferred.
    static func symptoms(for tickets: [ResolvedTicket], byCentrality: [Int], count: Int = 3) -> [String] {
        let bodies = byCentrality.map { i -> String in
            let body = cleanMessage(tickets[i].question)
            return body.isEmpty ? cleanSubject(tickets[i].subject) : body
        }
        // The group's problem words: stems in at least two of its subjects. A message's
        // symptom is its sentence (of five words or more, when it has one) naming most of
        // them; the earlier sentence wins a tie, so an on-topic opening is kept.
        var subjectStems: [String: Int] = [:]
        for t in tickets { for st in Set(stems(cleanSubject(t.subject))) { subjectStems[st, default: 0] += 1 } }
        let vocabulary = Set(subjectStems.filter { $0.value >= 2 }.keys)
        let candidates = bodies.map { body -> String in
            let all = sentencesOf(body)
            // Links and addresses are a ticket's details, not its symptom.
            let plain = all.filter { !$0.contains("://") && !$0.contains("@") }
            let long = (plain.isEmpty ? all : plain).filter { wordsOf($0).count >= 5 }
            let pool = long.isEmpty ? (plain.isEmpty ? all : plain) : long
            func score(_ s: String) -> Int { Set(stems(s)).intersection(vocabulary).count }
            var best = pool.first ?? firstSentence(body), bestScore = pool.first.map(score) ?? 0
            for s in pool.dropFirst() where score(s) > bestScore { best = s; bestScore = score(s) }
            return best
        }
        var chosen: [(text: String, words: Set<String>)] = []
        for allowPlaceholders in [false, true] {
            for text in candidates where chosen.count < count {
                if !allowPlaceholders, text.range(of: #"\[[A-Z_]+\]"#, options: .regularExpression) != nil { continue }
                let words = Set(wordsOf(text))
                guard words.count >= 3, !chosen.contains(where: { jaccard($0.words, words) >= 0.5 }) else { continue }
                chosen.append((text, words))
            }
        }
        return chosen.map(\.text)
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }

    static let greeting =
        #"(?i)^(hi|hello|hey|hiya|dear|good (morning|afternoon|evening|day)|greetings|to whom it may concern|howdy)\b"#
    static let inlineGreeting =
        #"(?i)^(hi|hello|hey|hiya)( there| team| all| guys| folks| support| ledgerly team)?\s*[,!.:-]+\s*"#
    static let signOff =
        #"(?i)^(thanks|thank you|thx|ty|cheers|regards|kind regards|best regards|best|br|many thanks|sent from)\b|^--"#

    /// A short line (at most four words) that starts like `pattern`: "Hi there,", "Kind regards,".
    static func isShortLine(_ line: String, like pattern: String) -> Bool {
        line.split(separator: " ").count <= 4 && line.range(of: pattern, options: .regularExpression) != nil
    }

    /// A customer message without its channel prefix (`[HANDLE]`, `[Call transcript] Caller … :`),
    /// greeting lines, sign-off block and lines of placeholders only (`[NAME]`, `Tel: [PHONE]`).
    static func cleanMessage(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let k = lines.firstIndex(where: { isShortLine($0, like: signOff) }), k > 0 {
            lines = Array(lines[..<k])
        }
        lines = lines.filter { line in
            !line.isEmpty && !isShortLine(line, like: greeting)
                && line.replacingOccurrences(
                    of: #"\[[A-Z_]+\]|\b(tel|phone|mob|mobile|email|e-mail)\b\.?:?"#, with: "",
                    options: [.regularExpression, .caseInsensitive]
                )
                .contains(where: { $0.isLetter || $0.isNumber })
        }
        var s = lines.joined(separator: " ")
        s = s.replacingOccurrences(of: #"^(\s*(\[[A-Za-z_ ]+\]|@\w+)\s*)+"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(
            of: #"^Caller\b[^:]{0,80}:\s*"#, with: "", options: [.regularExpression, .caseInsensitive])
        s = s.replacingOccurrences(of: inlineGreeting, with: "", options: .regularExpression)
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// Crude stems for matching a subject's words in a message: words of three letters or
    /// more that are not function words, cut to four letters ("retries", "retry" → "retr").
    static func stems(_ text: String) -> [String] {
        wordsOf(text).filter { $0.count >= 3 && !commonWords.contains($0) }.map { String($0.prefix(4)) }
    }

    /// Function words, which say nothing about a problem.
    static let commonWords: Set<String> = [
        "the", "and", "for", "but", "not", "you", "our", "can", "how", "was", "are", "has",
        "had", "its", "get", "got", "why", "who", "all", "any", "now", "one", "out", "too", "that", "this", "with",
        "have", "from", "they", "them", "when", "what", "there",
        "their", "been", "were", "will", "would", "could", "should", "your", "just", "also",
        "into", "after", "before", "since", "about", "than", "then", "some", "does", "doesn't",
        "don't", "only", "here", "which", "where", "please", "thanks", "hello", "it's", "i'm",
    ]

    /// The sentences of `text` (ending in . ? or ! before a space), each cut like ``firstSentence(_:)``.
    static func sentencesOf(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\"", with: "'"))
        while !rest.isEmpty {
            let s = firstSentence(String(rest))
            let core = s.hasSuffix("…") ? String(s.dropLast()) : s
            out.append(s)
            guard !core.isEmpty, let r = rest.range(of: core) else { break }
            rest = rest[r.upperBound...].drop { $0 == " " }
        }
        return out.filter { wordsOf($0).count >= 3 }
    }

    /// The first sentence (at least 20 characters), or the first 160 characters cut on a word.
    static func firstSentence(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\"", with: "'")
        if let end = flat.indices.first(where: { i in
            ".?!".contains(flat[i]) && flat.distance(from: flat.startIndex, to: i) > 20
                && (flat.index(after: i) == flat.endIndex || flat[flat.index(after: i)] == " ")
        }) {
            let sentence = String(flat[...end])
            if sentence.count <= 160 { return sentence }
        }
        guard flat.count > 160 else { return flat }
        let cut = flat.prefix(160)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }

    // MARK: Tags

    /// Help-desk workflow tags: how a ticket was handled, never what it is about. They stay
    /// on tickets and never become article tags.
    static let workflowTags: Set<String> = [
        "escalated", "escalation", "vip", "urgent", "priority", "high-priority", "low-priority", "p1", "p2", "p3",
        "sla", "sla-breach", "sla-breached", "billing-hold", "on-hold", "hold", "follow-up", "followup", "callback",
        "needs-info", "waiting-on-customer", "pending", "reopened", "duplicate", "spam", "l1", "l2", "l3", "tier-1",
        "tier-2", "tier-3", "triage", "internal", "feedback", "churn-risk", "angry", "complaint", "csat-low",
    ]

    /// Tags an article may carry: on at least half of the group's tickets, not a workflow tag,
    /// and not `spread` (see ``spreadTags(_:)``); most common first, at most five.
    static func articleTags(for tickets: [ResolvedTicket], spread: Set<String>) -> [String] {
        let counts = Dictionary(grouping: tickets.flatMap { Set($0.tags.map { $0.lowercased() }) }, by: { $0 })
            .mapValues(\.count)
        return counts.filter {
            $0.value * 2 >= tickets.count && !workflowTags.contains($0.key) && !spread.contains($0.key)
        }
        .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map(\.key)
    }

    /// Tags seen in more than a third of the groups (and at least three): a tag shared by
    /// unrelated problems says how tickets were handled, not what they are about.
    static func spreadTags(_ groups: [[ResolvedTicket]]) -> Set<String> {
        guard groups.count >= 3 else { return [] }
        var seen: [String: Int] = [:]
        for g in groups { for t in Set(g.flatMap { $0.tags.map { $0.lowercased() } }) { seen[t, default: 0] += 1 } }
        return Set(seen.filter { $0.value >= 3 && $0.value * 3 > groups.count }.keys)
    }
}
