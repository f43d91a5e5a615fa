import Foundation
import GRDB

/// One article as the index stores it: its fields and, from schema v3, its Markdown as
/// indexed (includes rendered), never the file as it is now.
public struct IndexedArticle: Sendable, Codable, Hashable {
    public var path: String
    public var title: String
    public var description: String?
    public var category: String
    public var tags: [String]
    public var external: Bool
    public var updated: String?
    /// The article's text as indexed; in an index written before v3, its chunks in order.
    public var markdown: String
}

/// Reads articles out of an index file, read-only, filtered by audience: an external reader
/// (``Audience/external``) gets `nil` for an internal article exactly as for a missing one.
public struct IndexedArticles: Sendable {
    public let path: String
    let db: DatabaseQueue

    /// Opens the index read-only (works while `kb index` writes: WAL).
    public init(path: String) throws {
        self.path = path
        db = try IndexDatabase.openForReading(path: path)
    }

    static func visible(_ audience: Audience) -> String {
        switch audience {
        case .external: "external = 1"
        case .internal: "external = 0"
        case .all: "1"
        }
    }

    /// Every article the audience may read, by path, without their text.
    public func list(audience: Audience) throws -> [IndexedArticle] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT path, title, description, category, tags, external, updated, '' AS markdown
                    FROM article WHERE \(Self.visible(audience)) ORDER BY path
                    """
            ).map(Self.article)
        }
    }

    /// The article at `path`, when the audience may read it.
    public func article(path: String, audience: Audience) throws -> IndexedArticle? {
        try db.read { db in
            let hasMarkdown = try db.columns(in: "article").contains { $0.name == "markdown" }
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, path, title, description, category, tags, external, updated, \(hasMarkdown ? "markdown" : "NULL AS markdown")
                        FROM article WHERE path = ? AND \(Self.visible(audience))
                        """, arguments: [path])
            else { return nil }
            var a = Self.article(row)
            if (row["markdown"] as String?) == nil {
                a.markdown =
                    try String.fetchAll(
                        db, sql: "SELECT text FROM chunk WHERE articleId = ? ORDER BY idx",
                        arguments: [row["id"] as Int64]
                    ).joined(separator: "\n\n") + "\n"
            }
            return a
        }
    }

    static func article(_ row: Row) -> IndexedArticle {
        IndexedArticle(
            path: row["path"], title: row["title"], description: row["description"], category: row["category"],
            tags: JSONList.decode(row["tags"]), external: row["external"], updated: row["updated"],
            markdown: row["markdown"] ?? "")
    }

    /// Changes whenever another process commits to the index or rebuilds it: the file's and
    /// its write-ahead log's identity, size and modification time. A long-running reader
    /// compares it to reload what it cached; reading it costs two `stat` calls.
    public static func generation(path: String) -> String {
        [path, path + "-wal"].map { file in
            let a = (try? FileManager.default.attributesOfItem(atPath: file)) ?? [:]
            let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(a[.systemFileNumber] ?? 0):\(a[.size] ?? 0):\(modified)"
        }.joined(separator: "|")
    }
}
