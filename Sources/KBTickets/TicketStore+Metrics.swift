import Foundation
import GRDB

/// A half-open report window `[since, until)`.
public struct TicketWindow: Sendable, Codable, Equatable {
    public var since: Date
    public var until: Date

    public init(since: Date, until: Date) {
        self.since = since
        self.until = until
    }

    /// The window of the same length just before this one.
    public var previous: TicketWindow {
        TicketWindow(since: since.addingTimeInterval(-until.timeIntervalSince(since)), until: since)
    }

    var bounds: [String] { [TimestampParser.iso(since) ?? "", TimestampParser.iso(until) ?? ""] }
}

/// A ticket attribute metrics are broken down by.
public enum TicketDimension: String, Sendable, CaseIterable, Codable {
    case channel, category, priority, status
}

/// Median and 90th percentile (nearest rank) of the durations that could be measured, with
/// the tickets whose duration was negative or missing counted apart: those never enter a
/// statistic.
public struct DurationStats: Sendable, Codable, Equatable {
    public var measured: Int
    public var medianSeconds: Double?
    public var p90Seconds: Double?
    public var negative: Int
    public var missing: Int

    public init(
        measured: Int = 0, medianSeconds: Double? = nil, p90Seconds: Double? = nil, negative: Int = 0, missing: Int = 0
    ) {
        self.measured = measured; self.medianSeconds = medianSeconds; self.p90Seconds = p90Seconds
        self.negative = negative; self.missing = missing
    }
}

/// Which duration.
public enum DurationKind: String, Sendable, Codable {
    /// Created → first response (the ticket's own timestamp, else its first agent message).
    case firstResponse = "first_response"
    /// Created → resolved (else closed), for resolved and closed tickets.
    case resolution
}

/// Counts over a window's tickets for the rate metrics.
public struct TicketRates: Sendable, Codable, Equatable {
    public var tickets = 0
    /// Resolved or closed.
    public var resolved = 0
    public var reopened = 0
    public var escalated = 0
    /// Resolved by a bot or self-service, not escalated.
    public var selfService = 0
    /// Resolved tickets whose resolution links a KB article.
    public var articleLinked = 0
    /// Resolved tickets that say who resolved them (the base of the self-service share).
    public var resolverKnown = 0
    /// CSAT ratings 1–5 (index 0 = rating 1).
    public var csatDistribution = [0, 0, 0, 0, 0]
    public var csatSum = 0

    public init() {}
}

/// The SQL behind `kb report`: every figure is aggregated by SQLite (GROUP BY, window
/// functions), so a million tickets never sit in memory. A ticket belongs to the window of
/// its creation time; exports without one (the Kaggle file) fall back to the first response.
extension TicketStore {
    static let opened = "coalesce(t.created_at, t.first_response_at)"

    static func durationSQL(_ kind: DurationKind) -> String {
        switch kind {
        case .firstResponse:
            return """
                CAST(strftime('%s', coalesce(t.first_response_at,
                    (SELECT min(m.at) FROM message m WHERE m.ticketId = t.id AND m.role = 'agent' AND m.at IS NOT NULL))) AS INTEGER)
                - CAST(strftime('%s', t.created_at) AS INTEGER)
                """
        case .resolution:
            return
                "CAST(strftime('%s', coalesce(t.resolved_at, t.closed_at)) AS INTEGER) - CAST(strftime('%s', t.created_at) AS INTEGER)"
        }
    }

    static func durationScope(_ kind: DurationKind) -> String {
        kind == .resolution ? " AND t.status IN ('resolved', 'closed')" : ""
    }

