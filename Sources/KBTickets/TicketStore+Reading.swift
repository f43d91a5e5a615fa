import Foundation
import GRDB

extension TicketStore {
    /// Opens an existing store read-only: no migration, no salt created, nothing written
    /// (a reader beside `kb run`, such as `kb mcp`; WAL lets it read while an import writes).
    /// Without a salt (the key given, or `.secrets/pseudonym.key` beside the database)
    /// ``canPseudonymize`` is false: customers cannot be looked up, everything else works.
    public init(readingAt path: String, key: PseudonymKey = .besideStore) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw TicketImportError.unreadable(path: path) }
        self.path = path
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(TicketStore.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: config)
        let format = try queue.read { db in
            try db.tableExists("meta") ? String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'") : nil
        }
        guard format == "supportkb-tickets" else {
            throw TicketImportError.unreadable(path: path + " (not a SupportKB ticket store)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let file = ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(".secrets/pseudonym.key")
        if case .given(let bytes) = key, !bytes.isEmpty {
            salt = bytes
        } else if let data = FileManager.default.contents(atPath: file), data.count >= 16 {
            salt = [UInt8](data)
        } else {
            salt = []
        }
    }

    /// Whether ``pseudonym(_:)`` gives the pseudonyms this store holds (it has its salt).
    public var canPseudonymize: Bool { !salt.isEmpty }
}

/// Where a ticket store's pseudonym key (the HMAC salt of customer pseudonyms) comes from.
public enum PseudonymKey: Sendable, Equatable {
    /// `.secrets/pseudonym.key` beside the database (a writer creates it once, mode 0600).
    case besideStore
    /// A key the operator gave (`kb` reads `$KB_PSEUDONYM_SALT`); an empty one means beside the store.
    case given([UInt8])
}
