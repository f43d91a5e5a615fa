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
            if leading(b[s]) { s += 1 } else if e - s >= 3, b[s] == 0xE2, b[s + 1] == 0x80, b[s + 2] == 0x9C || b[s + 2] == 0x98 { s += 3 } else { break }
        }
        while e > s {
            if trailing(b[e - 1]) { e -= 1 } else if e - s >= 3, b[e - 3] == 0xE2, b[e - 2] == 0x80, b[e - 1] == 0x9D || b[e - 1] == 0x99 { e -= 3 } else { break }
        }
        return (s, e)
    }

    // MARK: numbers across words

    /// A card, phone or IBAN starting at word `i`, extended over following words separated
    /// by single spaces; the longest valid run wins.
    static func numberSpan(_ b: Bytes, _ words: [Redactor.Word], at i: Int) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        let w = words[i]
        var s = w.start
        while s < w.end, b[s] == 0x22 || b[s] == 0x27 || b[s] == 0x5B || b[s] == 0x7B || b[s] == 0x3C { s += 1 }
        guard s < w.end else { return nil }
        let c = b[s]
        if isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "(") { return numeric(b, words, at: i, from: s) }
        if isLetter(c), w.end - s >= 4, isLetter(b[s + 1]), isDigit(b[s + 2]), isDigit(b[s + 3]) { return iban(b, words, at: i, from: s) }
        return nil
    }

    /// Digits, number punctuation and surrounding punctuation only, with a digit.
    static func numericWord(_ b: Bytes, _ w: Redactor.Word) -> Bool {
        var digit = false
        for k in w.start..<w.end {
            let c = b[k]
            if isDigit(c) { digit = true; continue }
            switch c {
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2B, 0x2F, 0x22, 0x27, 0x5B, 0x7B, 0x3C, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x5D, 0x7D, 0x3E: continue
            default: return false
            }
        }
        return digit
    }

    static func numeric(_ b: Bytes, _ words: [Redactor.Word], at i: Int, from s: Int) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        guard numericWord(b, words[i]) else { return nil }
        var best: (replacement: Redactor.Replacement, lastWord: Int)?
        var j = i
        while j < words.count, j < i + 8 {
            if j > i { guard words[j].singleSpaceBefore, numericWord(b, words[j]) else { break } }
            let e = numberCoreEnd(b, s, words[j].end)
            if e > s, let kind = numberKind(b, s, e) { best = (Redactor.Replacement(start: s, end: e, kind: kind), j) }
            let last = b[words[j].end - 1]
            if last != 0x29, trailing(last) { break }   // punctuation ends the number
            j += 1
        }
        return best
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
            } else if trailing(c) { e -= 1 } else { break }
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
        if (13...19).contains(digits.count), dots == 0, !slash, !paren, !plus, luhn(digits) { return .card }
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

    static func iban(_ b: Bytes, _ words: [Redactor.Word], at i: Int, from s: Int) -> (replacement: Redactor.Replacement, lastWord: Int)? {
        var compact: [UInt8] = []
        var best: (replacement: Redactor.Replacement, lastWord: Int)?
        var j = i
        while j < words.count, j < i + 9 {
            let (cs, ce) = j == i ? (s, core(b, s, words[j].end).1) : core(b, words[j].start, words[j].end)
            if j > i { guard words[j].singleSpaceBefore, cs == words[j].start, (1...4).contains(ce - cs) else { break } }
            guard ce > cs else { break }
            for k in cs..<ce {
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
        guard (15...34).contains(c.count), isLetter(c[0]), isLetter(c[1]), isDigit(c[2]), isDigit(c[3]) else { return false }
        var remainder = 0
        for k in 0..<c.count {
            let ch = c[(k + 4) % c.count]
            if isDigit(ch) { remainder = (remainder * 10 + Int(ch &- 0x30)) % 97 } else { remainder = (remainder * 100 + Int(ch) - 55) % 97 }
        }
        return remainder == 1
    }
}
