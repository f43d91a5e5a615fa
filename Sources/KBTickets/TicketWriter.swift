import CSQLite
import GRDB

/// Writes prepared tickets inside one transaction. The statements are prepared once and
/// bound straight through SQLite's C API: GRDB's argument arrays (an existential and a
/// generic lookup per value) were most of an import's write side. Customers already seen in
/// this transaction are not looked up again.
///
/// A ticket whose fingerprint matches the stored one is left alone; one that differs is
/// replaced in place (its messages, resolution and cached vector dropped and rewritten).
struct TicketWriter {
    private let db: Database
    private let findTicket, insertCustomer, findCustomer, insertTicket, updateTicket: SQLStep
    private let deleteMessages, deleteResolution, deleteVector, insertMessage, insertResolution: SQLStep
    private var customers: [String: Int64] = [:]

    init(db: Database) throws {
        self.db = db
        func step(_ sql: String) throws -> SQLStep { SQLStep(statement: try db.cachedStatement(sql: sql), db: db) }
        findTicket = try step("SELECT id, content_hash FROM ticket WHERE source = ? AND external_id = ?")
        insertCustomer = try step("INSERT OR IGNORE INTO customer(pseudonym) VALUES (?)")
        findCustomer = try step("SELECT id FROM customer WHERE pseudonym = ?")
        insertTicket = try step(
            """
            INSERT INTO ticket(customerId, subject, status, priority, channel, category, tags, created_at,
              first_response_at, resolved_at, closed_at, csat, reopen_count, escalated, resolved_by, content_hash,
              source, external_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        updateTicket = try step(
            """
            UPDATE ticket SET customerId = ?, subject = ?, status = ?, priority = ?, channel = ?, category = ?, tags = ?,
              created_at = ?, first_response_at = ?, resolved_at = ?, closed_at = ?, csat = ?, reopen_count = ?,
              escalated = ?, resolved_by = ?, content_hash = ? WHERE id = ?
            """)
        deleteMessages = try step("DELETE FROM message WHERE ticketId = ?")
        deleteResolution = try step("DELETE FROM resolution WHERE ticketId = ?")
        deleteVector = try step("DELETE FROM ticket_vector WHERE ticketId = ?")
        insertMessage = try step(
            "INSERT INTO message(ticketId, seq, role, channel, at, text) VALUES (?, ?, ?, ?, ?, ?)")
        insertResolution = try step(
            "INSERT INTO resolution(ticketId, summary, cause, steps, article) VALUES (?, ?, ?, ?, ?)")
    }

    mutating func write(_ p: PreparedTicket) throws -> TicketStore.Upsert {
        findTicket.start()
        try findTicket.bind(1, p.source)
        try findTicket.bind(2, p.externalID)
        var existing: Int64?
        if try findTicket.row() {
            let same = findTicket.text(1) == p.contentHash
            existing = findTicket.int(0)
            findTicket.done()
            if same { return .unchanged }
        }
        var customerID: Int64?
        if let pseudonym = p.pseudonym { customerID = try customer(pseudonym) }

        let s = existing == nil ? insertTicket : updateTicket
        s.start()
        try s.bind(1, customerID)
        try s.bind(2, p.subject); try s.bind(3, p.status); try s.bind(4, p.priority); try s.bind(5, p.channel)
        try s.bind(6, p.category); try s.bind(7, p.tags); try s.bind(8, p.createdAt); try s.bind(9, p.firstResponseAt)
        try s.bind(10, p.resolvedAt); try s.bind(11, p.closedAt); try s.bind(12, p.csat.map(Int64.init))
        try s.bind(13, Int64(p.reopenCount)); try s.bind(14, p.escalated ? 1 : 0); try s.bind(15, p.resolvedBy)
        try s.bind(16, p.contentHash)
        let ticketID: Int64
        if let existing {
            try s.bind(17, existing)
            try s.run()
            ticketID = existing
            for d in [deleteMessages, deleteResolution, deleteVector] {
                d.start(); try d.bind(1, ticketID); try d.run()
            }
        } else {
            try s.bind(17, p.source); try s.bind(18, p.externalID)
            try s.run()
            ticketID = db.lastInsertedRowID
        }
        for (seq, m) in p.messages.enumerated() {
            insertMessage.start()
            try insertMessage.bind(1, ticketID); try insertMessage.bind(2, Int64(seq));
            try insertMessage.bind(3, m.role)
            try insertMessage.bind(4, m.channel); try insertMessage.bind(5, m.at); try insertMessage.bind(6, m.text)
            try insertMessage.run()
        }
        if let r = p.resolution {
            insertResolution.start()
            try insertResolution.bind(1, ticketID); try insertResolution.bind(2, r.summary);
            try insertResolution.bind(3, r.cause)
            try insertResolution.bind(4, r.steps); try insertResolution.bind(5, r.article)
            try insertResolution.run()
        }
        return existing == nil ? .inserted : .updated
    }

    private mutating func customer(_ pseudonym: String) throws -> Int64 {
        if let id = customers[pseudonym] { return id }
        insertCustomer.start(); try insertCustomer.bind(1, pseudonym); try insertCustomer.run()
        findCustomer.start(); try findCustomer.bind(1, pseudonym)
        guard try findCustomer.row() else { throw DatabaseError(message: "customer row missing after insert") }
        let id = findCustomer.int(0)
        findCustomer.done()
        if customers.count >= 100_000 { customers.removeAll(keepingCapacity: true) }
        customers[pseudonym] = id
        return id
    }
}

/// One prepared statement driven through the C API: reset, bind by position, step.
/// Lives only inside the transaction that prepared it.
struct SQLStep {
    let statement: Statement
    let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(statement: Statement, db: Database) {
        self.statement = statement
        self.db = db
    }

    /// SQLite copies bound text (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func start() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Ends a read early so the statement holds nothing open.
    func done() { sqlite3_reset(handle) }

    func bind(_ i: Int32, _ value: String?) throws {
        guard var value else { return try check(sqlite3_bind_null(handle, i)) }
        try check(
            value.withUTF8 { b in
                if let base = b.baseAddress {
                    sqlite3_bind_text(handle, i, base, Int32(b.count), Self.transient)
                } else {
                    sqlite3_bind_text(handle, i, "", 0, nil)  // empty, not NULL
                }
            })
    }

    func bind(_ i: Int32, _ value: Int64?) throws {
        try check(value.map { sqlite3_bind_int64(handle, i, $0) } ?? sqlite3_bind_null(handle, i))
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw failure(rc) }
    }

    /// Steps a statement that returns no rows.
    func run() throws {
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE else { throw failure(rc) }
    }

    /// Steps once: true when a row is ready to read.
    func row() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        guard rc == SQLITE_DONE else { throw failure(rc) }
        return false
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: p)
    }

    private func failure(_ rc: Int32) -> DatabaseError {
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage, sql: statement.sql)
    }
}
