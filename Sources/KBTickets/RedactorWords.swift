/// Single-word patterns of ``Redactor``: URLs with secrets, e-mails, @handles, IP
/// addresses, API-key-like tokens and `password=…` pairs.
extension Patterns {
    /// Adds the replacements inside one word (several for a URL with several secrets).
    static func word(_ b: Bytes, _ w: Redactor.Word, into out: inout [Redactor.Replacement]) {
        let (s, e) = core(b, w.start, w.end)
        guard e > s else { return }
        var at = -1, colon = false, dot = false, equals = false, digits = 0
        for k in s..<e {
            switch b[k] {
            case 0x40: if at < 0 { at = k }
            case 0x3A: colon = true
            case 0x2E: dot = true
            case 0x3D: equals = true
            case 0x30...0x39: digits += 1
            default: break
            }
        }
        let length = e - s
        if length >= 4, let hostStart = urlHostStart(b, s, e) { url(b, s, e, hostStart: hostStart, into: &out); return }
        if at >= 0 {
            if at == s { if let h = handleEnd(b, s, e) { out.append(.init(start: s, end: h, kind: .handle)) }; return }
            emails(b, s, e, into: &out)
            return
        }
        if digits > 0, colon || dot, isIP(b, s, e) {
            // `[2001:db8::2]:443` goes whole, brackets included.
            let bracketed = s > w.start && b[s - 1] == 0x5B && (s..<e).contains { b[$0] == 0x5D }
            out.append(.init(start: bracketed ? s - 1 : s, end: e, kind: .ip))
            return
        }
        if length >= 12, isAPIKey(b, s, e) { out.append(.init(start: s, end: e, kind: .secret)); return }
        if equals { keyValueSecret(b, s, e, into: &out) }
    }

    static func hasPrefix(_ b: Bytes, _ s: Int, _ e: Int, _ prefix: StaticString, caseInsensitive: Bool = true) -> Bool
    {
        let n = prefix.utf8CodeUnitCount
        guard e - s >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n {
            var c = b[s + k]
            if caseInsensitive, c >= 0x41, c <= 0x5A { c |= 0x20 }
            if c != p[k] { return false }
        }
        return true
    }

    /// Where the host starts for `http://`, `https://`, `ftp://` and `www.` words.
    static func urlHostStart(_ b: Bytes, _ s: Int, _ e: Int) -> Int? {
        if hasPrefix(b, s, e, "https://") { return s + 8 }
        if hasPrefix(b, s, e, "http://") { return s + 7 }
        if hasPrefix(b, s, e, "ftp://") { return s + 6 }
        if hasPrefix(b, s, e, "www.") { return s }
        return nil
    }

    /// A URL keeps its host and path; credentials (`user:pass@`), secret query or fragment
    /// values (`token=`, `key=`, `signature=` …), e-mails in values and key-like path
    /// segments are replaced.
    static func url(_ b: Bytes, _ s: Int, _ e: Int, hostStart: Int, into out: inout [Redactor.Replacement]) {
        var k = hostStart
        while k < e, b[k] != 0x2F, b[k] != 0x3F, b[k] != 0x23 { k += 1 }
        let authorityEnd = k
        if let at = (hostStart..<authorityEnd).last(where: { b[$0] == 0x40 }), at > hostStart {
            out.append(.init(start: hostStart, end: at, kind: .secret))
        }
        // Path segments.
        var segment = authorityEnd
        while k < e, b[k] != 0x3F, b[k] != 0x23 {
            if b[k] == 0x2F {
                if k - segment > 1, isAPIKey(b, segment + 1, k) {
                    out.append(.init(start: segment + 1, end: k, kind: .secret))
                }
                segment = k
            }
            k += 1
        }
        if k - segment > 1, b[segment] == 0x2F, isAPIKey(b, segment + 1, k) {
            out.append(.init(start: segment + 1, end: k, kind: .secret))
        }
        // Query and fragment pairs.
        while k < e {
            let pairStart = k + 1
            var pairEnd = pairStart
            while pairEnd < e, b[pairEnd] != 0x26, b[pairEnd] != 0x3B, b[pairEnd] != 0x23 { pairEnd += 1 }
            if let eq = (pairStart..<pairEnd).first(where: { b[$0] == 0x3D }), eq + 1 < pairEnd {
                let valueStart = eq + 1
                if isSecretKey(b, pairStart, eq) || isAPIKey(b, valueStart, pairEnd) {
                    out.append(.init(start: valueStart, end: pairEnd, kind: .secret))
                } else if (valueStart..<pairEnd).contains(where: { b[$0] == 0x40 })
                    || hasPrefix(b, valueStart, pairEnd, "%40")
                {
                    let before = out.count
                    emails(b, valueStart, pairEnd, into: &out)
                    if out.count == before, percentEncodedEmail(b, valueStart, pairEnd) {
                        out.append(.init(start: valueStart, end: pairEnd, kind: .email))
                    }
                } else if percentEncodedEmail(b, valueStart, pairEnd) {
                    out.append(.init(start: valueStart, end: pairEnd, kind: .email))
                }
            }
            k = pairEnd
        }
    }

