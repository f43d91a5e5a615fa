import Foundation
import KBDrafts
import KBGaps
import KBTickets

/// The data behind `reports/metrics.{md,html,json}`: one model, three renderings. Every
/// figure covers a window and is compared with the window of the same length before it.
/// Schema documented in docs/REPORTS.md; `schemaVersion` changes when a field does.
public struct MetricsReport: Sendable, Codable {
    /// 2: figures say when the export lacks their field (`available`), comparisons when there
    /// is no earlier data (`previousWindowHasData`), and data quality lists what was excluded.
    public static let schemaVersion = 2

    public struct Count: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
        public var previous: Int
    }

    public struct Backlog: Sendable, Codable, Equatable {
        public var status: String
        public var priority: String
        public var count: Int
    }

    public struct Durations: Sendable, Codable, Equatable {
        public var overall: DurationStats
        public var previous: DurationStats
        public var byChannel: [String: DurationStats]
        public var byPriority: [String: DurationStats]
    }

    /// A figure with what it measures and whether it was measured or estimated.
    public struct Figure: Sendable, Codable, Equatable {
        public var name: String
        /// `measured` (counted from the export) or `estimate` (inferred, a potential).
        public var kind: String
        public var value: Double?
        public var previous: Double?
        public var numerator: Int
        public var denominator: Int
        public var definition: String
        /// False when no ticket in the store carries the field the figure counts: the export
        /// does not have it, and the figure is "not in this export", never 0.
        public var available = true
    }

    /// Tickets left out of some or all figures, with why.
    public struct Exclusion: Sendable, Codable, Equatable {
        public var what: String
        public var count: Int
        public var why: String
    }

    public struct Quality: Sendable, Codable, Equatable {
        public var negativeFirstResponse: Int
        public var missingFirstResponse: Int
        public var negativeResolution: Int
        public var missingResolution: Int
        public var resolvedBeforeFirstResponse: Int
        /// Everything excluded from a figure, with counts and why.
        public var excluded: [Exclusion]
        /// A few of the affected tickets, `source:external_id: problem`.
        public var examples: [String]
    }

    public struct GapTopic: Sendable, Codable, Equatable {
        public var label: String
        public var volume: Int
        public var change: Int?
    }

    public struct DraftState: Sendable, Codable, Equatable {
        public var status: String
        public var count: Int
        public var oldestDays: Int?
    }

    public var schemaVersion = MetricsReport.schemaVersion
    public var generatedAt: Date
    /// `internal` (everything) or `customers` (no ticket references, no internal articles).
    public var audience: String
    public var window: TicketWindow
    public var previousWindow: TicketWindow
    public var tickets: Int
    public var previousTickets: Int
    /// Tickets with no creation or first-response time, in no window (store-wide).
    public var undatedTickets: Int
    /// When the store's data starts; comparisons need data over the whole previous window.
    public var dataStarts: Date?
    public var previousWindowHasData: Bool
    public var volumeByDay: [Count]
    public var byChannel: [Count]
    public var byCategory: [Count]
    public var byPriority: [Count]
    public var backlog: [Backlog]
    public var firstResponse: Durations
    public var resolution: Durations
    public var csatDistribution: [Int]
    public var figures: [Figure]
    public var quality: Quality
    public var gapTopics: [GapTopic]
    public var drafts: [DraftState]
}

/// Where the report's other inputs come from.
public struct MetricsInputs: Sendable {
    public var gapsJSON: String?
    public var draftsFolder: String?
    public var audience = "internal"

    public init(gapsJSON: String? = nil, draftsFolder: String? = nil, audience: String = "internal") {
        self.gapsJSON = gapsJSON
        self.draftsFolder = draftsFolder
        self.audience = audience
    }
}

