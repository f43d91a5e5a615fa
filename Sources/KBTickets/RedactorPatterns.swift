/// The byte-level patterns behind ``Redactor``: numbers across words (cards, phones,
/// IBANs), and single-word patterns (URLs with secrets, e-mails, handles, IPs, API keys).
enum Patterns {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    /// Opening brackets and quotes that are not part of a word: `( [ { < " '`.
    @inline(__always) static func leading(_ c: UInt8) -> Bool {
        c == 0x28 || c == 0x5B || c == 0x7B || c == 0x3C || c == 0x22 || c == 0x27
    }
    /// Closing punctuation that is not part of a word: `. , ; : ! ? ) ] } > " '`.
    @inline(__always) static func trailing(_ c: UInt8) -> Bool {
        switch c {
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x3E, 0x22, 0x27: true
        default: false
        }
    }

    /// A word without surrounding punctuation (ASCII, and curly quotes).
    static func core(_ b: Bytes, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e {
            if leading(b[s]) {
                s += 1
            } else if e - s >= 3, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x9C || b[s + 2] == 0x98 {
                s += 3
            } else {
                break
            }
        }
        while e > s {
            if trailing(b[e - 1]) {
                e -= 1
            } else if e - s >= 3, b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x9D || b[e - 1] == 0x99 {
                e -= 3
            } else {
                break
            }
        }
        return (s, e)
    }

    // MARK: numbers across words