    static func percentEncodedEmail(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        var k = s
        while k + 2 < e {
            if b[k] == 0x25, b[k + 1] == 0x34, b[k + 2] == 0x30, k > s { return (k + 3..<e).contains { b[$0] == 0x2E } }
            k += 1
        }
        return false
    }

    static let secretKeys: [StaticString] = [
        "token", "secret", "key", "apikey", "api_key", "api-key", "password", "passwd", "pwd", "pass", "sig",
        "signature",
        "access_token", "refresh_token", "id_token", "auth", "session", "sessionid", "client_secret", "code", "otp",
    ]

    static func isSecretKey(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard e > s else { return false }
        for key in secretKeys where e - s == key.utf8CodeUnitCount && hasPrefix(b, s, e, key) { return true }
        for suffix in ["token", "secret", "password", "_key", "-key", "signature"] as [StaticString] {
            let n = suffix.utf8CodeUnitCount
            if e - s > n, hasPrefix(b, e - n, e, suffix) { return true }
        }
        return false
    }

    /// `password=hunter2`, `api_key=…` outside URLs: the value goes.
    static func keyValueSecret(_ b: Bytes, _ s: Int, _ e: Int, into out: inout [Redactor.Replacement]) {
        guard let eq = (s..<e).first(where: { b[$0] == 0x3D }), eq + 1 < e, isSecretKey(b, s, eq) else { return }
        out.append(.init(start: eq + 1, end: e, kind: .secret))
    }

    /// `@name`: letters, digits and `_`, 1–30 long; returns where the handle ends.
    static func handleEnd(_ b: Bytes, _ s: Int, _ e: Int) -> Int? {
        var k = s + 1
        // Letters of any script (`@łukasz462`): UTF-8 bytes of non-ASCII letters, but not
        // general punctuation (U+2000–U+206F: curly quotes, dashes, ellipsis).
        while k < e {
            if isAlnum(b[k]) || b[k] == 0x5F { k += 1; continue }
            if b[k] >= 0xC3, b[k] != 0xE2 || k + 1 < e && b[k + 1] != 0x80 && b[k + 1] != 0x81 {
                k += 1
                while k < e, b[k] & 0xC0 == 0x80 { k += 1 }
                continue
            }
            break
        }
        let n = k - s - 1
        guard n >= 1, n <= 60 else { return nil }
        if k < e, b[k] == 0x40 || b[k] == 0x2E && k + 1 < e && isAlnum(b[k + 1]) { return nil }
        return k
    }

    @inline(__always) static func emailLocal(_ c: UInt8) -> Bool {
        isAlnum(c) || c >= 0x80 || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }

    @inline(__always) static func emailDomain(_ c: UInt8) -> Bool { isAlnum(c) || c >= 0x80 || c == 0x2E || c == 0x2D }

    /// Every `local@domain.tld` inside the word (`mailto:ana@x.com`, `<ana@x.com>`).
    static func emails(_ b: Bytes, _ s: Int, _ e: Int, into out: inout [Redactor.Replacement]) {
        var k = s
        while k < e {
            guard b[k] == 0x40 else { k += 1; continue }
            var left = k
            while left > s, emailLocal(b[left - 1]) { left -= 1 }
            var right = k + 1
            while right < e, emailDomain(b[right]) { right += 1 }
            while right > k + 1, b[right - 1] == 0x2E || b[right - 1] == 0x2D { right -= 1 }
            if left < k, let lastDot = (k + 1..<right).last(where: { b[$0] == 0x2E }), lastDot > k + 1,
                right - lastDot > 2,
                (lastDot + 1..<right).allSatisfy({ isLetter(b[$0]) || b[$0] >= 0x80 })
            {
                out.append(.init(start: left, end: right, kind: .email))
                k = right
            } else {
                k += 1
            }
        }
    }

    // MARK: IP addresses

