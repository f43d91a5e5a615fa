import Foundation
import KBMarkdown
import KBTickets
import Yams

/// The draft an editor expects, built only from redacted ticket text: an article title and
/// Symptoms in the group's own words (``DraftText``), then Cause and Resolution taken from one
/// sub-problem — the resolution most common among the group's central tickets — so the fix
/// always answers the cause shown, and Related tickets.
enum DraftWriter {
    /// `spreadTags`: tags shared by many unrelated groups (``DraftText/spreadTags(_:)``).
    static func document(for g: DraftMiner.Group, now: Date, spreadTags: Set<String> = []) -> DraftDocument {
        let byCentrality = g.byCentrality.map { g.tickets[$0] }
        let title = DraftText.title(for: g.tickets, byCentrality: g.byCentrality)
        let category = mostCommon(g.tickets.compactMap(\.category)) ?? "General"
        let tags = DraftText.articleTags(for: g.tickets, spread: spreadTags)
        let csats = g.tickets.compactMap(\.csat)
        let meanCSAT = csats.isEmpty ? nil : Double(csats.reduce(0, +)) / Double(csats.count)
        // Ranks higher when a good share of the group was urgent or escalated, not for one ticket.
        let urgentShare =
            Double(g.tickets.filter { $0.escalated || ["high", "urgent"].contains($0.priority ?? "") }.count)
            / Double(g.tickets.count)
        let urgent = urgentShare >= 0.3
        var flags: [String] = []
        if let m = meanCSAT, m < 3 {
            flags.append("low CSAT (\(String(format: "%.1f", m))): review the fix before recommending it")
        }
        if urgent { flags.append(String(format: "%.0f%% high priority or escalated", urgentShare * 100)) }

        // Every text below comes from tickets: escaped, so ticket HTML (`<script>`, `<img
        // onerror>`) and link syntax stay text in the draft.
        let e = MarkdownEscape.inline
        var body = "# \(e(title))\n\n## Symptoms\n\nCustomers describe it as:\n\n"
        for words in DraftText.symptoms(for: g.tickets, byCentrality: g.byCentrality) { body += "- \"\(e(words))\"\n" }
        let fix = resolution(central: byCentrality)
        if let cause = fix.cause { body += "\n## Cause\n\n\(e(cause))\n" }
        body += "\n## Resolution\n\n"
        if !fix.steps.isEmpty {
            for (i, step) in fix.steps.enumerated() { body += "\(i + 1). \(e(step))\n" }
        } else if let summary = fix.summary {
            body += "1. \(e(summary))\n"
        } else {
            body += "_No resolution steps were recorded; see the related tickets._\n"
        }
        body += "\n## Related tickets\n\n"
        for t in g.tickets.sorted(by: { ($0.createdAt ?? "") < ($1.createdAt ?? "") }) {
            body +=
                "- \(e(t.reference)): \(e(t.subject.isEmpty ? firstSentence(t.question) : t.subject))\(t.createdAt.map { " (\($0.prefix(10)))" } ?? "")\n"
        }
        let fm = Node.Mapping([
            (Node("title"), Node(title)),
            (Node("status"), Node("draft")),
            (Node("category"), Node(category)),
            (Node("tags"), Node(tags.map { Node($0) })),
            (Node("external"), Node("false", Tag(.bool))),
            (Node("priority"), Node(urgent ? "high" : "normal")),
            (Node("flags"), Node(flags.map { Node($0) })),
            (Node("source_tickets"), Node(g.tickets.map { Node($0.reference) })),
            (Node("generated_at"), Node(ISO8601DateFormatter().string(from: now))),
        ])
        return DraftDocument(frontMatter: fm, body: body)
    }

    static func mostCommon(_ values: [String]) -> String? {
        Dictionary(grouping: values, by: { $0 }).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }?.key
    }

    /// Cause and steps of one sub-problem: among the more central half of the group (at least
    /// three tickets), the most common recorded cause (else the most central ticket's); steps
    /// from the best-rated, most central of the tickets with that cause.
    static func resolution(
        central byCentrality: [ResolvedTicket]
    ) -> (cause: String?, steps: [String], summary: String?) {
        let pool = Array(byCentrality.prefix(max(3, (byCentrality.count + 1) / 2)))
        let causes = pool.compactMap(\.resolutionCause)
        let counts = Dictionary(grouping: causes, by: { $0 }).mapValues(\.count)
        let cause = causes.first { counts[$0] == counts.values.max() }
        let same = pool.filter { cause == nil || $0.resolutionCause == cause }
        let withSteps = same.filter { !$0.resolutionSteps.isEmpty }
        let bestCSAT = withSteps.compactMap(\.csat).max()
        let source = withSteps.first { $0.csat == bestCSAT } ?? withSteps.first
        return (cause, source?.resolutionSteps ?? [], same.compactMap(\.resolutionSummary).first)
    }

    static func firstSentence(_ text: String) -> String { DraftText.firstSentence(text) }
}
