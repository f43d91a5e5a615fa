import Foundation
import GRDB
import KBChunking
import KBEmbedding
import KBMarkdown

/// One row of `article`: an article file as indexed.
struct ArticleRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "article"
    static let chunks = hasMany(ChunkRecord.self)

    var id: Int64?
    var path: String
    var slug: String
    var title: String
    var description: String?
    var category: String
    /// Stored as a JSON array.
    var tags: [String]
    var external: Bool
    /// ISO 8601 date, when the front matter has one.
    var updated: String?
    var status: String?
    /// Hash of the file bytes and the includes fingerprint (`ContentHash`).
    var contentHash: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, path, slug, title, description, category, tags, external, updated, status
        case contentHash = "content_hash"
    }

    init(_ a: Article, contentHash: String) {
        id = nil; path = a.path; slug = a.slug; title = a.title; description = a.description
        category = a.category; tags = a.tags; external = a.external
        updated = a.updated.map { ISO8601DateFormatter().string(from: $0) }
        status = a.status; self.contentHash = contentHash
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One row of `chunk`: a piece of an article, with copies of the article's filter fields
/// so a chunk can be filtered on its own.
struct ChunkRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "chunk"

    var id: Int64?
    var articleId: Int64
    var idx: Int
    /// `Title > Section > Sub`.
    var headingPath: String
    /// Markdown source of the chunk.
    var text: String
    /// What the model reads (heading path, then plain text).
    var embedText: String
    var tokens: Int
    var category: String
    /// Stored as a JSON array.
    var tags: [String]
    var external: Bool
    /// `MiniLMEmbedder.textHash(embedText)`: the key into `embedding`.
    var textHash: String
    var line: Int
    var endLine: Int

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, articleId, idx, text, tokens, category, tags, external, line
        case headingPath = "heading_path", embedText = "embed_text", textHash = "text_hash", endLine = "end_line"
    }

    init(_ c: Chunk, articleId: Int64) {
        id = nil; self.articleId = articleId; idx = c.index; headingPath = c.headingPathString; text = c.text
        embedText = c.embedText; tokens = c.tokens; category = c.category; tags = c.tags; external = c.external
        textHash = MiniLMEmbedder.textHash(c.embedText); line = c.line; endLine = c.endLine
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One row of `embedding`: the vector cache, keyed by model and text hash.
struct EmbeddingRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "embedding"

    var modelHash: String
    var textHash: String
    /// `dimension` float32 values, little-endian.
    var vector: Data

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case modelHash = "model_hash", textHash = "text_hash", vector
    }
}

/// Vectors stored as little-endian float32 BLOBs.
public enum VectorBlob {
    public static func data(_ v: [Float]) -> Data { v.withUnsafeBufferPointer { Data(buffer: $0) } }

    public static func floats(_ d: Data) -> [Float] {
        d.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
    }
}

/// Content hashes of article files (64-bit FNV-1a over a salt and the bytes).
enum ContentHash {
    static func of(_ data: Data, salt: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in salt.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        data.withUnsafeBytes { raw in for b in raw { h = (h ^ UInt64(b)) &* 0x100000001b3 } }
        return String(format: "%016llx", h)
    }
}