    /// A card, phone or IBAN starting at word `i`, extended over following words separated
    /// by single spaces; the longest valid run wins.
    static func numberSpan(
        _ b: Bytes, _ words: [Redactor.Word], at i: Int
    ) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        let w = words[i]
        var s = w.start
        while s < w.end, b[s] == 0x22 || b[s] == 0x27 || b[s] == 0x5B || b[s] == 0x7B || b[s] == 0x3C { s += 1 }
        guard s < w.end else { return nil }
        // A label glued on (`card:4012…`, `tel:+1…`, `iban=DE89…`): the number starts after it.
        if isLetter(b[s]) {
            var k = s
            while k < w.end, k - s < 12, isLetter(b[k]) { k += 1 }
            if k + 1 < w.end, k - s >= 2, b[k] == 0x3A || b[k] == 0x3D || b[k] == 0x23 {
                let after = b[k + 1]
                if isDigit(after) || after == UInt8(ascii: "+") || after == UInt8(ascii: "(") || isLetter(after) {
                    s = k + 1
                }
            }
        }
        let c = b[s]
        if isDigit(c) || c == UInt8(ascii: "+") { return numeric(b, words, at: i, from: s) }
        if c == UInt8(ascii: "(") {
            // `(DE89 3704 …)`: an IBAN in parentheses; else a number such as `(415) 555-0134`.
            if w.end - s >= 5, isLetter(b[s + 1]), isLetter(b[s + 2]), isDigit(b[s + 3]), isDigit(b[s + 4]),
                let found = iban(b, words, at: i, from: s + 1)
            {
                return found
            }
            return numeric(b, words, at: i, from: s)
        }
        if isLetter(c), w.end - s >= 4, isLetter(b[s + 1]), isDigit(b[s + 2]), isDigit(b[s + 3]) {
            return iban(b, words, at: i, from: s)
        }
        return nil
    }

    /// Digits, number punctuation and surrounding punctuation only, with a digit (from
    /// `from` on, when a label starts the word).
    static func numericWord(_ b: Bytes, _ w: Redactor.Word, from: Int? = nil) -> Bool {
        var digit = false
        for k in (from ?? w.start)..<w.end {
            let c = b[k]
            if isDigit(c) { digit = true; continue }
            switch c {
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2B, 0x2F, 0x22, 0x27, 0x5B, 0x7B, 0x3C, 0x2C, 0x3B, 0x3A, 0x21, 0x3F,
                0x5D, 0x7D, 0x3E:
                continue
            default: return false
            }
        }
        return digit
    }

    static func numeric(
        _ b: Bytes, _ words: [Redactor.Word], at i: Int, from s: Int
    ) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        guard numericWord(b, words[i], from: s) else { return nil }
        var best: (replacement: Redactor.Replacement, lastWord: Int)?
        var j = i
        while j < words.count, j < i + 8 {
            if j > i { guard words[j].singleSpaceBefore, numericWord(b, words[j]) else { break } }
            let e = numberCoreEnd(b, s, words[j].end)
            if e > s, let kind = numberKind(b, s, e) {
                best = (Redactor.Replacement(start: s, end: e, kind: kind), j)
            } else if e - s > 2, b[s] == 0x28, b[e - 1] == 0x29, numberKind(b, s + 1, e - 1) == .card {
                // `(4111111111111111)`: the card inside its parentheses.
                best = (Redactor.Replacement(start: s + 1, end: e - 1, kind: .card), j)
            }
            let last = b[words[j].end - 1]
            if last != 0x29, trailing(last) { break }  // punctuation ends the number
            j += 1
        }
        if let withExtension = extensionEnd(b, words, after: best?.lastWord ?? i, numberStart: s) {
            return (Redactor.Replacement(start: s, end: withExtension.end, kind: .phone), withExtension.lastWord)
        }
        return best
    }

    /// `555-3366`: a local number of 3 + 4 digits (a phone only when an extension follows).
    static func localNumber(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard e - s == 8 else { return false }
        for k in s..<e where k - s != 3 { if !isDigit(b[k]) { return false } }
        return b[s + 3] == 0x2D
    }

    /// After a phone number (or a 3 + 4 digit local number): ` ext. 12`, ` x12`,
    /// ` extension 12` — the end of the extension's digits.
    static func extensionEnd(
        _ b: Bytes, _ words: [Redactor.Word], after j: Int, numberStart s: Int
    ) -> (end: Int, lastWord: Int)? {
        let w = words[j]
        let numberEnd = numberCoreEnd(b, s, w.end)
        let isPhoneRun = numberKind(b, s, numberEnd) == .phone || localNumber(b, s, numberEnd)
        guard isPhoneRun, j + 1 < words.count else { return nil }
        let marker = words[j + 1]
        var k = marker.start
        var letters: [UInt8] = []
        while k < marker.end, isLetter(b[k]) { letters.append(b[k] | 0x20); k += 1 }
        guard ["ext", "x", "extension"].contains(String(decoding: letters, as: UTF8.self)) else { return nil }
        if k < marker.end, b[k] == 0x2E { k += 1 }
        var digitsStart = k
        var lastWord = j + 1
        if k == marker.end {
            guard j + 2 < words.count else { return nil }
            digitsStart = words[j + 2].start
            lastWord = j + 2
        }
        let end = lastWord == j + 1 ? marker.end : words[j + 2].end
        var d = digitsStart
        while d < end, isDigit(b[d]) { d += 1 }
        guard d > digitsStart, d - digitsStart <= 6 else { return nil }
        return (d, lastWord)
    }

    /// Trailing punctuation off a number run; a closing parenthesis only when unbalanced.
    static func numberCoreEnd(_ b: Bytes, _ s: Int, _ end: Int) -> Int {
        var e = end
        while e > s {
            let c = b[e - 1]
            if c == 0x29 {
                var open = 0, close = 0
                for k in s..<e { if b[k] == 0x28 { open += 1 } else if b[k] == 0x29 { close += 1 } }
                if close > open { e -= 1 } else { break }
            } else if trailing(c) {
                e -= 1
            } else {
                break
            }
        }
        return e
    }

    static func numberKind(_ b: Bytes, _ s: Int, _ e: Int) -> Redactor.Kind? {
        var digits: [UInt8] = []
        digits.reserveCapacity(e - s)
        var groups: [Int] = []
        var current = 0, dots = 0, slash = false, paren = false, plus = false
        for k in s..<e {
            let c = b[k]
            if isDigit(c) { digits.append(c &- 0x30); current += 1; continue }
            if current > 0 { groups.append(current); current = 0 }
            switch c {
            case 0x20, 0x2D: break
            case 0x2E: dots += 1
            case 0x2F: slash = true
            case 0x28, 0x29: paren = true
            case 0x2B: plus = true
            default: return nil
            }
        }
        if current > 0 { groups.append(current) }
        // Dots only between groups of four or more (`4242.4242.4242.4242`), never a version.
        let dottedCard = dots > 0 && dots == groups.count - 1 && groups.allSatisfy { $0 >= 4 }
        if (13...19).contains(digits.count), dots == 0 || dottedCard, !slash, !paren, !plus, luhn(digits) {
            return .card
        }
        if isPhone(first: b[s], digits: digits, groups: groups, dots: dots, slash: slash) { return .phone }
        return nil
    }

    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if i % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return sum % 10 == 0
    }

    /// International (`+44 20 7946 0958`, `0044 …`) or national (`(415) 555-0134`,
    /// `415-555-0134`, `1-800-555-0199`, `020 7946 0958`, `06 12 34 56 78`) phone numbers;
    /// not dates, versions, decimals or plain counts.
    static func isPhone(first: UInt8, digits: [UInt8], groups: [Int], dots: Int, slash: Bool) -> Bool {
        guard (7...15).contains(digits.count), !slash, dots != 1 else { return false }
        if first == UInt8(ascii: "+") { return digits.count >= 8 }
        if digits[0] == 0, digits[1] == 0 { return digits.count >= 10 && groups.count >= 2 }
        if first == UInt8(ascii: "("), digits.count == 10 { return true }
        if digits[0] == 0, (10...11).contains(digits.count), (2...5).contains(groups.count) { return true }
        if groups == [3, 3, 4] { return true }
        return groups == [1, 3, 3, 4] && digits[0] == 1
    }

    static func iban(
        _ b: Bytes, _ words: [Redactor.Word], at i: Int, from s: Int
    ) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        var compact: [UInt8] = []
        var best: (replacement: Redactor.Replacement, lastWord: Int)?
        var j = i
        while j < words.count, j < i + 9 {
            let (cs, ce) = j == i ? (s, core(b, s, words[j].end).1) : core(b, words[j].start, words[j].end)
            if j > i {
                guard words[j].singleSpaceBefore, cs == words[j].start, (1...4).contains(ce - cs) else { break }
            }
            guard ce > cs else { break }
            for k in cs..<ce {
                // Dashes between groups (`DE89-3704-0044-…`) are separators.
                if b[k] == 0x2D, k > cs { continue }
                guard isAlnum(b[k]) else { return best }
                compact.append(b[k] & (isLetter(b[k]) ? 0xDF : 0xFF))
            }
            if compact.count > 34 { break }
            if isIBAN(compact) { best = (Redactor.Replacement(start: s, end: ce, kind: .iban), j) }
            if ce < words[j].end { break }
            j += 1
        }
        return best
    }

    /// Country letters, check digits, and the mod-97 check of ISO 13616.
    static func isIBAN(_ c: [UInt8]) -> Bool {
        guard (15...34).contains(c.count), isLetter(c[0]), isLetter(c[1]), isDigit(c[2]), isDigit(c[3]) else {
            return false
        }
        var remainder = 0
        for k in 0..<c.count {
            let ch = c[(k + 4) % c.count]
            if isDigit(ch) {
                remainder = (remainder * 10 + Int(ch &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(ch) - 55) % 97
            }
        }
        return remainder == 1
    }
}
