import Foundation

/// Removes personal data from text before anything is stored: e-mail addresses, phone
/// numbers, payment card numbers (Luhn-checked), IBANs (mod-97-checked), IP addresses,
/// secrets in URLs, API-key-like tokens, @handles and known names. Each is replaced by a
/// typed placeholder. Ordinary text — versions, dates, times, error codes, prices, invoice
/// and order numbers, UUIDs — is kept.
///
/// Works on UTF-8 bytes in one pass over whitespace-separated words: a word is examined
/// further only when its bytes can start a pattern (a digit, `@`, `:`, `.`, a long run), and
/// number-like runs that span words (cards, phones, IBANs written in groups) are tried
/// across up to eight neighbouring words separated by single spaces. Text with nothing to
/// redact is returned as is, without copying.
public struct Redactor: Sendable {
    /// The placeholder each kind of personal data is replaced with.
    public enum Kind: String, Sendable, CaseIterable {
        case email = "[EMAIL]", phone = "[PHONE]", card = "[CARD]", iban = "[IBAN]", ip = "[IP]"
        case secret = "[SECRET]", handle = "[HANDLE]", name = "[NAME]"
    }

    /// A name to remove: its lower-cased words; `capitalisedOnly` for single words that are
    /// also ordinary English words ("Will", "May"), removed only when written capitalised.
    struct NamePattern: Sendable {
        var words: [[UInt8]]
        var capitalisedOnly: Bool
    }

    private let names: [NamePattern]
    /// First bytes (lower-cased ASCII) that can start a name: other words are skipped fast.
    private let nameStarts: [Bool]

    /// `names`: the ticket's customer and contacts, as known from the import. Full names are
    /// removed, and so are their parts of three letters or more on their own.
    /// Whether names are also found by context (``contextNames(_:_:)``), not only known ones.
    public var detectNames = true

    public init(names: [String] = []) {
        var patterns: [NamePattern] = []
        var seen = Set<[[UInt8]]>()
        for full in names {
            let words = Self.nameWords(full)
            guard !words.isEmpty else { continue }
            if seen.insert(words).inserted { patterns.append(NamePattern(words: words, capitalisedOnly: false)) }
            for w in words where w.count >= 3 && seen.insert([w]).inserted {
                patterns.append(
                    NamePattern(words: [w], capitalisedOnly: words.count > 1 && Self.commonWords.contains(w)))
            }
        }
        // Longest first so a full name wins over its parts.
        self.names = patterns.sorted { $0.words.count > $1.words.count }
        var starts = [Bool](repeating: false, count: 256)
        for p in patterns {
            let c = p.words[0][0]
            if c >= 0x80 {
                for k in 0x80..<0x100 { starts[k] = true }
            } else {
                starts[Int(c)] = true
                if c >= 0x61 && c <= 0x7A { starts[Int(c - 0x20)] = true }
            }
        }
        nameStarts = starts
    }

