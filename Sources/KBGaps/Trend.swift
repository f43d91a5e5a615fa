import Foundation

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

/// Counts per week over the report window and the change between the last two weeks.
public struct Trend: Sendable, Codable, Equatable {
    /// Weeks of the window, oldest first.
    public var weeks: [String]
    /// Count per week, aligned with `weeks`.
    public var counts: [Int]
    /// Count of the last week minus count of the week before (0 when the window has < 2 weeks).
    public var change: Int
    /// `change` relative to the week before (nil when that week had no question).
    public var changeRatio: Double?

    public init(weeks: [ISOWeek], dates: [Date]) {
        self.weeks = weeks.map(\.description)
        let index = Dictionary(uniqueKeysWithValues: weeks.enumerated().map { ($1, $0) })
        var counts = [Int](repeating: 0, count: weeks.count)
        for d in dates { if let i = index[ISOWeek(d)] { counts[i] += 1 } }
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

    /// Every ISO week from the one holding the earliest date to the one holding the latest,
    /// with no gaps; empty when there is no date.
    public static func window(_ dates: [Date]) -> [ISOWeek] {
        guard let lo = dates.min(), let hi = dates.max() else { return [] }
        var weeks: [ISOWeek] = []
        var w = ISOWeek(lo)
        let last = ISOWeek(hi)
        while w <= last {
            weeks.append(w)
            w = w.next
        }
        return weeks
    }

    /// Words for the report: "↑ +3 (+60 %)", "↓ −2", "=".
    public var summary: String {
        if change == 0 { return "= 0" }
        let arrow = change > 0 ? "↑" : "↓"
        let ratio = changeRatio.map { String(format: " (%+.0f %%)", $0 * 100) } ?? ""
        return "\(arrow) \(change > 0 ? "+" : "")\(change)\(ratio)"
    }
}
