import Foundation
import GRDB

/// The ticket database (default `kb/tickets.sqlite`), kept beside the index rather than in
/// it: the index is what a copilot or the customer export reads and is rebuilt on its own
/// schedule; ticket data must never travel with it.
///
/// Everything is redacted before it is written; customers are stored only under a keyed
/// pseudonym (HMAC-SHA256 of their e-mail or id with a salt kept outside git).
public struct TicketStore: Sendable {
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
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('format', 'supportkb-tickets'), ('schema_version', '1')")
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
        return m
    }

    /// Seconds a connection waits for another's lock before giving up.
    public static let busyTimeout: TimeInterval = 60

    /// Opens (creating and migrating) the store. The pseudonym key is the one given (`kb` passes
    /// `$KB_PSEUDONYM_SALT`), else `.secrets/pseudonym.key` beside the database (created once,
    /// mode 0600).
    public init(path: String, key: PseudonymKey = .besideStore) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        var config = Configuration()
        config.foreignKeysEnabled = true
        // A connection that finds the store busy waits instead of failing ("database is
        // locked" once failed `kb run --force` 5 times in 80).
        config.busyMode = .timeout(TicketStore.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: config)
        // WAL; a 64 MB page cache keeps the lookup indexes of a large import in memory.
        try queue.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA cache_size = -65536")
        }
        try Self.migrator.migrate(queue)
        salt = try Self.salt(folder: folder.isEmpty ? "." : folder, key: key)
    }

    static func salt(folder: String, key given: PseudonymKey) throws -> [UInt8] {
        if case .given(let bytes) = given, !bytes.isEmpty { return bytes }
        let dir = (folder as NSString).appendingPathComponent(".secrets")
        let file = (dir as NSString).appendingPathComponent("pseudonym.key")
        if let data = FileManager.default.contents(atPath: file), data.count >= 16 { return [UInt8](data) }
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        var key = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &rng) }
        guard FileManager.default.createFile(atPath: file, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else {
            throw TicketImportError.unwritable(path: file)
        }
        return key
    }

    /// The stored pseudonym for a customer key (e-mail lower-cased, or export id).
    public func pseudonym(_ key: String) -> String {
        Digests.pseudonym(salt: salt, key: key)
    }

    /// What writing one ticket did.
    public enum Upsert: Sendable { case inserted, updated, unchanged }

    /// Everything an import does to a ticket short of SQL: redaction, pseudonym, timestamps and
    /// the content fingerprint. Pure, so the importer runs it on another thread than the
    /// writes (``TicketWriter``).
    func prepare(_ t: TicketInput, pseudonyms: inout PseudonymCache) -> PreparedTicket {
        let redactor = Redactor(for: t)
        var p = PreparedTicket(source: t.source, externalID: t.externalID, status: t.status)
        p.subject = t.subject.map(redactor.redact)
        p.priority = t.priority.map(redactor.redact)
        p.channel = t.channel.map(redactor.redact)
        // Every free-text field is redacted, not only the messages: categories reach the
        // customer-facing report, and tags and resolution fields are typed by people too.
        p.category = t.category.map(redactor.redact)
        p.tags = JSONText.array(t.tags.map(redactor.redact))
        p.createdAt = TimestampParser.iso(t.createdAt)
        p.firstResponseAt = TimestampParser.iso(t.firstResponseAt)
        p.resolvedAt = TimestampParser.iso(t.resolvedAt)
        p.closedAt = TimestampParser.iso(t.closedAt)
        p.csat = t.csat
        p.reopenCount = t.reopenCount
        p.escalated = t.escalated
        p.resolvedBy = t.resolvedBy.map(redactor.redact)
        p.messages = t.messages.map {
            .init(role: $0.role, channel: $0.channel, at: TimestampParser.iso($0.at), text: redactor.redact($0.text))
        }
        let steps = t.resolution?.steps.map(redactor.redact) ?? []
        p.resolution = t.resolution.map { r in
            .init(
                summary: r.summary.map(redactor.redact), cause: r.cause.map(redactor.redact),
                steps: JSONText.array(steps), article: r.article.map(redactor.redact))
        }
        if let key = t.customerKey, !key.isEmpty { p.pseudonym = pseudonyms.value(key) { pseudonym($0) } }

        var fingerprint = [
            p.status, p.subject ?? "", p.priority ?? "", p.channel ?? "", p.category ?? "", p.tags,
            p.createdAt ?? "", p.firstResponseAt ?? "", p.resolvedAt ?? "", p.closedAt ?? "",
            "\(p.csat ?? -1)", "\(p.reopenCount)", "\(p.escalated)", p.resolvedBy ?? "", t.customerKey ?? "",
        ]
        fingerprint += p.messages.map { "\($0.role)|\($0.at ?? "")|\($0.text)" }
        if let r = p.resolution {
            fingerprint += [r.summary ?? "", r.cause ?? "", steps.joined(separator: "|"), r.article ?? ""]
        }
        p.contentHash = Digests.sha256Hex(fingerprint.joined(separator: "\u{1F}"))
        return p
    }

    /// Runs `body` in one write transaction.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.write(body)
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }
}
