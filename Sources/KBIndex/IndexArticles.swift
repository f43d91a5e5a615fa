import Foundation
import GRDB

/// One article as the index holds it (the text as indexed, includes rendered).
public struct IndexedArticle: Sendable, Codable, Hashable {
    public var path: String
    public var title: String
    public var category: String
    public var tags: [String]
    public var external: Bool
    public var updated: String?
    /// The article's Markdown as indexed (blocks joined; nil in an index written before v3).
    public var markdown: String?
}

/// Read-only lookups of articles for readers (the web app): each call opens the index
/// read-only and reads in one transaction, so a `kb run` writing the index (WAL) never
/// blocks it and it never sees half a write.
public enum IndexArticles {
    /// The article at `path` (relative to the articles folder), or nil.
    public static func article(path: String, index: String) throws -> IndexedArticle? {
        let db = try IndexDatabase.openForReading(path: index)
        return try db.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT path, title, category, tags, external, updated, markdown FROM article WHERE path = ?
                """, arguments: [path]) else { return nil }
            return IndexedArticle(path: row["path"], title: row["title"], category: row["category"],
                                  tags: JSONList.decode(row["tags"]), external: row["external"],
                                  updated: row["updated"], markdown: row["markdown"])
        }
    }

    /// A stamp that changes whenever the index file or its write-ahead log changes (size and
    /// modification time of both): a reader keeps what it loaded while the stamp stays.
    public static func stamp(index: String) -> String {
        [index, index + "-wal"].map { path -> String in
            guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return "-" }
            let size = (a[.size] as? NSNumber)?.int64Value ?? -1
            let time = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(size)@\(time)"
        }.joined(separator: "|")
    }
}
