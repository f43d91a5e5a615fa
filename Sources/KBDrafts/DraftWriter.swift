import Foundation
import KBTickets
import Yams

/// The draft an editor expects, built only from redacted ticket text: Symptoms (the group's
/// own wordings), Cause (where resolutions give one), Resolution (the steps of the most
/// central, best-rated resolution), Related tickets.
enum DraftWriter {
    static func document(for g: DraftMiner.Group, now: Date) -> DraftDocument {
        let central = g.tickets[g.central]
        let byCentrality = g.byCentrality.map { g.tickets[$0] }
        let title = central.subject.isEmpty ? String(central.question.prefix(80)) : central.subject
        let category = mostCommon(g.tickets.compactMap(\.category)) ?? "General"
        let tags = Array(Dictionary(grouping: g.tickets.flatMap(\.tags), by: { $0 }).sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.prefix(5).map(\.key))
        let csats = g.tickets.compactMap(\.csat)
        let meanCSAT = csats.isEmpty ? nil : Double(csats.reduce(0, +)) / Double(csats.count)
        // Ranks higher when a good share of the group was urgent or escalated, not for one ticket.
        let urgentShare = Double(g.tickets.filter { $0.escalated || ["high", "urgent"].contains($0.priority ?? "") }.count) / Double(g.tickets.count)
        let urgent = urgentShare >= 0.3
        var flags: [String] = []
        if let m = meanCSAT, m < 3 { flags.append("low CSAT (\(String(format: "%.1f", m))): review the fix before recommending it") }
        if urgent { flags.append(String(format: "%.0f%% high priority or escalated", urgentShare * 100)) }

        var body = "# \(title)\n\n## Symptoms\n\nCustomers describe it as:\n\n"
        for t in byCentrality.prefix(3) {
            let words = firstSentence(t.question.isEmpty ? t.subject : t.question)
            body += "- \"\(words)\"\n"
        }
        if let cause = mostCommon(g.tickets.compactMap(\.resolutionCause)) {
            body += "\n## Cause\n\n\(cause)\n"
        }
        // Steps from the most central resolution among the best-rated ones that have steps.
        let withSteps = byCentrality.filter { !$0.resolutionSteps.isEmpty }
        let bestCSAT = withSteps.compactMap(\.csat).max()
        let source = withSteps.first { $0.csat == bestCSAT } ?? withSteps.first
        body += "\n## Resolution\n\n"
        if let s = source {
            for (i, step) in s.resolutionSteps.enumerated() { body += "\(i + 1). \(step)\n" }
        } else if let summary = byCentrality.compactMap(\.resolutionSummary).first {
            body += "1. \(summary)\n"
        } else {
            body += "_No resolution steps were recorded; see the related tickets._\n"
        }
        body += "\n## Related tickets\n\n"
        for t in g.tickets.sorted(by: { ($0.createdAt ?? "") < ($1.createdAt ?? "") }) {
            body += "- \(t.reference): \(t.subject.isEmpty ? firstSentence(t.question) : t.subject)\(t.createdAt.map { " (\($0.prefix(10)))" } ?? "")\n"
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

    static func firstSentence(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\"", with: "'")
        if let end = flat.firstIndex(where: { ".?!".contains($0) }), flat.distance(from: flat.startIndex, to: end) > 20 {
            return String(flat[...end])
        }
        return String(flat.prefix(160))
    }
}