    /// A name's lower-cased words (letters, apostrophes and hyphens).
    static func nameWords(_ full: String) -> [[UInt8]] {
        if full.utf8.allSatisfy({ $0 < 0x80 }) {
            return full.utf8.split(whereSeparator: { c in !(Patterns.isLetter(c) || c == 0x27 || c == 0x2D) })
                .map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        }
        return full.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" && $0 != "’" }).map {
            Array($0.utf8)
        }
    }

    /// Name parts that are also everyday words: removed only when capitalised.
    static let commonWords: Set<[UInt8]> = Set(
        [
            "will", "may", "mark", "bill", "rose", "grant", "june", "april", "august", "hope", "joy", "faith", "amber",
            "summer", "dawn", "rich", "frank", "long", "young", "park", "king", "white", "black", "brown", "green",
            "ray",
            "guy", "sue", "art", "bob", "max", "chase", "hunter", "page", "cash", "case", "price", "lane", "hill",
            "wood",
            "stone", "rock", "star", "love", "lee", "day", "north", "west", "south", "east", "bell", "ward", "hall",
            "may",
        ].map { Array($0.utf8) })

    /// The text with every piece of personal data replaced by its placeholder.
    public func redact(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { redact(bytes: $0) } ?? text
    }

    /// `nil` when nothing had to be replaced.
    func redact(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let words = Self.words(bytes)
        guard !words.isEmpty else { return nil }
        var replacements: [Replacement] = []
        var i = 0
        while i < words.count {
            if let span = Patterns.numberSpan(bytes, words, at: i) {
                replacements.append(span.replacement)
                i = span.lastWord + 1
                continue
            }
            let before = replacements.count
            Patterns.word(bytes, words[i], into: &replacements)
            if replacements.count > before { i += 1; continue }
            if !names.isEmpty, let match = nameMatch(bytes, words, at: i) {
                replacements.append(match.replacement)
                i += match.count
                continue
            }
            i += 1
        }
        if detectNames {
            let found = Self.contextNames(bytes, words)
            if !found.isEmpty { replacements = Self.merged(replacements, found) }
        }
        guard !replacements.isEmpty else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var position = 0
        for r in replacements {
            out.append(contentsOf: bytes[position..<r.start])
            out.append(contentsOf: r.kind.rawValue.utf8)
            position = r.end
        }
        out.append(contentsOf: bytes[position..<bytes.count])
        return String(decoding: out, as: UTF8.self)
    }

    /// Both lists in text order; where two overlap, the first one (the pattern) wins.
    static func merged(_ a: [Replacement], _ b: [Replacement]) -> [Replacement] {
        var out: [Replacement] = []
        for r in (a + b).sorted(by: { $0.start < $1.start }) {
            if let last = out.last, r.start < last.end { continue }
            out.append(r)
        }
        return out
    }

    // MARK: words

    /// A byte range to replace.
    struct Replacement {
        var start: Int, end: Int, kind: Kind
    }

    /// A whitespace-separated word; `singleSpaceBefore` when exactly one space (or
    /// no-break space) separates it from the previous word.
    struct Word {
        var start: Int, end: Int, singleSpaceBefore: Bool
    }

    /// Length of the whitespace at `i` (ASCII whitespace, U+00A0, U+202F), or 0.
    @inline(__always)
    static func whitespace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return 1 }
        if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { return 2 }
        if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xAF { return 3 }
        return 0
    }

    static func words(_ b: UnsafeBufferPointer<UInt8>) -> [Word] {
        var words: [Word] = []
        words.reserveCapacity(b.count / 5)
        var i = 0, gapCount = 0, gapSpaceLike = true
        while i < b.count {
            let w = whitespace(b, i)
            if w > 0 {
                gapCount += 1
                if w == 1 && b[i] != 0x20 { gapSpaceLike = false }
                i += w
                continue
            }
            let start = i
            while i < b.count, whitespace(b, i) == 0 { i += 1 }
            words.append(Word(start: start, end: i, singleSpaceBefore: !words.isEmpty && gapCount == 1 && gapSpaceLike))
            gapCount = 0
            gapSpaceLike = true
        }
        return words
    }

    // MARK: names

    private func nameMatch(
        _ b: UnsafeBufferPointer<UInt8>, _ words: [Word], at i: Int
    ) -> (replacement: Replacement, count: Int)? {
        let first = b[words[i].start]
        // Names start with a letter (possibly after an opening bracket or quote).
        guard nameStarts[Int(first)] || Patterns.leading(first) else { return nil }
        var cores: [(start: Int, end: Int, possessive: Int)] = []
        for pattern in names where i + pattern.words.count <= words.count {
            var ok = true
            for (k, part) in pattern.words.enumerated() {
                if cores.count <= k { cores.append(Self.nameCore(b, words[i + k])) }
                let c = cores[k]
                if pattern.capitalisedOnly, !(b[c.start] >= 0x41 && b[c.start] <= 0x5A) { ok = false; break }
                if !Self.equalsLowercased(b, c.start, c.end - c.possessive, part) { ok = false; break }
            }
            if ok {
                let last = cores[pattern.words.count - 1]
                return (
                    Replacement(start: cores[0].start, end: last.end - last.possessive, kind: .name),
                    pattern.words.count
                )
            }
        }
        return nil
    }

    /// A word without surrounding punctuation; `possessive` is the length of a trailing `'s`.
    static func nameCore(_ b: UnsafeBufferPointer<UInt8>, _ w: Word) -> (start: Int, end: Int, possessive: Int) {
        let (s, e) = Patterns.core(b, w.start, w.end)
        if e - s > 2, b[e - 1] | 0x20 == UInt8(ascii: "s"), b[e - 2] == UInt8(ascii: "'") { return (s, e, 2) }
        if e - s > 4, b[e - 1] | 0x20 == UInt8(ascii: "s"), b[e - 4] == 0xE2, b[e - 3] == 0x80, b[e - 2] == 0x99 {
            return (s, e, 4)
        }
        return (s, e, 0)
    }

    static func equalsLowercased(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ part: [UInt8]) -> Bool {
        guard e > s else { return false }
        var ascii = true
        for k in s..<e where b[k] >= 0x80 { ascii = false; break }
        if ascii {
            guard e - s == part.count else { return false }
            for k in 0..<part.count {
                var c = b[s + k]
                if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                if c != part[k] { return false }
            }
            return true
        }
        return Array(String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self).lowercased().utf8) == part
    }
}

extension Redactor {
    /// The redactor for one ticket: it also removes the names the ticket gives for its
    /// customer and contacts, and the authors of its customer messages.
    public init(for ticket: TicketInput) {
        self.init(names: ticket.knownNames + ticket.messages.compactMap { $0.role == "customer" ? $0.author : nil })
    }
}
