import Foundation
import GRDB

/// The index database: versioned migrations, never edited once shipped.
///
/// Tables (see docs/ARCHITECTURE.md, "Index schema"):
/// - `meta(key, value)`: `format` = `supportkb-index`, `schema_version`.
/// - `article`: one row per article file, with the hash of its bytes (and includes).
/// - `chunk`: the article's chunks; deleted with their article.
/// - `chunk_fts`: FTS5 over title, heading path and chunk text; rowid = `chunk.id`.
/// - `embedding`: the vector cache, keyed by model hash and text hash (384 float32 LE).
/// - `answer_model` (v2): the KB's answered test, fitted on its own articles at index time.
/// - `article.markdown` (v3): the article as indexed, includes rendered: what `kb export`
///   ships, never the file as it is now.
enum Schema {
    static let format = "supportkb-index"
    /// The FTS5 tokenizer of `chunk_fts`; queries scored in memory go through the same one.
    static let ftsTokenizer = FTS5TokenizerDescriptor.porter(wrapping: .unicode61(diacritics: .remove))

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('format', ?), ('schema_version', '1')", arguments: [format])
            try db.create(table: "article") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("path", .text).notNull().unique()
                t.column("slug", .text).notNull()
                t.column("title", .text).notNull()
                t.column("description", .text)
                t.column("category", .text).notNull()
                t.column("tags", .text).notNull()  // JSON array
                t.column("external", .boolean).notNull()
                t.column("updated", .text)  // ISO date
                t.column("status", .text)
                t.column("content_hash", .text).notNull()
            }
            try db.create(table: "chunk") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("article", onDelete: .cascade).notNull()
                t.column("idx", .integer).notNull()
                t.column("heading_path", .text).notNull()  // "Title > Section > Sub"
                t.column("text", .text).notNull()  // Markdown source
                t.column("embed_text", .text).notNull()
                t.column("tokens", .integer).notNull()
                t.column("category", .text).notNull()
                t.column("tags", .text).notNull()
                t.column("external", .boolean).notNull()
                t.column("text_hash", .text).notNull()
                t.column("line", .integer).notNull()
                t.column("end_line", .integer).notNull()
                t.uniqueKey(["articleId", "idx"])
            }
            try db.create(virtualTable: "chunk_fts", using: FTS5()) { t in
                t.tokenizer = Schema.ftsTokenizer
                t.column("title")
                t.column("heading")
                t.column("body")
            }
            try db.create(table: "embedding") { t in
                t.column("model_hash", .text).notNull()
                t.column("text_hash", .text).notNull()
                t.column("vector", .blob).notNull()
                t.primaryKey(["model_hash", "text_hash"])
            }
        }
        m.registerMigration("v2") { db in
            // The KB's answered test (AnswerDetector as JSON), fitted when the index is written.
            try db.create(table: "answer_model") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("model", .text).notNull()
            }
            try db.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        }
        m.registerMigration("v3") { db in
            // The article as indexed (includes rendered), for the export. Rows indexed before
            // have none: their hash is cleared so the next `kb index` writes them again.
            try db.alter(table: "article") { t in t.add(column: "markdown", .text) }
            try db.execute(sql: "UPDATE article SET content_hash = ''")
            try db.execute(sql: "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        }
        return m
    }
}

/// Problems opening or reading an index, naming the file.
public enum IndexError: Error, CustomStringConvertible, Sendable {
    case missing(path: String)
    case foreign(path: String, reason: String)
    case emptyQuery
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no index here; build one with `kb index --kb DIR --db \(path)`"
        case .foreign(let path, let reason): "\(path): not a SupportKB index (\(reason))"
        case .emptyQuery: "the query is empty"
        case .database(let path, let reason): "\(path): \(reason)"
        }
    }
}

/// Opens index files.
public enum IndexDatabase {
    /// Every index connection waits up to a minute for another's lock rather than failing
    /// with "database is locked".
    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(60)
        return config
    }

    /// Opens (creating if needed) an index for writing, migrated to the current schema.
    public static func openForWriting(path: String) throws -> DatabaseQueue {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty
                ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: path) { try check(path: path) }
        var config = IndexDatabase.configuration()
        config.foreignKeysEnabled = true
        let db = try DatabaseQueue(path: path, configuration: config)
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try Schema.migrator.migrate(db)
        return db
    }

    /// Opens an existing index read-only; a missing or foreign file is a clear error.
    public static func openForReading(path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else { throw IndexError.missing(path: path) }
        try check(path: path)
        var config = IndexDatabase.configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// Refuses files that are not SQLite or not ours, before anything is written to them.
    static func check(path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw IndexError.foreign(path: path, reason: "a directory, not an index file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw IndexError.missing(path: path) }
        defer { try? handle.close() }
        guard let magic = try? handle.read(upToCount: 16) ?? Data() else {
            throw IndexError.foreign(path: path, reason: "cannot be read")
        }
        if magic.isEmpty { return }  // an empty file becomes a new index
        guard magic.starts(with: Data("SQLite format 3".utf8)) else {
            throw IndexError.foreign(path: path, reason: "not an SQLite database")
        }
        var config = IndexDatabase.configuration()
        config.readonly = true
        let format: String?
        do {
            let db = try DatabaseQueue(path: path, configuration: config)
            format = try db.read { db in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
            }
        } catch {
            throw IndexError.foreign(path: path, reason: "\(error)")
        }
        guard format == Schema.format else {
            throw IndexError.foreign(path: path, reason: "an SQLite database without a SupportKB meta table")
        }
    }
}
