import Foundation
import KBMarkdown

/// Markdown, HTML and JSON views of a ``GapsReport``, and the assignments CSV.
public enum GapsRender {
    public static func json(_ report: GapsReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }

    public static func markdown(_ r: GapsReport) -> String {
        var md = "# Knowledge gaps\n\n"
        md += "Source: \(code(r.source)). \(r.questions) questions: \(r.answered) answered by the published KB, "
        md += "\(r.unanswered) not answered, in \(r.topics.count) topics and \(r.outliers) outliers.\n"
        if !r.window.isEmpty { md += "Window: \(r.window.count) weeks of 7 days, the first starting \(r.window.first!), the last \(r.window.last!).\n" }
        md += "\n| # | Topic | Key phrases | Volume | Share | Last two weeks | Per week |\n|---|---|---|---|---|---|---|\n"
        for t in r.topics {
            md += "| \(t.id) | \(cell(t.title)) | \(cell(t.label)) | \(t.volume) | \(percent(t.share)) | \(t.trend.summary) | \(t.trend.counts.map(String.init).joined(separator: " ")) |\n"
        }
        for t in r.topics {
            md += "\n## \(t.id). \(inline(t.title))\n\n"
            md += "\(t.volume) questions (\(percent(t.share))); trend \(t.trend.summary). Key phrases: \(inline(t.keyPhrases.joined(separator: ", "))).\n"
            if let a = t.nearestArticle { md += "Nearest article (does not answer it): \(code(a)).\n" }
            md += "\n"
            for e in t.examples { md += "- \(inline(e))\n" }
            md += "\nOpen a draft: \(code(t.draftCommand))\n"
        }
        if !r.weaklyAnswered.isEmpty {
            md += "\n## Weakly answered\n\nTickets escalated, reopened or rated low although an article was found or cited.\n\n"
            md += "| Article | Tickets | Example |\n|---|---|---|\n"
            for w in r.weaklyAnswered { md += "| \(code(w.article).replacingOccurrences(of: "|", with: "\\|")) | \(w.count) | \(cell(w.examples.first ?? "")) |\n" }
        }
        md += "\n## Method\n\nEach question is scored by this KB's own answered test (fitted on its articles when the index was written; "
        md += "answered at a score of at least \(String(format: "%.3f", r.answeredThreshold))), then alike questions are decided together: "
        md += "a topic whose resolved tickets cite articles far less often than this help desk usually does is a gap, otherwise the majority verdict holds (docs/GAPS.md). "
        let c = r.clustering
        md += String(format: "Topics: average-linkage clustering cut at cosine %.3f (mean %.3f + 2 × std %.3f of the similarities between groups), refined by spherical k-means, near-duplicate topics merged, ",
                     c.similarityThreshold, c.backgroundMean, c.backgroundStd)
        md += "minimum topic size \(c.minimumTopicSize); outliers \(percent(c.outlierShare)) of unanswered questions.\n"
        if !r.problems.isEmpty {
            md += "\n## Skipped input (\(r.problems.count))\n\n" + r.problems.prefix(50).map { "- \(inline($0))\n" }.joined()
        }
        return md
    }

    /// Ticket text in gaps.md: ``MarkdownEscape`` (no raw HTML, no live links).
    static func cell(_ s: String) -> String { MarkdownEscape.cell(s) }
    static func inline(_ s: String) -> String { MarkdownEscape.inline(s) }
    static func code(_ s: String) -> String { MarkdownEscape.code(s) }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    public static func html(_ r: GapsReport) -> String {
        let e = escape
        var h = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Knowledge gaps</title>
        <style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left}
        .up{color:#b00}.down{color:#070}code{background:#f4f4f4;padding:0 .2em}.bar{display:inline-block;background:#69c;height:.8em;margin-right:1px;width:6px;vertical-align:bottom}</style>
        </head><body><h1>Knowledge gaps</h1>

        """
        h += "<p>Source <code>\(e(r.source))</code>: \(r.questions) questions, \(r.answered) answered, "
        h += "\(r.unanswered) not answered in \(r.topics.count) topics and \(r.outliers) outliers.</p>\n"
        h += "<table><tr><th>#</th><th>Topic</th><th>Key phrases</th><th>Volume</th><th>Share</th><th>Last two weeks</th><th>Per week</th></tr>\n"
        let peak = max(1, r.topics.flatMap(\.trend.counts).max() ?? 1)
        for t in r.topics {
            let cls = t.trend.change > 0 ? "up" : t.trend.change < 0 ? "down" : ""
            let bars = t.trend.counts.map { "<span class=\"bar\" style=\"height:\(max(1, 20 * $0 / peak))px\" title=\"\($0)\"></span>" }.joined()
            h += "<tr><td>\(t.id)</td><td><a href=\"#topic-\(t.id)\">\(e(t.title))</a></td><td>\(e(t.label))</td><td>\(t.volume)</td>"
            h += "<td>\(e(percent(t.share)))</td><td class=\"\(cls)\">\(e(t.trend.summary))</td><td>\(bars)</td></tr>\n"
        }
        h += "</table>\n"
        for t in r.topics {
            h += "<h2 id=\"topic-\(t.id)\">\(t.id). \(e(t.title))</h2>\n<p>\(t.volume) questions; key phrases: \(e(t.keyPhrases.joined(separator: ", "))).</p>\n"
            if let a = t.nearestArticle { h += "<p>Nearest article (does not answer it): <code>\(e(a))</code></p>\n" }
            h += "<ul>" + t.examples.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
            h += "<p>Open a draft: <code>\(e(t.draftCommand))</code></p>\n"
        }
        if !r.weaklyAnswered.isEmpty {
            h += "<h2>Weakly answered</h2><table><tr><th>Article</th><th>Tickets</th><th>Example</th></tr>\n"
            for w in r.weaklyAnswered {
                h += "<tr><td><code>\(e(w.article))</code></td><td>\(w.count)</td><td>\(e(w.examples.first ?? ""))</td></tr>\n"
            }
            h += "</table>\n"
        }
        if !r.problems.isEmpty {
            h += "<h2>Skipped input</h2><ul>" + r.problems.prefix(50).map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        }
        return h + "</body></html>\n"
    }

    /// CSV with a header and one row per input row: `row,topic,answered_score`. Rows that could
    /// not be read get topic `skipped` and an empty score.
    public static func assignmentsCSV(rows: Int, questions: [Question], outcomes: [QuestionOutcome]) -> String {
        var byRow = [Int: QuestionOutcome]()
        for (q, o) in zip(questions, outcomes) { byRow[q.row] = o }
        var csv = "row,topic,answered_score\n"
        for row in 1...max(1, rows) where rows > 0 {
            if let o = byRow[row] {
                csv += "\(row),\(o.topicColumn),\(o.score.map { String(format: "%.4f", $0) } ?? "")\n"
            } else {
                csv += "\(row),skipped,\n"
            }
        }
        return csv
    }

    /// Writes `gaps.md`, `gaps.html` and `gaps.json` into `directory`.
    public static func write(_ report: GapsReport, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for (ext, body) in [("md", markdown(report)), ("html", html(report)), ("json", try json(report))] {
            let path = (directory as NSString).appendingPathComponent("gaps.\(ext)")
            try body.write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        return written
    }
}