    static func isIP(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        var e = e
        // `198.51.100.7/24`, `2001:db8::/32`: a network prefix length.
        if let slash = (s..<e).last(where: { b[$0] == 0x2F }), slash + 1 < e, e - slash <= 4,
            (slash + 1..<e).allSatisfy({ isDigit(b[$0]) })
        {
            e = slash
        }
        // `[2001:db8::2]:443` (the opening bracket is already off).
        if let close = (s..<e).first(where: { b[$0] == 0x5D }) {
            guard
                close + 1 == e
                    || b[close + 1] == 0x3A && close + 2 < e && (close + 2..<e).allSatisfy({ isDigit(b[$0]) })
            else { return false }
            e = close
        }
        // `fe80::1%eth0`: a zone index.
        if let percent = (s..<e).first(where: { b[$0] == 0x25 }), percent > s,
            (percent + 1..<e).allSatisfy({ isAlnum(b[$0]) || b[$0] == 0x2E || b[$0] == 0x5F })
        {
            e = percent
        }
        if isIPv4(b, s, e) { return true }
        // `10.0.0.1:8080`
        if let colon = (s..<e).first(where: { b[$0] == 0x3A }), isIPv4(b, s, colon),
            (colon + 1..<e).allSatisfy({ isDigit(b[$0]) })
        {
            return true
        }
        return isIPv6(b, s, e)
    }

    static func isIPv4(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        var parts = 0, value = 0, length = 0
        for k in s...e {
            if k == e || b[k] == 0x2E {
                guard length >= 1, length <= 3, value <= 255 else { return false }
                parts += 1; value = 0; length = 0
                continue
            }
            guard isDigit(b[k]) else { return false }
            value = value * 10 + Int(b[k] &- 0x30)
            length += 1
        }
        return parts == 4
    }

    static func isIPv6(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 3, e - s <= 45 else { return false }
        var colons = 0, group = 0, letter = false, doubleColon = false, dotted = false
        for k in s..<e {
            let c = b[k]
            if c == 0x3A {
                colons += 1
                if k > s, b[k - 1] == 0x3A { doubleColon = true }
                group = 0
            } else if c == 0x2E {
                dotted = true
            } else if isHex(c) {
                if !isDigit(c) { letter = true }
                group += 1
                if group > 4 && !dotted { return false }
            } else {
                return false
            }
        }
        guard colons >= 2, colons <= 7 else { return false }
        if dotted, let lastColon = (s..<e).last(where: { b[$0] == 0x3A }), !isIPv4(b, lastColon + 1, e) { return false }
        // A time such as 10:30:00 is not an address: require a hex letter or `::`.
        return doubleColon || letter
    }

    // MARK: keys

    static let keyPrefixes: [StaticString] = [
        "sk_live_", "sk_test_", "pk_live_", "pk_test_", "rk_live_", "rk_test_", "whsec_", "ghp_", "gho_", "ghs_",
        "ghu_",
        "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "AKIA", "ASIA", "AIza", "SG.",
    ]

    /// API keys and other credentials by shape: known prefixes (`sk_live_…`, `ghp_…`,
    /// `AKIA…`), JSON Web Tokens, and 24+ characters of letters, digits, `_` and `-` that
    /// switch between letters and digits at least four times (random, not a word or an error
    /// code). UUIDs are identifiers, not secrets, and are kept.
    static func isAPIKey(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        let n = e - s
        guard n >= 12 else { return false }
        if n == 40, isAWSSecret(b, s, e) { return true }
        for p in keyPrefixes where n >= p.utf8CodeUnitCount + 8 && hasPrefix(b, s, e, p, caseInsensitive: false) {
            return true
        }
        if hasPrefix(b, s, e, "eyJ", caseInsensitive: false), n >= 30, (s..<e).filter({ b[$0] == 0x2E }).count == 2 {
            return true
        }
        var end = e
        while end > s, b[end - 1] == 0x3D { end -= 1 }
        guard end - s >= 24 else { return false }
        if end - s == 36, b[s + 8] == 0x2D, b[s + 13] == 0x2D, b[s + 18] == 0x2D, b[s + 23] == 0x2D { return false }
        var digits = 0, letters = 0, switches = 0, previous: UInt8 = 0  // 1 letter, 2 digit
        for k in s..<end {
            let c = b[k]
            let kind: UInt8
            if isDigit(c) {
                digits += 1; kind = 2
            } else if isLetter(c) {
                letters += 1; kind = 1
            } else if c == 0x5F || c == 0x2D {
                kind = 0
            } else {
                return false
            }
            if kind != 0 { if previous != 0, kind != previous { switches += 1 }; previous = kind }
        }
        return digits >= 4 && letters >= 4 && switches >= 4
    }

    /// An AWS secret access key: 40 characters of base64 (`A–Z a–z 0–9 / +`), both cases, and
    /// digits or `/`/`+` among them, not starting with `/` (a path).
    static func isAWSSecret(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard b[s] != 0x2F else { return false }
        var upper = 0, lower = 0, other = 0, slashes = 0
        for k in s..<e {
            let c = b[k]
            if c >= 0x41 && c <= 0x5A {
                upper += 1
            } else if c >= 0x61 && c <= 0x7A {
                lower += 1
            } else if isDigit(c) || c == 0x2B {
                other += 1
            } else if c == 0x2F {
                slashes += 1
            } else {
                return false
            }
        }
        return upper >= 4 && lower >= 4 && other + slashes >= 1 && slashes <= 6
    }
}
