import Foundation
import GRDB

/// The flat CSV form's other tables, read from the folder of `tickets.csv`:
/// `customers.csv` (`customer_id`, `name`, `email`), `messages.csv` (`ticket_id`, `role`,
/// `channel`, `at`, `author`, `text`) and `resolutions.csv` (`ticket_id`, `summary`, `cause`,
/// `steps` `|`-separated, `article`). They are staged in a temporary SQLite file and taken
/// ticket by ticket, so tables of any size join in bounded memory. Rows that do not parse,
/// and rows whose ticket never appears, are reported as `file:row: what`.
final class CompanionTables {
    static let fileNames = ["customers.csv", "messages.csv", "resolutions.csv"]

    private let queue: DatabaseQueue
    /// Rows rejected while staging.
    private(set) var problems: [RowProblem] = []

    /// Reads whichever companion tables exist beside `ticketsPath`; nil when there are none.
    static func load(besides ticketsPath: String) throws -> CompanionTables? {
        let folder = (ticketsPath as NSString).deletingLastPathComponent
        let present = fileNames.map { ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0) }
        guard !present.isEmpty else { return nil }
        let tables = try CompanionTables()
        for path in present { try tables.stage(path) }
        return tables
    }

    private init() throws {
        // SQLite's anonymous temporary database (an empty file name): pages stay in memory
        // up to the cache size and spill to a file SQLite unlinks the moment it opens it. So
        // the staged names, e-mails and messages never sit in a named file: nothing is left
        // behind however the import ends, kill -9 included (a named, 0644 file in $TMPDIR
        // once was). The memory is freed with the process.
        queue = try DatabaseQueue(path: "")
        // Scratch: no journal, no fsync, and a 64 MB page cache (tickets take their rows in
        // file order, messages arrive in any order).
        try queue.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
        }
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE customer(id TEXT PRIMARY KEY, name TEXT, email TEXT);
                    CREATE TABLE message(ticket TEXT NOT NULL, row INTEGER NOT NULL, role TEXT, channel TEXT, at TEXT, author TEXT, text TEXT NOT NULL);
                    CREATE INDEX message_ticket ON message(ticket, row);
                    CREATE TABLE resolution(ticket TEXT PRIMARY KEY, row INTEGER NOT NULL, summary TEXT, cause TEXT, steps TEXT, article TEXT);
                    """)
        }
    }

    private func stage(_ path: String) throws {
        let name = (path as NSString).lastPathComponent
        var reader = try CSVReader(path: path)
        guard let header = try reader.next() else { return }
        var column: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() { column[h.trimmingSpaces.lowercased()] = i }
        let key = name == "customers.csv" ? "customer_id" : "ticket_id"
        let required = name == "messages.csv" ? [key, "text"] : [key]
        let missing = required.filter { column[$0] == nil }
        if !missing.isEmpty { throw TicketImportError.missingColumns(path: path, columns: missing) }
        try queue.write { db in
            while let record = try reader.next() {
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                func reject(_ m: String) {
                    problems.append(RowProblem(file: name, row: record.line, message: m, skipped: true))
                }
                if let problem = record.problem { reject(problem); continue }
                guard record.fields.count == header.fields.count else {
                    reject("has \(record.fields.count) fields, header has \(header.fields.count)")
                    continue
                }
                func value(_ c: String) -> String? {
                    guard let i = column[c] else { return nil }
                    let v = record.fields[i].trimmingSpaces
                    return v.isEmpty ? nil : v
                }
                guard let id = value(key) else { reject("missing \(key)"); continue }
                switch name {
                case "customers.csv":
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO customer VALUES (?, ?, ?)").execute(arguments: [
                        id, value("name"), value("email"),
                    ])
                case "messages.csv":
                    guard let text = value("text") else { reject("missing text"); continue }
                    let role = value("role")?.lowercased() ?? "customer"
                    guard TicketVocabulary.roles.contains(role) else { reject("unknown role '\(role)'"); continue }
                    try db.cachedStatement(sql: "INSERT INTO message VALUES (?, ?, ?, ?, ?, ?, ?)").execute(
                        arguments: [
                            id, record.line, role, value("channel")?.lowercased(), value("at") ?? value("created_at"),
                            value("author"), text,
                        ])
                default:
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO resolution VALUES (?, ?, ?, ?, ?, ?)").execute(
                        arguments: [
                            id, record.line, value("summary"), value("cause"), value("steps"), value("article"),
                        ])
                }
            }
        }
    }

    /// Runs `body` with the staging tables open in one transaction: lookups and removals use
    /// prepared statements (a transaction per ticket took a second per thousand tickets).
    func session<T>(_ body: (Session) throws -> T) throws -> T {
        try queue.write { db in try body(Session(db: db)) }
    }

    /// The staging tables inside ``session(_:)``.
    struct Session {
        let db: Database

        /// A customer's pseudonym key (e-mail, else id) and name, when `customers.csv` has them.
        func customer(_ id: String) throws -> (key: String, name: String?)? {
            try Row.fetchOne(db.cachedStatement(sql: "SELECT name, email FROM customer WHERE id = ?"), arguments: [id])
                .map { ((($0["email"] as String?) ?? id), $0["name"]) }
        }

        /// The messages and resolution staged for one ticket, removed from the staging
        /// tables; bad timestamps are reported through `note`.
        func take(
            ticket: String, note: (RowProblem) -> Void
        ) throws -> (messages: [TicketInput.Message], resolution: TicketInput.Resolution?) {
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM message WHERE ticket = ? ORDER BY row"), arguments: [ticket])
            let messages = rows.map { r in
                var at: Date?
                if let raw = r["at"] as String? {
                    at = TimestampParser.parse(raw)
                    if at == nil {
                        note(
                            RowProblem(
                                file: "messages.csv", row: r["row"],
                                message: "bad date in 'at': \(raw.prefix(40)); field left empty", skipped: false))
                    }
                }
                return TicketInput.Message(
                    role: r["role"], channel: r["channel"], at: at, author: r["author"], text: r["text"])
            }
            let resolution = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM resolution WHERE ticket = ?"), arguments: [ticket]
            ).map { r in
                TicketInput.Resolution(
                    summary: r["summary"], cause: r["cause"],
                    steps: (r["steps"] as String?)?.split(separator: "|").map(\.trimmingSpaces).filter { !$0.isEmpty }
                        ?? [],
                    article: r["article"])
            }
            if !rows.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM message WHERE ticket = ?").execute(arguments: [ticket])
            }
            if resolution != nil {
                try db.cachedStatement(sql: "DELETE FROM resolution WHERE ticket = ?").execute(arguments: [ticket])
            }
            return (messages, resolution)
        }

        /// Messages and resolutions whose ticket was not in `tickets.csv` (or was rejected there).
        func leftovers() throws -> [RowProblem] {
            try Row.fetchAll(
                db,
                sql: """
                    SELECT 'messages.csv' AS file, row, ticket FROM message
                    UNION ALL SELECT 'resolutions.csv', row, ticket FROM resolution ORDER BY 1, 2
                    """
            ).map {
                RowProblem(
                    file: $0["file"], row: $0["row"], message: "no imported ticket '\($0["ticket"] as String)'",
                    skipped: true)
            }
        }
    }
}
