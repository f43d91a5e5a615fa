import Foundation
import GRDB

/// The customer-facing bundle (`kb export --audience external`): external articles, their
/// chunks and vectors, all read from the index — never from the files as they are now, so an
/// article made internal after the last index is not in it, and includes come rendered (no
/// link into an `includes/` folder the bundle does not have). Internal articles, drafts and
/// tickets cannot be in it: only `article.external = 1` rows are read, the drafts folder is
/// never indexed, and ticket data lives in another database this code never opens.
public enum ExternalExport {
    public struct Manifest: Codable, Sendable {
        public var format = "supportkb-export"
        public var version = 1
        public var audience = "external"
        public var modelHash: String
        public var dimension: Int
        public var articles: Int
        public var chunks: Int
        public var files = [
            "articles/…", "chunks.jsonl", "vectors.f32 (little-endian float32, one row per chunks.jsonl line)",
        ]
    }

    struct ChunkLine: Codable {
        var article: String, title: String, index: Int, headingPath: String, text: String, embedText: String
        var tokens: Int, category: String, tags: [String]
    }

    /// Writes the bundle into `out` (created; existing files replaced).
    @discardableResult
    public static func write(indexPath: String, modelHash: String, dimension: Int = 384, to out: URL) throws -> Manifest
    {
        let db = try IndexDatabase.openForReading(path: indexPath)
        let fm = FileManager.default
        try? fm.removeItem(at: out)
        try fm.createDirectory(at: out.appendingPathComponent("articles"), withIntermediateDirectories: true)
        var chunkLines = Data()
        var vectors = Data()
        var articleCount = 0, chunkCount = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try db.read { db in
            let hasMarkdown = try db.columns(in: "article").contains { $0.name == "markdown" }
            let articles = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, path, title, description, category, tags, updated, \(hasMarkdown ? "markdown" : "NULL AS markdown")
                    FROM article WHERE external = 1 ORDER BY path
                    """)
            for a in articles {
                let path: String = a["path"]
                let target = out.appendingPathComponent("articles").appendingPathComponent(path)
                guard target.standardizedFileURL.path.hasPrefix(out.standardizedFileURL.path + "/") else { continue }
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                // An index written before v3 has no article text: its chunks, in order.
                let body: String =
                    try a["markdown"] ?? String.fetchAll(
                        db, sql: "SELECT text FROM chunk WHERE articleId = ? AND external = 1 ORDER BY idx",
                        arguments: [a["id"] as Int64]
                    ).joined(separator: "\n\n") + "\n"
                try Data(articleFile(a, body: body).utf8).write(to: target)
                articleCount += 1
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.idx, c.heading_path, c.text, c.embed_text, c.tokens, c.category, c.tags, e.vector
                        FROM chunk c LEFT JOIN embedding e ON e.text_hash = c.text_hash AND e.model_hash = ?
                        WHERE c.articleId = ? AND c.external = 1 ORDER BY c.idx
                        """, arguments: [modelHash, a["id"] as Int64])
                for r in rows {
                    let line = ChunkLine(
                        article: path, title: a["title"], index: r["idx"], headingPath: r["heading_path"],
                        text: r["text"], embedText: r["embed_text"], tokens: r["tokens"], category: r["category"],
                        tags: JSONList.decode(r["tags"]))
                    chunkLines.append(try encoder.encode(line))
                    chunkLines.append(0x0A)
                    let blob: Data = r["vector"] ?? Data(count: dimension * 4)
                    vectors.append(blob.count == dimension * 4 ? blob : Data(count: dimension * 4))
                    chunkCount += 1
                }
            }
        }
        try chunkLines.write(to: out.appendingPathComponent("chunks.jsonl"))
        try vectors.write(to: out.appendingPathComponent("vectors.f32"))
        let manifest = Manifest(modelHash: modelHash, dimension: dimension, articles: articleCount, chunks: chunkCount)
        let m = JSONEncoder()
        m.outputFormatting = [.prettyPrinted, .sortedKeys]
        m.keyEncodingStrategy = .convertToSnakeCase
        try m.encode(manifest).write(to: out.appendingPathComponent("manifest.json"))
        return manifest
    }

    /// An exported article: the fields a reader sees as front matter, then the indexed text.
    static func articleFile(_ a: Row, body: String) -> String {
        func quoted(_ s: String) -> String {
            "\""
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: " ") + "\""
        }
        var fm = "---\ntitle: \(quoted(a["title"]))\n"
        if let d: String = a["description"], !d.isEmpty { fm += "description: \(quoted(d))\n" }
        fm += "category: \(quoted(a["category"]))\n"
        let tags = JSONList.decode(a["tags"])
        if !tags.isEmpty { fm += "tags: [" + tags.map(quoted).joined(separator: ", ") + "]\n" }
        if let u: String = a["updated"] { fm += "updated: \(u.prefix(10))\n" }
        return fm + "external: true\n---\n" + body
    }
}
