import Foundation
import KBDrafts
import KBMarkdown

/// `reports/review-queue.{md,html,json}`: the drafts by state, age, ticket count and
/// priority, with links to the files and their source tickets.
public struct ReviewQueueReport: Sendable, Codable {
    public static let schemaVersion = 1

    public struct Row: Sendable, Codable {
        public var id: String
        public var title: String
        public var status: String
        public var ageDays: Int?
        public var ticketCount: Int
        public var priority: String?
        public var category: String?
        public var edited: Bool
        public var flags: [String]
        /// Path of the draft file relative to the report folder.
        public var link: String
        public var sourceTickets: [String]
    }

    public struct StateCount: Sendable, Codable {
        public var status: String
        public var count: Int
    }

    public var schemaVersion = ReviewQueueReport.schemaVersion
    public var generatedAt: Date
    public var states: [StateCount]
    public var drafts: [Row]
    public var problems: [String]

    /// Builds the queue from the drafts folder; `reportFolder` makes links relative.
    public init(store: DraftStore, reportFolder: URL, now: Date = Date()) throws {
        let (drafts, errors) = try store.list(now: now)
        let order = ReviewState.allCases.map(\.rawValue)
        generatedAt = now
        states = order.map { s in StateCount(status: s, count: drafts.filter { $0.status == s }.count) }
        self.drafts = drafts.sorted {
            (order.firstIndex(of: $0.status) ?? 9, -($0.ageDays ?? 0), -$0.ticketCount) < (
                order.firstIndex(of: $1.status) ?? 9, -($1.ageDays ?? 0), -$1.ticketCount
            )
        }.map { d in
            Row(
                id: d.id, title: d.title, status: d.status, ageDays: d.ageDays, ticketCount: d.ticketCount,
                priority: d.priority, category: d.category, edited: d.edited, flags: d.flags,
                link: RelativePath.from(reportFolder, to: URL(fileURLWithPath: d.path)), sourceTickets: d.sourceTickets)
        }
        problems = errors.map(\.description)
    }

    public func markdown() -> String {
        var out = "# Review queue\n\nGenerated \(ISO8601DateFormatter().string(from: generatedAt)).\n\n"
        out += "| State | Drafts |\n| --- | ---: |\n"
        for s in states { out += "| \(s.status) | \(s.count) |\n" }
        out +=
            "\n| Draft | State | Age (days) | Tickets | Priority | Flags |\n| --- | --- | ---: | ---: | --- | --- |\n"
        for d in drafts {
            let flags = ((d.edited ? ["edited by an editor"] : []) + d.flags).joined(separator: ", ")
            out +=
                "| [\(MarkdownText.cell(d.title))](\(MarkdownEscape.destination(d.link))) | \(d.status) | \(d.ageDays.map(String.init) ?? "–") | \(d.ticketCount) | \(d.priority ?? "–") | \(MarkdownText.cell(flags)) |\n"
        }
        if drafts.isEmpty { out += "| _no drafts_ | | | | | |\n" }
        if !problems.isEmpty {
            out += "\n## Unreadable drafts\n\n" + problems.map { "- \(MarkdownText.cell($0))\n" }.joined()
        }
        return out
    }

    static let template = """
        <section><h2>Drafts by state</h2><div class="cards">
        {{#states}}<div class="card"><div class="k">{{status}}</div><div class="v">{{count}}</div></div>{{/states}}
        </div></section>
        <section><h2>Queue</h2><p class="note">Oldest first within each state. Every draft is internal until an editor says otherwise.</p>
        <div class="tablewrap"><table><thead><tr><th>Draft</th><th>State</th><th class="num">Age (days)</th><th class="num">Tickets</th><th>Priority</th><th>Flags</th><th>Source tickets</th></tr></thead><tbody>
        {{#drafts}}<tr><td><a href="{{link}}">{{title}}</a></td><td>{{status}}</td><td class="num">{{age}}</td><td class="num">{{ticketCount}}</td><td>{{priority}}</td><td>{{#flags}}<span class="tag">{{.}}</span>{{/flags}}</td><td>{{tickets}}</td></tr>{{/drafts}}
        {{^drafts}}<tr><td colspan="7">No drafts.</td></tr>{{/drafts}}
        </tbody></table></div></section>
        {{#hasProblems}}<section><h2>Unreadable drafts</h2><ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></section>{{/hasProblems}}
        """

    public func html() throws -> String {
        let rows: [[String: Any]] = drafts.map { d in
            [
                "link": d.link, "title": d.title, "status": d.status, "age": d.ageDays.map(String.init) ?? "–",
                "ticketCount": d.ticketCount, "priority": d.priority ?? "–",
                "flags": (d.edited ? ["edited"] : []) + d.flags,
                "tickets": d.sourceTickets.prefix(8).joined(separator: ", ") + (d.sourceTickets.count > 8 ? " …" : ""),
            ]
        }
        let content = try Page.render(
            Self.template,
            [
                "states": states.map { ["status": $0.status, "count": $0.count] as [String: Any] },
                "drafts": rows, "problems": problems, "hasProblems": !problems.isEmpty,
            ] as [String: Any])
        return try Page.html(
            title: "Review queue", subtitle: "Generated \(ISO8601DateFormatter().string(from: generatedAt))",
            content: content)
    }

    public func json() throws -> Data { try Page.jsonEncoder.encode(self) }

    /// Writes `review-queue.md`, `.html` and `.json` into `folder`.
    public func write(to folder: URL) throws {
        try Page.writeAll(
            name: "review-queue", markdown: try markdown(), html: try html(), json: try json(), to: folder)
    }
}

/// Relative links between files.
enum RelativePath {
    static func from(_ folder: URL, to file: URL) -> String {
        let a = folder.standardizedFileURL.pathComponents
        let b = file.standardizedFileURL.pathComponents
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        return (Array(repeating: "..", count: a.count - i) + b[i...]).joined(separator: "/")
    }
}
