import Foundation
import KBMarkdown
import KBSupport

/// Markdown and JSON views of a ``GapsReport`` and the assignments CSV (the HTML page is
/// `KBReports.GapsPage`, in the look every report shares).
public enum GapsRender {
    public static func json(_ report: GapsReport) throws -> String {
        String(decoding: try JSONCoding.pretty().encode(report), as: UTF8.self) + "\n"
    }

    /// Reads a `gaps.json` written by ``json(_:)``; the error says which file and why.
    public static func read(path: String) throws -> GapsReport {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw GapsReportReadError(path: path, reason: "cannot read it (\(error.localizedDescription))")
        }
        do { return try JSONCoding.decoder().decode(GapsReport.self, from: data) } catch {
            throw GapsReportReadError(path: path, reason: "not a gaps report this version reads (\(error))")
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }

    public static func markdown(_ r: GapsReport) -> String {
        var md = "# Knowledge gaps\n\n"
        md += "Source: \(code(r.source)). \(r.questions) questions: \(r.answered) answered by the published KB, "
        md += "\(r.unanswered) not answered, in \(r.topics.count) topics and \(r.outliers) outliers.\n"
        if !r.window.isEmpty {
            md +=
                "Window: \(r.window.count) weeks of 7 days, the first starting \(r.window.first!), the last \(r.window.last!).\n"
        }
        md +=
            "\n| # | Topic | Key phrases | Volume | Share | Last two weeks | Per week |\n|---|---|---|---|---|---|---|\n"
        for t in r.topics {
            md +=
                "| \(t.id) | \(cell(t.title)) | \(cell(t.label)) | \(t.volume) | \(percent(t.share)) | \(t.trend.summary) | \(t.trend.counts.map(String.init).joined(separator: " ")) |\n"
        }
        for t in r.topics {
            md += "\n## \(t.id). \(inline(t.title))\n\n"
            md +=
                "\(t.volume) questions (\(percent(t.share))); trend \(t.trend.summary). Key phrases: \(inline(t.keyPhrases.joined(separator: ", "))).\n"
            if let a = t.nearestArticle { md += "Nearest article (does not answer it): \(code(a)).\n" }
            md += "\n"
            for e in t.examples { md += "- \(inline(e))\n" }
            md += "\nOpen a draft: \(code(t.draftCommand))\n"
        }
        if !r.weaklyAnswered.isEmpty {
            md +=
                "\n## Weakly answered\n\nTickets escalated, reopened or rated low although an article was found or cited.\n\n"
            md += "| Article | Tickets | Example |\n|---|---|---|\n"
            for w in r.weaklyAnswered {
                md +=
                    "| \(code(w.article).replacingOccurrences(of: "|", with: "\\|")) | \(w.count) | \(cell(w.examples.first ?? "")) |\n"
            }
        }
        md +=
            "\n## Method\n\nEach question is scored by this KB's own answered test (fitted on its articles when the index was written; "
        md +=
            "answered at a score of at least \(String(format: "%.3f", r.answeredThreshold))), then alike questions are decided together: "
        md +=
            "a topic whose resolved tickets cite articles far less often than this help desk usually does is a gap, otherwise the majority verdict holds (docs/GAPS.md). "
        let c = r.clustering
        md += String(
            format:
                "Topics: average-linkage clustering cut at cosine %.3f (mean %.3f + 2 × std %.3f of the similarities between groups), refined by spherical k-means, near-duplicate topics merged, ",
            c.similarityThreshold, c.backgroundMean, c.backgroundStd)
        md += "minimum topic size \(c.minimumTopicSize); outliers \(percent(c.outlierShare)) of unanswered questions.\n"
        if !r.problems.isEmpty {
            md +=
                "\n## Skipped input (\(r.problems.count))\n\n"
                + r.problems.prefix(50).map { "- \(inline($0))\n" }.joined()
        }
        return md
    }

    /// Ticket text in gaps.md: ``MarkdownEscape`` (no raw HTML, no live links).
    static func cell(_ s: String) -> String { MarkdownEscape.cell(s) }
    static func inline(_ s: String) -> String { MarkdownEscape.inline(s) }
    static func code(_ s: String) -> String { MarkdownEscape.code(s) }

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
}

/// A `gaps.json` that could not be read.
public struct GapsReportReadError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
