import Foundation
import GRDB

/// The ticket database (default `kb/tickets.sqlite`), kept beside the index rather than in
/// it: the index is what a copilot or the customer export reads and is rebuilt on its own
/// schedule; ticket data must never travel with it.
///
/// Everything is redacted before it is written; customers are stored only under a keyed
/// pseudonym (HMAC-SHA256 of their e-mail or id with a salt kept outside git).
public struct TicketStore: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    let salt: [UInt8]

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', 'supportkb-tickets'), ('schema_version', '1')")
            try db.create(table: "customer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pseudonym", .text).notNull().unique()
            }
            try db.create(table: "ticket") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("source", .text).notNull()
                t.column("external_id", .text).notNull()
                t.belongsTo("customer", onDelete: .setNull)
                t.column("subject", .text)
                t.column("status", .text).notNull()
                t.column("priority", .text)
                t.column("channel", .text)
                t.column("category", .text)
                t.column("tags", .text).notNull().defaults(to: "[]")
                t.column("created_at", .text)
                t.column("first_response_at", .text)
                t.column("resolved_at", .text)
                t.column("closed_at", .text)
                t.column("csat", .integer)
                t.column("reopen_count", .integer).notNull().defaults(to: 0)
                t.column("escalated", .boolean).notNull().defaults(to: false)
                t.column("resolved_by", .text)
                t.column("content_hash", .text).notNull()
                t.uniqueKey(["source", "external_id"])
            }
            try db.create(index: "ticket_created", on: "ticket", columns: ["created_at"])
            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("ticket", onDelete: .cascade).notNull()
                t.column("seq", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("channel", .text)
                t.column("at", .text)
                t.column("text", .text).notNull()
            }
            try db.create(table: "resolution") { t in
                t.primaryKey("ticketId", .integer).references("ticket", onDelete: .cascade)
                t.column("summary", .text)
                t.column("cause", .text)
                t.column("steps", .text).notNull().defaults(to: "[]")
                t.column("article", .text)
            }
            try db.create(table: "ticket_vector") { t in
                t.primaryKey("ticketId", .integer).references("ticket", onDelete: .cascade)
                t.column("model_hash", .text).notNull()
                t.column("text_hash", .text).notNull()
                t.column("vector", .blob).notNull()
            }
        }
        // Customer aliases (e-mail and export id), vectors keyed by ticket + model + text,
        // and reviewed link suggestions.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE customer_alias (
                  pseudonym TEXT PRIMARY KEY NOT NULL,
                  customerId INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE) WITHOUT ROWID;
                INSERT INTO customer_alias(pseudonym, customerId) SELECT pseudonym, id FROM customer;
                CREATE INDEX customer_alias_customer ON customer_alias(customerId);
                CREATE INDEX ticket_customer ON ticket(customerId, created_at);
                DROP TABLE ticket_vector;
                CREATE TABLE ticket_vector (
                  ticketId INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
                  model_hash TEXT NOT NULL,
                  text_hash TEXT NOT NULL,
                  vector BLOB NOT NULL,
                  PRIMARY KEY (ticketId, model_hash, text_hash)) WITHOUT ROWID;
                CREATE TABLE ticket_link (
                  ticketA INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
                  ticketB INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
                  status TEXT NOT NULL CHECK (status IN ('approved', 'rejected')),
                  similarity REAL,
                  decided_at TEXT NOT NULL,
                  PRIMARY KEY (ticketA, ticketB),
                  CHECK (ticketA < ticketB)) WITHOUT ROWID;
                UPDATE meta SET value = '2' WHERE key = 'schema_version';
                """)
        }
        return m
    }

    /// Opens (creating and migrating) the store. The salt comes from `$KB_PSEUDONYM_SALT`,
    /// else `.secrets/pseudonym.key` beside the database (created once, mode 0600).
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        var config = Configuration()
        config.foreignKeysEnabled = true
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        try Self.migrator.migrate(queue)
        salt = try Self.salt(folder: folder.isEmpty ? "." : folder)
    }

    static func salt(folder: String) throws -> [UInt8] {
        if let env = ProcessInfo.processInfo.environment["KB_PSEUDONYM_SALT"], !env.isEmpty { return Array(env.utf8) }
        let dir = (folder as NSString).appendingPathComponent(".secrets")
        let file = (dir as NSString).appendingPathComponent("pseudonym.key")
        if let data = FileManager.default.contents(atPath: file), data.count >= 16 { return [UInt8](data) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var key = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &rng) }
        guard FileManager.default.createFile(atPath: file, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw TicketImportError.unreadable(path: file)
        }
        return key
    }

    /// The stored pseudonym for a customer key (e-mail lower-cased, or export id): the first
    /// 128 bits of HMAC-SHA256(salt, key), in hex.
    public func pseudonym(_ key: String) -> String {
        String(SHA256.hex(SHA256.hmac(key: salt, message: Array(key.lowercased().trimmingCharacters(in: .whitespaces).utf8))).prefix(32))
    }

    /// What ``upsert(_:in:)`` did with a ticket.
    public enum Upsert: Sendable { case inserted, updated, unchanged }

    /// Runs `body` in one write transaction.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.write(body)
    }

    /// Runs `body` with read access.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }

    /// Runs `body` with a ``TicketBatch`` that commits every `size` tickets, so a long
    /// import keeps memory and the write-ahead log bounded; an error rolls back only the
    /// batch in progress (earlier batches are complete tickets, and re-import is idempotent).
    public func writeInBatches<T>(of size: Int = 2000, _ body: (inout TicketBatch) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            try db.beginTransaction(.immediate)
            var batch = TicketBatch(store: self, db: db, size: max(1, size))
            do {
                let result = try body(&batch)
                try db.commit()
                return result
            } catch {
                try? db.rollback()
                throw error
            }
        }
    }
}

/// Ticket writes grouped into transactions (see ``TicketStore/writeInBatches(of:_:)``).
public struct TicketBatch {
    let store: TicketStore
    let db: Database
    let size: Int
    var pending = 0

    /// Redacts and writes one ticket (see ``TicketStore/upsert(_:in:)``).
    public mutating func upsert(_ ticket: TicketInput) throws -> TicketStore.Upsert {
        let result = try store.upsert(ticket, in: db)
        pending += 1
        if pending >= size {
            try db.commit()
            try db.beginTransaction(.immediate)
            pending = 0
        }
        return result
    }
}