extension MetricsReport {
    /// Computes the report for `window` from the ticket store (all aggregation in SQL), the
    /// gaps report and the drafts folder.
    public init(
        store: TicketStore, window: TicketWindow, inputs: MetricsInputs = MetricsInputs(), now: Date = Date()
    ) throws {
        let prev = window.previous
        generatedAt = now
        audience = inputs.audience
        self.window = window
        previousWindow = prev
        let rates = try store.rates(window), before = try store.rates(prev)
        tickets = rates.tickets
        previousTickets = before.tickets
        let undated = try store.undatedTickets()
        undatedTickets = undated.reduce(0) { $0 + $1.count }
        dataStarts = try store.earliestTicketTime()
        previousWindowHasData = dataStarts.map { $0 <= prev.since } ?? false
        func merged(_ a: [(key: String, count: Int)], _ b: [(key: String, count: Int)]) -> [Count] {
            let old = Dictionary(b, uniquingKeysWith: +)
            return a.map { Count(key: $0.key, count: $0.count, previous: old[$0.key] ?? 0) }
        }
        // Every day of the window, days without tickets as zero (so the trend line is true).
        let perDay = Dictionary(try store.volumeByDay(window).map { ($0.day, $0.count) }, uniquingKeysWith: +)
        var days: [Count] = []
        var day = window.since
        while day < window.until && days.count < 3_700 {
            let key = String((TimestampParser.iso(day) ?? "").prefix(10))
            days.append(Count(key: key, count: perDay[key] ?? 0, previous: 0))
            day = day.addingTimeInterval(86400)
        }
        volumeByDay = days
        byChannel = merged(try store.counts(by: .channel, window), try store.counts(by: .channel, prev))
        byCategory = merged(try store.counts(by: .category, window), try store.counts(by: .category, prev))
        byPriority = merged(try store.counts(by: .priority, window), try store.counts(by: .priority, prev))
        backlog = try store.backlog(until: window.until).map {
            Backlog(status: $0.status, priority: $0.priority, count: $0.count)
        }
        func durations(_ kind: DurationKind) throws -> Durations {
            func split(_ d: TicketDimension) throws -> [String: DurationStats] {
                Dictionary(
                    try store.durations(kind, window, by: d).map { ($0.key ?? "", $0.stats) },
                    uniquingKeysWith: { a, _ in a })
            }
            return Durations(
                overall: try store.durations(kind, window).first?.stats ?? DurationStats(),
                previous: try store.durations(kind, prev).first?.stats ?? DurationStats(),
                byChannel: try split(.channel), byPriority: try split(.priority))
        }
        firstResponse = try durations(.firstResponse)
        resolution = try durations(.resolution)
        csatDistribution = rates.csatDistribution
        let examples =
            inputs.audience == "customers"
            ? []
            : (try store.durationProblems(.firstResponse, window, limit: 5)
                + store.durationProblems(.resolution, window, limit: 5))
                .map { "\($0.reference): \($0.problem)" }
        let present = try store.fieldPresence()
        var excluded: [Exclusion] = []
        if undatedTickets > 0 {
            excluded.append(
                Exclusion(
                    what: "No creation or first-response time", count: undatedTickets,
                    why: "in no window, so in no figure ("
                        + undated.map { "\($0.count) \($0.status)" }.joined(separator: ", ") + ")"))
        }
        let untimed = try store.resolvedWithoutTime(window)
        if untimed > 0 {
            excluded.append(
                Exclusion(
                    what: "Resolved or closed without a resolution time", count: untimed,
                    why: "not in resolution times (the import drops a resolution time earlier than the first response)")
            )
        }
        for (f, name) in [
            (present.reopens, "reopen counts"), (present.escalations, "escalation flags"),
            (present.csat, "CSAT ratings"),
            (present.resolver, "who resolved a ticket"), (present.articleLinks, "article links in resolutions"),
        ] where !f {
            excluded.append(
                Exclusion(
                    what: "No ticket carries \(name)", count: 0,
                    why: "not in this export: figures that need it are not shown as rates"))
        }
        var gaps: GapsSummary?
        if let path = inputs.gapsJSON {
            do { gaps = GapsSummary(try GapsRender.read(path: path)) } catch {
                excluded.append(
                    Exclusion(
                        what: "The gaps report", count: 0,
                        why: "\(error); the KB-answerable figure and the gap topics are not shown"))
            }
        }
        drafts = []
        if let folder = inputs.draftsFolder {
            do { drafts = try Self.draftStates(folder: folder, now: now) } catch {
                excluded.append(
                    Exclusion(what: "The drafts folder", count: 0, why: "\(error); the draft states are not shown"))
            }
        }
        quality = Quality(
            negativeFirstResponse: firstResponse.overall.negative, missingFirstResponse: firstResponse.overall.missing,
            negativeResolution: resolution.overall.negative, missingResolution: resolution.overall.missing,
            resolvedBeforeFirstResponse: try store.resolvedBeforeFirstResponse(window), excluded: excluded,
            examples: examples)
        figures = Self.figures(rates, previousWindowHasData ? before : nil, gaps: gaps, present: present)
        gapTopics = gaps?.topics ?? []
    }

    static func ratio(_ n: Int, _ d: Int) -> Double? { d > 0 ? Double(n) / Double(d) : nil }

