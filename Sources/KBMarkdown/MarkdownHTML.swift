import CCmarkGFM
import Foundation
import Synchronization

/// Markdown → HTML for people to read (the editors' web app): cmark-gfm's own renderer with
/// the GFM extensions, **without** `CMARK_OPT_UNSAFE`, so raw HTML blocks and inline HTML are
/// dropped (`<!-- raw HTML omitted -->`) and `javascript:`/`data:` links are emptied; the
/// `tagfilter` extension is attached too, so even a renderer option changed later never
/// lets `<script>`, `<iframe>`, `<style>` … through. Parsing is serialised with the
/// converter's lock (cmark-gfm keeps global state, see ``CommonMarkConverter``).
public enum MarkdownHTML {
    nonisolated(unsafe) static let safeExtensions: [OpaquePointer] = {
        _ = CommonMarkConverter.extensions  // registers the core extensions once
        return (CommonMarkConverter.extensionNames + ["tagfilter"]).compactMap { cmark_find_syntax_extension($0) }
    }()

    /// The HTML of `markdown` (front matter, when present, is left out).
    public static func render(_ markdown: String) -> String {
        var source = markdown
        if source.hasPrefix("---\n") || source.hasPrefix("---\r\n"),
            let end = source.range(of: "\n---\n", range: source.index(source.startIndex, offsetBy: 3)..<source.endIndex)
                ?? source.range(of: "\n---\r\n", range: source.index(source.startIndex, offsetBy: 3)..<source.endIndex)
        {
            source = String(source[end.upperBound...])
        }
        let extensions = safeExtensions
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        return CommonMarkConverter.cmarkLock.withLock { _ -> String in
            guard let parser = cmark_parser_new(options) else { return "" }
            defer { cmark_parser_free(parser) }
            for ext in extensions { cmark_parser_attach_syntax_extension(parser, ext) }
            source.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
            }
            guard let root = cmark_parser_finish(parser) else { return "" }
            defer { cmark_node_free(root) }
            guard let html = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else {
                return ""
            }
            defer { free(html) }
            return String(cString: html)
        }
    }
}
