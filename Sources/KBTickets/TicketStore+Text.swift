import Foundation
import GRDB

/// A ticket's redacted text as an editor reads it beside a draft.
public struct TicketText: Sendable, Codable, Hashable {
    public struct Message: Sendable, Codable, Hashable {
        public var role: String
        public var at: String?
        public var text: String
    }
    /// `source:external_id`, as drafts cite it.
    public var reference: String
    public var subject: String
    public var status: String
    public var channel: String?
    public var createdAt: String?
    public var messages: [Message]
    public var resolution: String?
}

extension TicketStore {
    /// The stored (redacted) text of the tickets `references` names, in that order; references
    /// not in the store are left out. Opens the database read-only (no salt, no migration),
    /// so a reader never writes to it nor waits for an import; a missing database is no tickets.
    public static func texts(databasePath: String, references: [String], messageLimit: Int = 20) throws -> [TicketText]
    {
        guard !references.isEmpty, FileManager.default.fileExists(atPath: databasePath) else { return [] }
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: config)
        return try queue.read { db in
            try references.compactMap { reference -> TicketText? in
                guard let colon = reference.firstIndex(of: ":") else { return nil }
                let source = String(reference[..<colon]), external = String(reference[reference.index(after: colon)...])
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT t.id, coalesce(t.subject, '') AS subject, t.status, t.channel, t.created_at, r.summary
                            FROM ticket t LEFT JOIN resolution r ON r.ticketId = t.id WHERE t.source = ? AND t.external_id = ?
                            """, arguments: [source, external])
                else { return nil }
                let messages = try Row.fetchAll(
                    db, sql: "SELECT role, at, text FROM message WHERE ticketId = ? ORDER BY seq LIMIT ?",
                    arguments: [row["id"] as Int64, messageLimit]
                )
                .map { TicketText.Message(role: $0["role"], at: $0["at"], text: $0["text"]) }
                return TicketText(
                    reference: reference, subject: row["subject"], status: row["status"], channel: row["channel"],
                    createdAt: row["created_at"], messages: messages, resolution: row["summary"])
            }
        }
    }
}