    /// The rate figures; `previous` nil when there is no earlier data to compare with.
    static func figures(
        _ r: TicketRates, _ previous: TicketRates?, gaps: GapsSummary?,
        present: FieldPresence = FieldPresence(
            reopens: true, escalations: true, csat: true, resolver: true, articleLinks: true)
    ) -> [Figure] {
        let p = previous ?? TicketRates()
        let rated = r.csatDistribution.reduce(0, +), ratedBefore = p.csatDistribution.reduce(0, +)
        var out = [
            Figure(
                name: "CSAT mean", kind: "measured", value: ratio(r.csatSum, rated),
                previous: ratio(p.csatSum, ratedBefore),
                numerator: r.csatSum, denominator: rated,
                definition: "Mean of the 1–5 ratings given to the window's tickets."),
            Figure(
                name: "CSAT response rate", kind: "measured", value: ratio(rated, r.resolved),
                previous: ratio(ratedBefore, p.resolved),
                numerator: rated, denominator: r.resolved, definition: "Rated tickets / resolved or closed tickets."),
            Figure(
                name: "Reopen rate", kind: "measured", value: ratio(r.reopened, r.resolved),
                previous: ratio(p.reopened, p.resolved),
                numerator: r.reopened, denominator: r.resolved,
                definition: "Tickets reopened at least once / resolved or closed tickets."),
            Figure(
                name: "Escalation rate", kind: "measured", value: ratio(r.escalated, r.tickets),
                previous: ratio(p.escalated, p.tickets),
                numerator: r.escalated, denominator: r.tickets,
                definition: "Escalated tickets / all tickets of the window."),
            Figure(
                name: "Self-service resolution (deflection)", kind: "measured",
                value: ratio(r.selfService, r.resolverKnown),
                previous: ratio(p.selfService, p.resolverKnown), numerator: r.selfService, denominator: r.resolverKnown,
                definition:
                    "Tickets the export says a bot or self-service resolved, without escalation / resolved tickets whose resolver the export names."
            ),
            Figure(
                name: "Article-linked resolutions", kind: "measured", value: ratio(r.articleLinked, r.resolved),
                previous: ratio(p.articleLinked, p.resolved), numerator: r.articleLinked, denominator: r.resolved,
                definition: "Resolved tickets whose resolution links a KB article / resolved tickets."),
        ]
        let availability = [
            present.csat, present.csat, present.reopens, present.escalations, present.resolver, present.articleLinks,
        ]
        for i in out.indices {
            out[i].available = availability[i]
            if previous == nil || !availability[i] { out[i].previous = nil }
            if !availability[i] { out[i].value = nil }
        }
        if let gaps {
            out.append(
                Figure(
                    name: "KB-answerable share (potential deflection)", kind: "estimate",
                    value: ratio(gaps.answered, gaps.questions), previous: nil, numerator: gaps.answered,
                    denominator: gaps.questions,
                    definition:
                        "Customer questions the published KB answers by `kb gaps` (the KB's own answered test, decided per topic of alike questions) / all questions: what self-service could deflect, not what it did."
                ))
        }
        return out
    }

    static func draftStates(folder: String, now: Date) throws -> [DraftState] {
        let listed = try DraftStore(folder: URL(fileURLWithPath: folder, isDirectory: true)).list(now: now).drafts
        return ReviewState.allCases.map { s in
            let these = listed.filter { $0.status == s.rawValue }
            return DraftState(status: s.rawValue, count: these.count, oldestDays: these.compactMap(\.ageDays).max())
        }
    }
}

/// What the metrics report takes from `reports/gaps.json` (decoded as ``GapsReport``).
struct GapsSummary {
    var questions: Int
    var answered: Int
    var topics: [MetricsReport.GapTopic]

    init(_ report: GapsReport) {
        questions = report.questions
        answered = report.answered
        // The topic's title (a representative wording) when the report has one, else its key phrases.
        topics = report.topics.prefix(10).map { t in
            MetricsReport.GapTopic(label: t.title.isEmpty ? t.label : t.title, volume: t.volume, change: t.trend.change)
        }
    }
}

extension TicketWindow {
    /// The `days`-day window ending at `until`, or, without one, at the end (UTC midnight)
    /// of the day of the store's latest ticket, so an old export still gets a full window.
    public static func ending(at until: Date?, days: Int, store: TicketStore) throws -> TicketWindow {
        let end: Date
        if let until {
            end = until
        } else {
            let latest = try store.latestTicketTime() ?? Date()
            end = Date(timeIntervalSince1970: (floor(latest.timeIntervalSince1970 / 86400) + 1) * 86400)
        }
        return TicketWindow(since: end.addingTimeInterval(-Double(days) * 86400), until: end)
    }
}
