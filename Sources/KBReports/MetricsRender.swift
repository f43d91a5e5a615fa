import Foundation
import KBTickets

/// The three renderings of ``MetricsReport``: Markdown (GFM tables), one self-contained HTML
/// page (inline CSS and SVG, a table behind every chart) and versioned JSON. Both text
/// renderings come from Mustache templates over the same view model.
extension MetricsReport {
    static func duration(_ seconds: Double?) -> String {
        guard let s = seconds else { return "–" }
        if s < 60 { return String(format: "%.0f s", s) }
        if s < 3600 { return String(format: "%.0f min", s / 60) }
        if s < 48 * 3600 { return String(format: "%.1f h", s / 3600) }
        return String(format: "%.1f d", s / 86400)
    }

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }

    static func change(_ now: Double?, _ before: Double?, percentPoints: Bool) -> String {
        guard let now, let before else { return "–" }
        let d = now - before
        if percentPoints { return String(format: "%+.1f pp", d * 100) }
        return before == 0 ? (now == 0 ? "±0" : "new") : String(format: "%+.0f %%", d / before * 100)
    }

    static func day(_ d: Date) -> String { String((TimestampParser.iso(d) ?? "").prefix(10)) }

    /// The view model both templates read; `cell` escapes for the target format.
    func view(cell: (String) -> String) -> [String: Any] {
        func durationRows(_ d: [String: DurationStats]) -> [[String: Any]] {
            d.sorted { $0.key < $1.key }.map { k, s in
                [
                    "key": cell(k), "median": Self.duration(s.medianSeconds), "p90": Self.duration(s.p90Seconds),
                    "measured": s.measured, "negative": s.negative, "missing": s.missing,
                ]
            }
        }
        func counts(_ c: [Count]) -> [[String: Any]] {
            c.map {
                [
                    "key": cell($0.key), "count": $0.count, "previous": $0.previous,
                    "change": Self.change(Double($0.count), Double($0.previous), percentPoints: false),
                ]
            }
        }
        let rated = csatDistribution.reduce(0, +)
        return [
            "window": "\(Self.day(window.since)) – \(Self.day(window.until.addingTimeInterval(-1)))",
            "previousWindow":
                "\(Self.day(previousWindow.since)) – \(Self.day(previousWindow.until.addingTimeInterval(-1)))",
            "generated": TimestampParser.iso(generatedAt) ?? "",
            "audience": audience, "schemaVersion": schemaVersion,
            "tickets": tickets, "previousTickets": previousTickets,
            "ticketChange": previousWindowHasData
                ? Self.change(Double(tickets), Double(previousTickets), percentPoints: false) : "no earlier data",
            "ticketCompare": previousWindowHasData
                ? "\(tickets) vs \(previousTickets)" : "data starts \(dataStarts.map(Self.day) ?? "–")",
            "undated": undatedTickets, "hasUndated": undatedTickets > 0,
            "frtMedian": Self.duration(firstResponse.overall.medianSeconds),
            "frtP90": Self.duration(firstResponse.overall.p90Seconds),
            "frtPrevMedian": previousWindowHasData
                ? "was " + Self.duration(firstResponse.previous.medianSeconds) : "no earlier data",
            "resMedian": Self.duration(resolution.overall.medianSeconds),
            "resP90": Self.duration(resolution.overall.p90Seconds),
            "resPrevMedian": previousWindowHasData
                ? "was " + Self.duration(resolution.previous.medianSeconds) : "no earlier data",
            "figures": figures.map { f in
                [
                    "name": cell(f.name), "kind": f.kind,
                    "value": !f.available
                        ? "not in this export"
                        : f.name.hasPrefix("CSAT mean")
                            ? (f.value.map { String(format: "%.2f", $0) } ?? "–") : Self.percent(f.value),
                    "change": !f.available
                        ? "–"
                        : !previousWindowHasData
                            ? "no earlier data"
                            : Self.change(f.value, f.previous, percentPoints: !f.name.hasPrefix("CSAT mean")),
                    "fraction": !f.available
                        ? "–"
                        : f.name.hasPrefix("CSAT mean")
                            ? "\(f.denominator) ratings" : "\(f.numerator) / \(f.denominator)",
                    "definition": cell(f.definition),
                ] as [String: Any]
            },
            "days": volumeByDay.map { ["key": $0.key, "count": $0.count] as [String: Any] },
            "weeks": stride(from: 0, to: volumeByDay.count, by: 7).map { i in
                [
                    "key": "\(volumeByDay[i].key) – \(volumeByDay[min(i + 6, volumeByDay.count - 1)].key)",
                    "count": volumeByDay[i..<min(i + 7, volumeByDay.count)].reduce(0) { $0 + $1.count },
                ] as [String: Any]
            },
            "hasDays": !volumeByDay.isEmpty,
            "channels": counts(byChannel), "categories": counts(byCategory), "priorities": counts(byPriority),
            "backlog": backlog.map {
                ["status": cell($0.status), "priority": cell($0.priority), "count": $0.count] as [String: Any]
            },
            "hasBacklog": !backlog.isEmpty,
            "frtByChannel": durationRows(firstResponse.byChannel),
            "frtByPriority": durationRows(firstResponse.byPriority),
            "resByChannel": durationRows(resolution.byChannel), "resByPriority": durationRows(resolution.byPriority),
            "frt": [
                "measured": firstResponse.overall.measured, "negative": firstResponse.overall.negative,
                "missing": firstResponse.overall.missing,
            ] as [String: Any],
            "res": [
                "measured": resolution.overall.measured, "negative": resolution.overall.negative,
                "missing": resolution.overall.missing,
            ] as [String: Any],
            "csat": (1...5).map {
                [
                    "rating": $0, "count": csatDistribution[$0 - 1],
                    "share": Self.percent(rated > 0 ? Double(csatDistribution[$0 - 1]) / Double(rated) : nil),
                ] as [String: Any]
            },
            "hasCsat": rated > 0,
            "quality": [
                "negativeFirstResponse": quality.negativeFirstResponse,
                "missingFirstResponse": quality.missingFirstResponse,
                "negativeResolution": quality.negativeResolution, "missingResolution": quality.missingResolution,
                "resolvedBeforeFirstResponse": quality.resolvedBeforeFirstResponse,
            ] as [String: Any],
            "excluded": quality.excluded.map {
                ["what": cell($0.what), "count": $0.count == 0 ? "–" : String($0.count), "why": cell($0.why)]
                    as [String: Any]
            },
            "examples": quality.examples.map(cell), "hasExamples": !quality.examples.isEmpty,
            "gaps": gapTopics.map {
                [
                    "label": cell($0.label), "volume": $0.volume,
                    "change": $0.change.map { String(format: "%+d", $0) } ?? "–",
                ] as [String: Any]
            },
            "hasGaps": !gapTopics.isEmpty,
            "drafts": drafts.map {
                ["status": $0.status, "count": $0.count, "oldest": $0.oldestDays.map(String.init) ?? "–"]
                    as [String: Any]
            },
            "hasDrafts": !drafts.isEmpty,
        ]
    }

    public func markdown() throws -> String {
        try Page.render(Self.markdownTemplate, view(cell: MarkdownText.cell))
    }

    public func html() throws -> String {
        var v = view(cell: { $0 })
        let bar: ([Count]) -> [(label: String, value: Double, previous: Double?)] = {
            $0.prefix(12).map { ($0.key, Double($0.count), Double($0.previous)) }
        }
        v["volumeChart"] = SVGChart.line(volumeByDay.map { ($0.key, Double($0.count)) }, title: "Tickets per day")
        v["channelChart"] = SVGChart.bars(bar(byChannel), title: "Tickets by channel")
        v["categoryChart"] = SVGChart.bars(bar(byCategory), title: "Tickets by category")
        v["priorityChart"] = SVGChart.bars(bar(byPriority), title: "Tickets by priority")
        let frt = firstResponse.byChannel.sorted { $0.key < $1.key }
        // Each bar labelled in the unit that reads (2 min, 5.5 h, 3.0 d), not one unit for all.
        v["frtChart"] = SVGChart.bars(
            frt.map { ($0.key, $0.value.medianSeconds ?? 0, nil) },
            title: "Median first response by channel", format: { Self.duration($0) })
        v["csatChart"] = SVGChart.bars(
            (1...5).map { ("\($0) ★", Double(csatDistribution[$0 - 1]), nil) }, title: "CSAT ratings")
        v["gapChart"] = SVGChart.bars(
            gapTopics.map { ($0.label, Double($0.volume), nil) }, title: "Knowledge-gap topics by volume")
        let content = try Page.render(Self.htmlTemplate, v)
        return try Page.html(
            title: "Support metrics",
            subtitle: "\(v["window"]!) · compared with \(v["previousWindow"]!) · audience \(audience)",
            content: content)
    }

    public func json() throws -> Data { try Page.jsonEncoder.encode(self) }

    /// Writes `metrics.md`, `metrics.html` and `metrics.json` into `folder`.
    public func write(to folder: URL) throws {
        try Page.writeAll(name: "metrics", markdown: try markdown(), html: try html(), json: try json(), to: folder)
    }
}
