import Foundation
import GRDB

/// Read-only lookups of articles for readers (the web app): each call opens the index
/// read-only and reads in one transaction, so a `kb run` writing the index (WAL) never
/// blocks it and it never sees half a write.
public enum IndexArticles {
    /// The article at `path` (relative to the articles folder), or nil.
    public static func article(path: String, index: String) throws -> IndexedArticle? {
        try IndexedArticles(path: index).article(path: path, audience: .all)
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
