import Foundation
import GRDB

/// The customer-facing bundle (`kb export --audience external`): external articles, their
/// chunks and vectors, read from the index. Internal articles, drafts and tickets cannot be
/// in it: only `article.external = 1` rows are read, the drafts folder is never indexed,
/// and ticket data lives in another database this code never opens.
public enum ExternalExport {
    public struct Manifest: Codable, Sendable {
        public var format = "supportkb-export"
        public var version = 1
        public var audience = "external"
        public var modelHash: String
        public var dimension: Int
        public var articles: Int
        public var chunks: Int
        public var files = ["articles/…", "chunks.jsonl", "vectors.f32 (little-endian float32, one row per chunks.jsonl line)"]
    }

    struct ChunkLine: Codable {
        var article: String, title: String, index: Int, headingPath: String, text: String, embedText: String
        var tokens: Int, category: String, tags: [String]
    }

    /// Writes the bundle into `out` (created; existing files replaced). `kb` is the folder
    /// whose article sources are copied.
    @discardableResult
    public static func write(indexPath: String, kb: URL, modelHash: String, dimension: Int = 384, to out: URL) throws -> Manifest {
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
            let articles = try Row.fetchAll(db, sql: "SELECT id, path, title FROM article WHERE external = 1 ORDER BY path")
            for a in articles {
                let path: String = a["path"]
                let source = kb.appendingPathComponent(path)
                let target = out.appendingPathComponent("articles").appendingPathComponent(path)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if let data = fm.contents(atPath: source.path) { try data.write(to: target) }
                articleCount += 1
                let rows = try Row.fetchAll(db, sql: """
                    SELECT c.idx, c.heading_path, c.text, c.embed_text, c.tokens, c.category, c.tags, e.vector
                    FROM chunk c LEFT JOIN embedding e ON e.text_hash = c.text_hash AND e.model_hash = ?
                    WHERE c.articleId = ? AND c.external = 1 ORDER BY c.idx
                    """, arguments: [modelHash, a["id"] as Int64])
                for r in rows {
                    let line = ChunkLine(article: path, title: a["title"], index: r["idx"], headingPath: r["heading_path"],
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
}
