import Foundation
import GRDB

extension TicketStore {
    /// Opens an existing store read-only: no migration, no salt created, nothing written
    /// (a reader beside `kb run`, such as `kb mcp`; WAL lets it read while an import writes).
    /// Without a salt (`$KB_PSEUDONYM_SALT` or `.secrets/pseudonym.key` beside the database)
    /// ``canPseudonymize`` is false: customers cannot be looked up, everything else works.
    public init(readingAt path: String) throws {
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
        if let env = ProcessInfo.processInfo.environment["KB_PSEUDONYM_SALT"], !env.isEmpty {
            salt = Array(env.utf8)
        } else if let data = FileManager.default.contents(atPath: file), data.count >= 16 {
            salt = [UInt8](data)
        } else {
            salt = []
        }
    }

    /// Whether ``pseudonym(_:)`` gives the pseudonyms this store holds (it has its salt).
    public var canPseudonymize: Bool { !salt.isEmpty }
}