    /// Tickets per day (UTC) opened in the window, days without tickets left out.
    public func volumeByDay(_ w: TicketWindow) throws -> [(day: String, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(\(Self.opened), 1, 10) AS day, count(*) AS n FROM ticket t
                    WHERE \(Self.opened) >= ? AND \(Self.opened) < ? GROUP BY day ORDER BY day
                    """, arguments: StatementArguments(w.bounds)
            ).map { ($0["day"], $0["n"]) }
        }
    }

    /// Tickets opened in the window by `dimension` (missing values as "(none)"), largest first.
    public func counts(by dimension: TicketDimension, _ w: TicketWindow) throws -> [(key: String, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT coalesce(nullif(t.\(dimension.rawValue), ''), '(none)') AS k, count(*) AS n FROM ticket t
                    WHERE \(Self.opened) >= ? AND \(Self.opened) < ? GROUP BY k ORDER BY n DESC, k
                    """, arguments: StatementArguments(w.bounds)
            ).map { ($0["k"], $0["n"]) }
        }
    }

    /// Open work at `until`: tickets opened before it and not resolved or closed, by status
    /// and priority.
    public func backlog(until: Date) throws -> [(status: String, priority: String, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.status AS s, coalesce(nullif(t.priority, ''), '(none)') AS p, count(*) AS n FROM ticket t
                    WHERE t.status NOT IN ('resolved', 'closed') AND (\(Self.opened) IS NULL OR \(Self.opened) < ?)
                    GROUP BY s, p ORDER BY s, p
                    """, arguments: [TimestampParser.iso(until)]
            ).map { ($0["s"], $0["p"], $0["n"]) }
        }
    }

    /// Duration statistics of the window's tickets, overall (`key` nil) or per value of
    /// `dimension`.
    public func durations(
        _ kind: DurationKind, _ w: TicketWindow, by dimension: TicketDimension? = nil
    ) throws -> [(key: String?, stats: DurationStats)] {
        let key = dimension.map { "coalesce(nullif(t.\($0.rawValue), ''), '(none)')" } ?? "''"
        return try read { db in
            var out: [String: DurationStats] = [:]
            let base = """
                WITH d AS (SELECT \(key) AS k, \(Self.durationSQL(kind)) AS s FROM ticket t
                           WHERE \(Self.opened) >= ? AND \(Self.opened) < ?\(Self.durationScope(kind)))
                """
            for row in try Row.fetchAll(
                db,
                sql: base + """
                    SELECT k, sum(s < 0) AS neg, sum(s IS NULL) AS miss FROM d GROUP BY k
                    """, arguments: StatementArguments(w.bounds))
            {
                out[row["k"]] = DurationStats(negative: row["neg"] ?? 0, missing: row["miss"] ?? 0)
            }
            for row in try Row.fetchAll(
                db,
                sql: base + """
                    , v AS (SELECT k, s, row_number() OVER (PARTITION BY k ORDER BY s) AS rn, count(*) OVER (PARTITION BY k) AS n
                            FROM d WHERE s >= 0)
                    SELECT k, n, max(CASE WHEN rn = (n + 1) / 2 THEN s END) AS med,
                           max(CASE WHEN rn = (9 * n + 9) / 10 THEN s END) AS p90 FROM v GROUP BY k
                    """, arguments: StatementArguments(w.bounds))
            {
                let k: String = row["k"]
                var stats = out[k] ?? DurationStats()
                stats.measured = row["n"]
                stats.medianSeconds = row["med"]
                stats.p90Seconds = row["p90"]
                out[k] = stats
            }
            return out.sorted { $0.key < $1.key }.map { (dimension == nil ? nil : $0.key, $0.value) }
        }
    }

    /// Tickets of the window whose `kind` duration is negative or missing (at most `limit`),
    /// as `source:external_id` with the problem.
    public func durationProblems(
        _ kind: DurationKind, _ w: TicketWindow, limit: Int = 10
    ) throws -> [(reference: String, problem: String)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.source || ':' || t.external_id AS ref, \(Self.durationSQL(kind)) AS s FROM ticket t
                    WHERE \(Self.opened) >= ? AND \(Self.opened) < ?\(Self.durationScope(kind))
                      AND (\(Self.durationSQL(kind)) IS NULL OR \(Self.durationSQL(kind)) < 0)
                    ORDER BY t.id LIMIT ?
                    """, arguments: StatementArguments(w.bounds + [String(limit)])
            ).map { row in
                let s: Double? = row["s"]
                return (row["ref"], s.map { String(format: "negative (%.0f s)", $0) } ?? "missing timestamp")
            }
        }
    }

    /// Tickets resolved before their first response (an export inconsistency, counted apart).
    public func resolvedBeforeFirstResponse(_ w: TicketWindow) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM ticket t WHERE \(Self.opened) >= ? AND \(Self.opened) < ?
                      AND t.first_response_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) < t.first_response_at
                    """, arguments: StatementArguments(w.bounds)) ?? 0
        }
    }

    /// Rate counts and CSAT of the window's tickets.
    public func rates(_ w: TicketWindow) throws -> TicketRates {
        try read { db in
            var r = TicketRates()
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS n,
                           sum(t.status IN ('resolved', 'closed')) AS resolved,
                           sum(t.reopen_count > 0) AS reopened,
                           sum(t.escalated) AS escalated,
                           sum(t.status IN ('resolved', 'closed') AND t.resolved_by IN ('bot', 'self_service', 'ai') AND NOT t.escalated) AS self,
                           sum(t.status IN ('resolved', 'closed') AND t.resolved_by IS NOT NULL AND t.resolved_by != '') AS known,
                           sum(t.status IN ('resolved', 'closed') AND EXISTS (SELECT 1 FROM resolution r WHERE r.ticketId = t.id AND r.article IS NOT NULL)) AS linked,
                           sum(t.csat IS NOT NULL AND t.csat BETWEEN 1 AND 5) AS rated, sum(CASE WHEN t.csat BETWEEN 1 AND 5 THEN t.csat END) AS csum
                    FROM ticket t WHERE \(Self.opened) >= ? AND \(Self.opened) < ?
                    """, arguments: StatementArguments(w.bounds))
            {
                r.tickets = row["n"] ?? 0
                r.resolved = row["resolved"] ?? 0
                r.reopened = row["reopened"] ?? 0
                r.escalated = row["escalated"] ?? 0
                r.selfService = row["self"] ?? 0
                r.resolverKnown = row["known"] ?? 0
                r.articleLinked = row["linked"] ?? 0
                r.csatSum = row["csum"] ?? 0
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.csat AS c, count(*) AS n FROM ticket t
                    WHERE \(Self.opened) >= ? AND \(Self.opened) < ? AND t.csat BETWEEN 1 AND 5 GROUP BY c
                    """, arguments: StatementArguments(w.bounds))
            {
                let c: Int = row["c"]
                r.csatDistribution[c - 1] = row["n"]
            }
            return r
        }
    }

    /// The latest ticket time in the store (the default end of a report window).
    public func latestTicketTime() throws -> Date? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT max(\(Self.opened)) FROM ticket t").flatMap(TimestampParser.parse)
        }
    }
}

extension TicketStore {
    /// Tickets in the store.
    public func ticketCount() throws -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket") ?? 0 }
    }
}

/// Which optional fields the store's tickets carry at all: a field no ticket has is one the
/// export does not have, shown as such rather than as a rate of zero.
public struct FieldPresence: Sendable, Codable, Equatable {
    public var reopens = false
    public var escalations = false
    public var csat = false
    public var resolver = false
    public var articleLinks = false

    public init(
        reopens: Bool = false, escalations: Bool = false, csat: Bool = false, resolver: Bool = false,
        articleLinks: Bool = false
    ) {
        self.reopens = reopens; self.escalations = escalations; self.csat = csat; self.resolver = resolver;
        self.articleLinks = articleLinks
    }
}

extension TicketStore {
    /// Tickets with neither a creation nor a first-response time: no window holds them.
    public func undatedTickets() throws -> [(status: String, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.status AS s, count(*) AS n FROM ticket t WHERE \(Self.opened) IS NULL GROUP BY s ORDER BY n DESC, s
                    """
            ).map { ($0["s"], $0["n"]) }
        }
    }

    /// The earliest ticket time in the store (where the data starts).
    public func earliestTicketTime() throws -> Date? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT min(\(Self.opened)) FROM ticket t").flatMap(TimestampParser.parse)
        }
    }

    /// Resolved or closed tickets of the window without a resolution time.
    public func resolvedWithoutTime(_ w: TicketWindow) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM ticket t WHERE \(Self.opened) >= ? AND \(Self.opened) < ?
                      AND t.status IN ('resolved', 'closed') AND t.resolved_at IS NULL AND t.closed_at IS NULL
                    """, arguments: StatementArguments(w.bounds)) ?? 0
        }
    }

    public func fieldPresence() throws -> FieldPresence {
        try read { db in
            var p = FieldPresence()
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM ticket WHERE reopen_count > 0) AS reopens,
                               EXISTS (SELECT 1 FROM ticket WHERE escalated) AS escalations,
                               EXISTS (SELECT 1 FROM ticket WHERE csat IS NOT NULL) AS csat,
                               EXISTS (SELECT 1 FROM ticket WHERE resolved_by IS NOT NULL AND resolved_by != '') AS resolver,
                               EXISTS (SELECT 1 FROM resolution WHERE article IS NOT NULL) AS links
                        """)
            else { return p }
            p.reopens = row["reopens"]; p.escalations = row["escalations"]; p.csat = row["csat"]
            p.resolver = row["resolver"]; p.articleLinks = row["links"]
            return p
        }
    }
}
