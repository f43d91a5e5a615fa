import Foundation
import KBTickets

/// An ISO 8601 week (Monday start, week 1 holds the year's first Thursday), in UTC.
public struct ISOWeek: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// The week holding `date` (UTC).
    public init(_ date: Date) {
        let c = ISOWeek.calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        self.init(year: c.yearForWeekOfYear!, week: c.weekOfYear!)
    }

    /// Monday 00:00 UTC of this week.
    public var start: Date {
        ISOWeek.calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year))!
    }

    /// The following week.
    public var next: ISOWeek { ISOWeek(start.addingTimeInterval(7 * 86_400 + 3_600)) }

    /// `2026-W09`.
    public var description: String { String(format: "%04d-W%02d", year, week) }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    static let calendar: Calendar = {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}

/// One 7-day period of the report window: `(start, end]` in UTC, labelled by its first day.
public struct WeekPeriod: Sendable, Codable, Hashable {
    public var start: Date
    public var end: Date
    /// `2026-11-14` (the first day) — also `isoWeek` of the last day for readers who think in ISO weeks.
    public var label: String {
        String((TimestampParser.iso(start.addingTimeInterval(1)) ?? "").prefix(10))
    }
    public var isoWeek: ISOWeek { ISOWeek(end.addingTimeInterval(-1)) }
    public func contains(_ d: Date) -> Bool { d > start && d <= end }
}

/// Counts per week over the report window and the change between the last two weeks. Weeks
/// are 7-day periods ending at the report's as-of time, so the last period is a full week even
/// when the export stops mid-week (an ISO-week split would compare a few days with a whole week).
public struct Trend: Sendable, Codable, Equatable {
    /// First day of each week, oldest first.
    public var weeks: [String]
    /// Count per week, aligned with `weeks`.
    public var counts: [Int]
    /// Count of the last week minus count of the week before (0 when the window has < 2 weeks).
    public var change: Int
    /// `change` relative to the week before (nil when that week had no question).
    public var changeRatio: Double?

    public init(periods: [WeekPeriod], dates: [Date]) {
        weeks = periods.map(\.label)
        var counts = [Int](repeating: 0, count: periods.count)
        // Periods are consecutive 7-day spans: find a date's span by arithmetic, then check it.
        let origin = periods.first?.start.timeIntervalSince1970 ?? 0
        for d in dates {
            let guess = Int(((d.timeIntervalSince1970 - origin) / 604_800).rounded(.up)) - 1
            for i in [guess, guess - 1, guess + 1] where periods.indices.contains(i) && periods[i].contains(d) {
                counts[i] += 1
                break
            }
        }
        self.counts = counts
        if counts.count >= 2 {
            let last = counts[counts.count - 1], previous = counts[counts.count - 2]
            change = last - previous
            changeRatio = previous > 0 ? Double(last - previous) / Double(previous) : nil
        } else {
            change = 0
            changeRatio = nil
        }
    }

    /// Consecutive 7-day periods ending at `asOf` (default: the latest date) back to the
    /// earliest date, at most `maxWeeks` of them; empty when there is no date.
    public static func window(_ dates: [Date], asOf: Date? = nil, maxWeeks: Int? = nil) -> [WeekPeriod] {
        guard let lo = dates.min(), let hi = asOf ?? dates.max() else { return [] }
        let week = 7.0 * 86_400
        var count = max(1, Int((hi.timeIntervalSince(lo) / week).rounded(.down)) + 1)
        if let maxWeeks { count = min(count, max(1, maxWeeks)) }
        return (0..<count).reversed().map { k in
            let end = hi.addingTimeInterval(-Double(k) * week)
            return WeekPeriod(start: end.addingTimeInterval(-week), end: end)
        }
    }

    /// Words for the report: "↑ +3 (+60 %)", "↓ −2", "= 0".
    public var summary: String {
        if change == 0 { return "= 0" }
        let arrow = change > 0 ? "↑" : "↓"
        let ratio = changeRatio.map { String(format: " (%+.0f %%)", $0 * 100) } ?? ""
        return "\(arrow) \(change > 0 ? "+" : "")\(change)\(ratio)"
    }
}
