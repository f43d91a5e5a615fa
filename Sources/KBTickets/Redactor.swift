import Foundation

/// Removes personal data from text before anything is stored: e-mail addresses, phone
/// numbers, payment card numbers (Luhn-checked), IBANs (mod-97-checked), IP addresses,
/// secrets in URLs, API-key-like tokens, @handles and known names. Each is replaced by a
/// typed placeholder. Ordinary text — versions, dates, error codes, prices, invoice
/// numbers — is kept.
///
/// One pass over whitespace-separated tokens; number-like runs that span tokens (cards,
/// phones, IBANs written in groups) are examined across neighbouring tokens.
public struct Redactor: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case email = "[EMAIL]", phone = "[PHONE]", card = "[CARD]", iban = "[IBAN]", ip = "[IP]"
        case secret = "[SECRET]", url = "[URL]", handle = "[HANDLE]", name = "[NAME]"
    }

    /// Lower-cased names to remove (full names and their parts of 3+ letters).
    private let names: [[String]]

    /// `names`: the ticket's customer and contacts, as known from the import.
    public init(names: [String] = []) {
        var parts: [[String]] = []
        for full in names {
            let words = full.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" }).map(String.init)
            guard !words.isEmpty else { continue }
            parts.append(words)
            for w in words where w.count >= 3 { parts.append([w]) }
        }
        // Longest first so a full name wins over its parts.
        self.names = parts.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var tokens = Self.split(text)
        redactNumbers(&tokens)
        for i in tokens.indices where tokens[i].kind == .word { tokens[i].text = redactWord(tokens[i].text) }
        if !names.isEmpty { redactNames(&tokens) }
        return tokens.map(\.text).joined()
    }

    // MARK: tokens

    struct Token {
        enum Kind { case word, space }
        var text: String
        var kind: Kind
    }

    static func split(_ text: String) -> [Token] {
        var out: [Token] = []
        var current = ""
        var inSpace = false
        for ch in text {
            let space = ch.isWhitespace
            if space != inSpace, !current.isEmpty {
                out.append(Token(text: current, kind: inSpace ? .space : .word))
                current = ""
            }
            inSpace = space
            current.append(ch)
        }
        if !current.isEmpty { out.append(Token(text: current, kind: inSpace ? .space : .word)) }
        return out
    }

    // MARK: single-token patterns

    private static let trailing = CharacterSet(charactersIn: ".,;:!?)]}>\"'")
    private static let leading = CharacterSet(charactersIn: "([{<\"'")

    /// Splits surrounding punctuation off a word so `(ana@x.com),` keeps its brackets.
    private static func core(_ word: String) -> (prefix: Substring, core: Substring, suffix: Substring) {
        var s = word[...]
        var start = s.startIndex, end = s.endIndex
        while start < end, s[start].unicodeScalars.allSatisfy({ leading.contains($0) }) { start = s.index(after: start) }
        while end > start, s[s.index(before: end)].unicodeScalars.allSatisfy({ trailing.contains($0) }) { end = s.index(before: end) }
        s = word[start..<end]
        return (word[..<start], s, word[end...])
    }

    func redactWord(_ word: String) -> String {
        let (prefix, core, suffix) = Self.core(word)
        guard !core.isEmpty else { return word }
        if let kind = Self.classify(core) { return prefix + kind.rawValue + suffix }
        return word
    }

    static func classify(_ w: Substring) -> Kind? {
        let lower = w.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") {
            if urlHasSecret(lower) { return .secret }
            return nil
        }
        if let at = w.firstIndex(of: "@") {
            if at == w.startIndex {
                let rest = w.dropFirst()
                if rest.count >= 2, rest.count <= 30, rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return .handle }
                return nil
            }
            let domain = w[w.index(after: at)...]
            if domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
               w[..<at].allSatisfy({ $0.isLetter || $0.isNumber || "._%+-".contains($0) }),
               domain.allSatisfy({ $0.isLetter || $0.isNumber || ".-".contains($0) }) { return .email }
        }
        if isIPv4(w) || isIPv6(w) { return .ip }
        if isAPIKey(w) { return .secret }
        return nil
    }

    static func urlHasSecret(_ url: String) -> Bool {
        if let schemeEnd = url.range(of: "://") {
            let authority = url[schemeEnd.upperBound...].prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
            if authority.contains("@") { return true }   // user:password@host
        }
        guard let q = url.firstIndex(of: "?") else { return false }
        let keys = ["token", "secret", "key", "apikey", "api_key", "password", "pwd", "sig", "signature", "access_token", "auth", "session"]
        for pair in url[url.index(after: q)...].split(whereSeparator: { $0 == "&" || $0 == "#" }) {
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            if keys.contains(key) || key.hasSuffix("token") || key.hasSuffix("secret") { return true }
        }
        return false
    }

    static func isIPv4(_ w: Substring) -> Bool {
        let parts = w.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { p in p.count >= 1 && p.count <= 3 && p.allSatisfy(\.isASCIIDigitChar) && Int(p)! <= 255 }
    }

    static func isIPv6(_ w: Substring) -> Bool {
        let colons = w.filter { $0 == ":" }.count
        guard colons >= 2, w.count >= 3 else { return false }
        guard w.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let groups = w.split(separator: ":", omittingEmptySubsequences: true)
        guard !groups.isEmpty, groups.allSatisfy({ $0.count <= 4 || $0.contains(".") }) else { return false }
        // A time like 10:30:00 is not an address: require a hex letter or `::`.
        return w.contains("::") || w.contains(where: { $0.isLetter })
    }

    /// Long tokens mixing letters and digits (`sk_live_…`, bearer tokens, hex secrets).
    static func isAPIKey(_ w: Substring) -> Bool {
        let lower = w.lowercased()
        for p in ["sk_live_", "sk_test_", "pk_live_", "rk_live_", "ghp_", "xoxb-", "xoxp-", "akia"] where lower.hasPrefix(p) && w.count >= p.count + 8 {
            return true
        }
        guard w.count >= 24, w.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) }) else { return false }
        let digits = w.filter(\.isNumber).count, letters = w.filter(\.isLetter).count
        return digits >= 4 && letters >= 4
    }

    // MARK: numbers across tokens: cards, IBANs, phones

    private func redactNumbers(_ tokens: inout [Token]) {
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .word else { i += 1; continue }
            // Greedily join up to 8 word tokens separated by single spaces.
            var best: (end: Int, kind: Kind)?
            var joined = ""
            var j = i
            while j < tokens.count, j < i + 15 {
                if tokens[j].kind == .space {
                    if tokens[j].text != " " { break }
                    j += 1
                    continue
                }
                joined += (joined.isEmpty ? "" : " ") + tokens[j].text
                if let kind = Self.numberKind(Self.numberCore(joined).core) { best = (j, kind) }
                if !tokens[j].text.contains(where: { $0.isNumber }) && j > i { break }
                j += 1
            }
            if let best {
                var span = ""
                for k in i...best.end { span += tokens[k].text }
                let trimmed = Self.numberCore(span)
                tokens[i].text = trimmed.prefix + best.kind.rawValue + trimmed.suffix
                if best.end > i { for k in (i + 1)...best.end { tokens[k].text = "" } }
                i = best.end + 1
            } else {
                i += 1
            }
        }
    }

    /// Like ``core(_:)`` for number runs: an opening parenthesis belongs to the number
    /// (`(415) 555-0134`), a closing one only when it is unbalanced.
    static func numberCore(_ text: String) -> (prefix: Substring, core: Substring, suffix: Substring) {
        var start = text.startIndex, end = text.endIndex
        while start < end, "\"'[{<".contains(text[start]) { start = text.index(after: start) }
        while end > start {
            let c = text[text.index(before: end)]
            let body = text[start..<end]
            if ".,;:!?]}>\"'".contains(c) || (c == ")" && body.filter({ $0 == ")" }).count > body.filter({ $0 == "(" }).count) {
                end = text.index(before: end)
            } else { break }
        }
        return (text[..<start], text[start..<end], text[end...])
    }

    static func numberKind(_ s: Substring) -> Kind? {
        guard let first = s.first, first.isNumber || first == "+" || first == "(" || first.isLetter else { return nil }
        if first.isLetter { return isIBAN(s) ? .iban : nil }
        let allowed = s.allSatisfy { $0.isASCIIDigitChar || " -.()+/".contains($0) }
        guard allowed else { return nil }
        let digits = s.filter(\.isASCIIDigitChar)
        if digits.count >= 13, digits.count <= 19, luhn(digits), !s.contains("."), !s.contains("/") { return .card }
        if isPhone(s, digits: digits) { return .phone }
        return nil
    }

    static func luhn(_ digits: String) -> Bool {
        var sum = 0
        for (i, ch) in digits.reversed().enumerated() {
            var d = Int(String(ch))!
            if i % 2 == 1 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        return sum % 10 == 0
    }

    static func isIBAN(_ s: Substring) -> Bool {
        let compact = s.filter { $0 != " " }.uppercased()
        guard compact.count >= 15, compact.count <= 34, compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        let chars = Array(compact)
        guard chars[0].isLetter, chars[1].isLetter, chars[2].isNumber, chars[3].isNumber else { return false }
        let rearranged = chars[4...] + chars[..<4]
        var remainder = 0
        for c in rearranged {
            let value = c.isNumber ? Int(String(c))! : Int(c.asciiValue! - 55)
            for d in String(value) { remainder = (remainder * 10 + Int(String(d))!) % 97 }
        }
        return remainder == 1
    }

    /// Phone numbers: international (`+44 20 7946 0958`) or national (`(415) 555-0134`,
    /// `020 7946 0958`, `415-555-0134`); not dates, versions, prices or plain counts.
    static func isPhone(_ s: Substring, digits: String) -> Bool {
        guard digits.count >= 7, digits.count <= 15 else { return false }
        if s.contains("/") { return false }                 // dates
        if s.filter({ $0 == "." }).count == 1 { return false }  // decimals
        if s.hasPrefix("+") { return digits.count >= 8 && digits.count <= 15 }
        let groups = s.split(whereSeparator: { " -.()".contains($0) }).map(\.count)
        if s.hasPrefix("("), digits.count == 10 { return true }               // (415) 555-0134
        if digits.hasPrefix("0"), (10...11).contains(digits.count), (2...4).contains(groups.count) { return true }  // 020 7946 0958
        return groups == [3, 3, 4]                                              // 415-555-0134
    }

    // MARK: names

    private func redactNames(_ tokens: inout [Token]) {
        let words = tokens.indices.filter { tokens[$0].kind == .word }
        var w = 0
        while w < words.count {
            var matched = 0
            for name in names where w + name.count <= words.count {
                var ok = true
                for (k, part) in name.enumerated() {
                    let t = Self.core(tokens[words[w + k]].text).core.lowercased()
                    let bare = t.hasSuffix("'s") ? String(t.dropLast(2)) : t
                    if bare != part { ok = false; break }
                }
                if ok { matched = name.count; break }
            }
            if matched > 0 {
                let first = Self.core(tokens[words[w]].text), last = Self.core(tokens[words[w + matched - 1]].text)
                let possessive = last.core.lowercased().hasSuffix("'s") ? "'s" : ""
                tokens[words[w]].text = first.prefix + Kind.name.rawValue + possessive + last.suffix
                for k in 1..<matched { tokens[words[w + k]].text = "" }
                // Drop the spaces between the removed words.
                for idx in words[w]..<words[w + matched - 1] where tokens[idx].kind == .space { tokens[idx].text = "" }
                w += matched
            } else {
                w += 1
            }
        }
    }
}

extension Character {
    var isASCIIDigitChar: Bool { isASCII && isNumber }
}
