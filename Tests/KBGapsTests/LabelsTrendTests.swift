import KBTickets
import XCTest

@testable import KBGaps

final class LabelsTrendTests: XCTestCase {
    func testClassBasedTFIDFLabelsComeFromTheTopicsOwnWords() {
        let texts = [
            "bank feed shows duplicate transactions", "duplicate transactions after reconnecting bank feed",
            "why are my bank feed transactions duplicated", "android app crashes attaching receipt photo",
            "app crash when I attach a receipt photo", "receipt photo upload crashes the android app",
            "where is my invoice",
        ]
        let labels = TopicLabeler().labels(texts: texts, assignments: [0, 0, 0, 1, 1, 1, -1], topicCount: 2)
        XCTAssertEqual(labels.count, 2)
        XCTAssertTrue(labels[0].keyPhrases.contains("bank feed"), "\(labels[0])")
        XCTAssertTrue(labels[1].keyPhrases.contains("receipt photo"), "\(labels[1])")
        // The chosen bigram hides its own words.
        XCTAssertFalse(labels[0].keyPhrases.contains("bank"))
        XCTAssertFalse(labels[1].keyPhrases.contains(where: { $0.contains("invoice") }))
        XCTAssertEqual(labels[0].label.components(separatedBy: " · ").count, 3)
    }

    func testTermsDropStopWordsAndNumbers() {
        XCTAssertEqual(TopicLabeler.terms("Why can't I export 2024 invoices?"), ["export", "invoices"])
        XCTAssertEqual(TopicLabeler.terms("card declined again"), ["card", "declined", "card declined"])
    }

    func date(_ s: String) -> Date { TimestampParser.parse(s)! }

    func testISOWeeksAcrossYearEnd() {
        XCTAssertEqual(ISOWeek(date("2026-01-01")).description, "2026-W01")  // a Thursday
        XCTAssertEqual(ISOWeek(date("2027-01-01")).description, "2026-W53")  // a Friday: 2026 has 53 weeks
        XCTAssertEqual(ISOWeek(date("2026-12-28")).description, "2026-W53")
        XCTAssertEqual(ISOWeek(date("2024-12-30")).description, "2025-W01")
        XCTAssertEqual(ISOWeek(date("2026-11-22T23:59:59Z")).description, "2026-W47")  // Sunday ends the week
        XCTAssertEqual(ISOWeek(date("2026-11-23T00:00:00Z")).description, "2026-W48")
    }

    func testTrendCountsPerWeekAndLastChange() {
        // As of Friday 2027-01-08 12:00: weeks are (Dec 25 12:00, Jan 1 12:00] and (Jan 1 12:00, Jan 8 12:00], …
        let dates = [
            "2026-12-21T00:00:00Z", "2026-12-22T00:00:00Z", "2026-12-29T00:00:00Z", "2027-01-05T00:00:00Z",
            "2027-01-06T00:00:00Z", "2027-01-08T12:00:00Z",
        ].map(date)
        let periods = Trend.window(dates, asOf: date("2027-01-08T12:00:00Z"))
        XCTAssertEqual(periods.map(\.label), ["2026-12-18", "2026-12-25", "2027-01-01"])
        XCTAssertEqual(periods.last!.isoWeek.description, "2027-W01")
        let all = Trend(periods: periods, dates: dates)
        XCTAssertEqual(all.counts, [2, 1, 3], "the as-of instant itself belongs to the last week")
        XCTAssertEqual(all.change, 2)
        XCTAssertEqual(all.changeRatio!, 2.0, accuracy: 1e-12)
        XCTAssertEqual(all.summary, "↑ +2 (+200 %)")
        // A topic only seen in the first week: zero-filled, no ratio from an empty week.
        let early = Trend(periods: periods, dates: [date("2026-12-21T00:00:00Z")])
        XCTAssertEqual(early.counts, [1, 0, 0])
        XCTAssertEqual(early.change, 0)
        XCTAssertNil(early.changeRatio)
        // Two-week window: older dates fall outside; 1 → 3 is the change.
        let short = Trend(periods: Trend.window(dates, asOf: date("2027-01-08T12:00:00Z"), maxWeeks: 2), dates: dates)
        XCTAssertEqual(short.counts, [1, 3])
        let falling = Trend(periods: Array(periods.prefix(2)), dates: dates)
        XCTAssertEqual(falling.change, -1)
        XCTAssertEqual(falling.changeRatio!, -0.5, accuracy: 1e-12)
        XCTAssertEqual(Trend.window([]).count, 0)
    }
}
