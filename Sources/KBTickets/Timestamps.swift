import Foundation

/// Timestamps as exports write them: ISO 8601 (`2026-10-01T09:12:00Z`, with an offset, with
/// fractions, or a space instead of `T`), `YYYY-MM-DD H:MM[:SS]`, dates only, and Twitter's
/// `Tue Oct 31 22:10:47 +0000 2017`. Times without a zone are UTC. Parsed by hand: date
/// formatters are far too slow to create per row.
public enum TimestampParser {
    public static func parse(_ raw: String) -> Date? {
        let s = Array(raw.trimmingCharacters(in: .whitespaces).utf8)
        guard s.count >= 8 else { return nil }
        if let d = iso(s) { return d }
        return twitter(s)
    }

    private static func number(_ s: [UInt8], _ i: inout Int, maxDigits: Int) -> Int? {
        var n = 0, count = 0
        while i < s.count, count < maxDigits, s[i] >= 48, s[i] <= 57 { n = n * 10 + Int(s[i] - 48); i += 1; count += 1 }
        return count == 0 ? nil : n
    }

    private static func iso(_ s: [UInt8]) -> Date? {
        var i = 0
        guard let y = number(s, &i, maxDigits: 4), i == 4, i < s.count, s[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let mo = number(s, &i, maxDigits: 2), i < s.count, s[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let d = number(s, &i, maxDigits: 2) else { return nil }
        var h = 0, mi = 0, sec = 0, offset = 0
        if i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: " ") {
            i += 1
            guard let hh = number(s, &i, maxDigits: 2), i < s.count, s[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let mm = number(s, &i, maxDigits: 2) else { return nil }
            h = hh; mi = mm
            if i < s.count, s[i] == UInt8(ascii: ":") {
                i += 1
                guard let ss = number(s, &i, maxDigits: 2) else { return nil }
                sec = ss
                if i < s.count, s[i] == UInt8(ascii: ".") { i += 1; _ = number(s, &i, maxDigits: 9) }
            }
            if i < s.count {
                if s[i] == UInt8(ascii: "Z") { i += 1 }
                else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                    let sign = s[i] == UInt8(ascii: "+") ? 1 : -1
                    i += 1
                    guard let oh = number(s, &i, maxDigits: 2) else { return nil }
                    if i < s.count, s[i] == UInt8(ascii: ":") { i += 1 }
                    let om = number(s, &i, maxDigits: 2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == s.count else { return nil }
        return utc(y, mo, d, h, mi, sec, offset: offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Tue Oct 31 22:10:47 +0000 2017`.
    private static func twitter(_ s: [UInt8]) -> Date? {
        let parts = String(decoding: s, as: UTF8.self).split(separator: " ")
        guard parts.count == 6, let mo = months.firstIndex(of: parts[1].lowercased()), let d = Int(parts[2]),
              let y = Int(parts[5]) else { return nil }
        let t = parts[3].split(separator: ":").compactMap { Int($0) }
        guard t.count == 3 else { return nil }
        let z = parts[4]
        guard z.count == 5, let zh = Int(z.dropFirst().prefix(2)), let zm = Int(z.suffix(2)) else { return nil }
        return utc(y, mo + 1, d, t[0], t[1], t[2], offset: (z.hasPrefix("-") ? -1 : 1) * (zh * 3600 + zm * 60))
    }

    private static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, offset: Int) -> Date? {
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var tm = tm()
        tm.tm_year = Int32(y - 1900); tm.tm_mon = Int32(mo - 1); tm.tm_mday = Int32(d)
        tm.tm_hour = Int32(h); tm.tm_min = Int32(mi); tm.tm_sec = Int32(s)
        let t = timegm(&tm)
        // timegm normalises 31 February into March: reject dates that do not exist.
        var back = tm
        var copy = t
        gmtime_r(&copy, &back)
        guard back.tm_mday == Int32(d), back.tm_mon == Int32(mo - 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(t - offset))
    }

    /// `2026-10-01T09:12:00Z` (formatted by hand: `String(format:)` is slow on Linux).
    public static func iso(_ d: Date?) -> String? {
        guard let d else { return nil }
        let t = Int(d.timeIntervalSince1970.rounded(.down))
        var days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        var out = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, _ at: Int, _ width: Int) {
            var v = value
            for k in stride(from: at + width - 1, through: at, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(year, 0, 4); out[4] = 45; put(month, 5, 2); out[7] = 45; put(day, 8, 2); out[10] = 84
        put(secs / 3600, 11, 2); out[13] = 58; put(secs / 60 % 60, 14, 2); out[16] = 58; put(secs % 60, 17, 2); out[19] = 90
        return String(decoding: out, as: UTF8.self)
    }
}
