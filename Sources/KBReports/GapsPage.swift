import Foundation
import KBGaps

/// `gaps.html`: the gaps report in the look every report shares (``Page``), and the writer of
/// `gaps.md`, `gaps.html` and `gaps.json`. Every text from questions goes through Mustache's
/// `{{…}}`, so ticket text renders as text.
public enum GapsPage {
    static let template = """
        <section><h2>Topics</h2>
        <p class="note">Source <code>{{source}}</code>: {{questions}} questions, {{answered}} answered by the published KB, {{unanswered}} not answered in {{topicCount}} topics and {{outliers}} outliers.{{#window}} {{window}}{{/window}}</p>
        <div class="tablewrap"><table><tr><th class="num">#</th><th>Topic</th><th>Key phrases</th><th class="num">Volume</th><th class="num">Share</th><th>Last two weeks</th><th>Per week</th></tr>
        {{#topics}}<tr><td class="num">{{id}}</td><td><a href="#topic-{{id}}">{{title}}</a></td><td>{{label}}</td><td class="num">{{volume}}</td><td class="num">{{share}}</td><td class="{{trendClass}}">{{trend}}</td><td>{{{bars}}}</td></tr>
        {{/topics}}</table></div></section>
        {{#topics}}<section id="topic-{{id}}"><h2>{{id}}. {{title}}</h2>
        <p>{{volume}} questions ({{share}}); trend {{trend}}. Key phrases: {{keyPhrases}}.</p>
        {{#nearest}}<p>Nearest article (does not answer it): <code>{{nearest}}</code></p>{{/nearest}}
        <ul>{{#examples}}<li>{{.}}</li>{{/examples}}</ul>
        <p class="note">Open a draft: <code>{{draftCommand}}</code></p></section>
        {{/topics}}
        {{#hasWeak}}<section><h2>Weakly answered</h2><p class="note">Tickets escalated, reopened or rated low although an article was found or cited.</p>
        <div class="tablewrap"><table><tr><th>Article</th><th class="num">Tickets</th><th>Example</th></tr>
        {{#weak}}<tr><td><code>{{article}}</code></td><td class="num">{{count}}</td><td>{{example}}</td></tr>{{/weak}}</table></div></section>{{/hasWeak}}
        {{#hasProblems}}<section><h2>Skipped input ({{problemCount}})</h2><ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></section>{{/hasProblems}}
        """

    public static func html(_ r: GapsReport) throws -> String {
        let peak = max(1, r.topics.flatMap(\.trend.counts).max() ?? 1)
        let topics: [[String: Any]] = r.topics.map { t in
            [
                "id": t.id, "title": t.title, "label": t.label, "volume": t.volume, "share": percent(t.share),
                "trend": t.trend.summary,
                "trendClass": t.trend.change > 0 ? "up" : t.trend.change < 0 ? "down" : "flat",
                // Only numbers go into this markup.
                "bars": t.trend.counts.map {
                    "<span class=\"bar\" style=\"height:\(max(1, 20 * $0 / peak))px\" title=\"\($0)\"></span>"
                }.joined(),
                "keyPhrases": t.keyPhrases.joined(separator: ", "), "nearest": t.nearestArticle ?? false,
                "examples": t.examples, "draftCommand": t.draftCommand,
            ]
        }
        let window =
            r.window.isEmpty
            ? ""
            : "Window: \(r.window.count) weeks of 7 days, the first starting \(r.window.first!), the last \(r.window.last!)."
        let view: [String: Any] = [
            "source": r.source, "questions": r.questions, "answered": r.answered, "unanswered": r.unanswered,
            "topicCount": r.topics.count, "outliers": r.outliers, "window": window, "topics": topics,
            "hasWeak": !r.weaklyAnswered.isEmpty,
            "weak": r.weaklyAnswered.map {
                ["article": $0.article, "count": $0.count, "example": $0.examples.first ?? ""] as [String: Any]
            },
            "hasProblems": !r.problems.isEmpty, "problemCount": r.problems.count,
            "problems": Array(r.problems.prefix(50)),
        ]
        let subtitle =
            "\(r.unanswered) of \(r.questions) questions not answered by the published KB · \(r.topics.count) topics"
        return try Page.html(title: "Knowledge gaps", subtitle: subtitle, content: try Page.render(template, view))
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }

    /// Writes `gaps.md`, `gaps.html` and `gaps.json` into `directory`; returns their paths.
    public static func write(_ report: GapsReport, to directory: String) throws -> [String] {
        let folder = URL(fileURLWithPath: directory)
        let files = [
            ("gaps.md", GapsRender.markdown(report)), ("gaps.html", try html(report)),
            ("gaps.json", try GapsRender.json(report)),
        ]
        return try files.map { name, body in
            let path = folder.appendingPathComponent(name).path
            try Page.write(body, to: path)
            return path
        }
    }
}
