import Foundation
import KBMarkdown
import KBSupport
import Mustache

/// The shared look of every HTML report: one self-contained page, inline CSS, no network,
/// readable on a phone. Templates are Mustache; `{{…}}` escapes HTML, so ticket and article
/// text always renders as text.
enum Page {
    static let css = """
        :root{--fg:#1d2430;--muted:#5b6577;--bg:#f6f7fb;--card:#fff;--line:#e3e6ee;--accent:#2f6fdf;--good:#1f9d55;--bad:#d64545;--warn:#c98a00}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{background:#182235;color:#fff;padding:18px 20px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#b9c3d6;font-size:13px}
        main{max-width:1100px;margin:0 auto;padding:16px}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 14px}
        h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:12px 0 6px}
        .note{color:var(--muted);font-size:13px;margin:4px 0 10px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px}
        .card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fbfcff}
        .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .card .v{font-size:22px;font-weight:600}.card .d{font-size:12px}
        .up{color:var(--bad)}.down{color:var(--good)}.flat{color:var(--muted)}
        .tag{display:inline-block;font-size:11px;padding:1px 7px;border-radius:10px;background:#eef2fb;color:#33415c;margin:0 4px 2px 0}
        .tag.estimate{background:#fff4d6;color:#7a5600}.tag.measured{background:#e3f6ea;color:#19683a}
        .tablewrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{color:var(--muted);font-weight:600;background:#fafbfd}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        details{margin-top:8px}summary{cursor:pointer;color:var(--accent);font-size:13px}
        svg{max-width:100%;height:auto;display:block}
        .chart text{font-size:11px;fill:var(--muted)}
        a{color:var(--accent)}
        .bar{display:inline-block;background:var(--accent);width:6px;margin-right:1px;vertical-align:bottom}
        @media (max-width:600px){main{padding:8px}section{padding:10px}.card .v{font-size:18px}}
        """

    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{title}}</title><style>{{{css}}}</style></head>
        <body><header><h1>{{title}}</h1><p>{{subtitle}}</p></header><main>
        {{{content}}}
        </main></body></html>
        """

    /// Wraps rendered section HTML in the page layout.
    static func html(title: String, subtitle: String, content: String) throws -> String {
        try render(layout, ["title": title, "subtitle": subtitle, "css": css, "content": content])
    }

    /// Renders a Mustache template string. A template that does not parse is thrown (with the
    /// template's first line), never written into a report.
    static func render(_ template: String, _ object: Any) throws -> String {
        do {
            return try MustacheTemplate(string: template).render(object)
        } catch {
            throw ReportTemplateError(template: String(template.prefix(while: { $0 != "\n" })), reason: "\(error)")
        }
    }

    /// The JSON form of every report: sorted snake_case keys, ISO 8601 dates.
    static var jsonEncoder: JSONEncoder { JSONCoding.pretty(snakeCase: true) }

    /// Writes `<name>.md`, `<name>.html` and `<name>.json` into `folder`.
    static func writeAll(name: String, markdown: String, html: String, json: Data, to folder: URL) throws {
        try write(markdown, to: folder.appendingPathComponent(name + ".md").path)
        try write(html, to: folder.appendingPathComponent(name + ".html").path)
        try write(String(decoding: json, as: UTF8.self), to: folder.appendingPathComponent(name + ".json").path)
    }

    /// Writes a file atomically, creating its folder.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// A report template that does not parse (a programming error the tests catch).
public struct ReportTemplateError: Error, CustomStringConvertible {
    public var template: String
    public var reason: String
    public var description: String { "report template \"\(template)…\": \(reason)" }
}

/// Markdown table cells: ``MarkdownEscape/cell(_:)`` (no raw HTML, no link syntax, no
/// broken table) — a ticket's category once kept a live `javascript:` link in metrics.md.
enum MarkdownText {
    static func cell(_ text: String) -> String { MarkdownEscape.cell(text) }
}
