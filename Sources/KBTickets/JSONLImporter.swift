import Foundation

/// Reads a file line by line in 1 MB blocks (LF or CRLF line ends; no whole-file load).
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    /// 1-based number of the line last returned.
    private(set) var line = 0

    init(path: String) throws(TicketImportError) {
        guard let h = FileHandle(forReadingAtPath: path) else { throw TicketImportError.unreadable(path: path) }
        handle = h
    }

    /// The next line without its line end, or nil at the end of the file.
    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                var end = nl
                if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                let slice = buffer[position..<end]
                position = nl + 1
                line += 1
                return slice
            }
            if eof {
                guard position < buffer.count else { return nil }
                let slice = buffer[position...]
                position = buffer.count
                line += 1
                return slice
            }
            let block = handle.readData(ofLength: 1 << 20)
            if block.isEmpty { eof = true; try? handle.close(); continue }
            buffer.removeSubrange(0..<position)
            position = 0
            buffer.append(contentsOf: block)
        }
    }
}

/// The project's own format (docs/TICKETS.md): one ticket object per line.
enum JSONLImporter {
    static func read(path: String, emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void) throws {
        var lines = try LineReader(path: path)
        let file = (path as NSString).lastPathComponent
        while let bytes = lines.next() {
            let row = lines.line
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            var notes: [RowProblem] = []
            guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
                try emit(row, .failure(RowProblem(file: file, row: row, message: "not a JSON object", skipped: true)), [])
                continue
            }
            try emit(row, parse(object, file: file, row: row, notes: &notes), notes)
        }
    }

    static func parse(_ o: [String: Any], file: String, row: Int, notes: inout [RowProblem]) -> Result<TicketInput, RowProblem> {
        func failure(_ m: String) -> Result<TicketInput, RowProblem> { .failure(RowProblem(file: file, row: row, message: m, skipped: true)) }
        func str(_ any: Any?) -> String? {
            if let s = any as? String { let t = s.trimmingCharacters(in: .whitespacesAndNewlines); return t.isEmpty ? nil : t }
            if let n = any as? NSNumber { return n.stringValue }
            return nil
        }
        func int(_ any: Any?) -> Int? {
            if let i = any as? Int { return i }
            if let d = any as? Double, d == d.rounded(), abs(d) < 1e9 { return Int(d) }
            if let n = any as? NSNumber { return n.intValue }
            return str(any).flatMap { Int($0) }
        }
        func bool(_ any: Any?) -> Bool? {
            if let b = any as? Bool { return b }
            if let n = any as? NSNumber { return n.boolValue }
            return str(any).map { ["true", "yes", "1"].contains($0.lowercased()) }
        }
        func note(_ m: String) { notes.append(RowProblem(file: file, row: row, message: m, skipped: false)) }
        var badCreated = false
        func date(_ key: String, in obj: [String: Any] = o, label: String? = nil) -> Date? {
            guard let raw = str(obj[key]) else { return nil }
            guard let d = TimestampParser.parse(raw) else {
                if label == nil && key == "created_at" { badCreated = true } else { note("bad date in '\(label ?? key)': \(raw.prefix(40)); field left empty") }
                return nil
            }
            return d
        }
        func vocabulary(_ key: String, _ map: (String) -> String?) -> String? {
            guard let raw = str(o[key]) else { return nil }
            guard let value = map(raw) else { note("unknown \(key) '\(raw.prefix(40))'; field left empty"); return nil }
            return value
        }
        guard let source = str(o["source"]) else { return failure("missing required field 'source'") }
        guard let id = str(o["id"]) else { return failure("missing required field 'id'") }
        guard let rawStatus = str(o["status"]) else { return failure("missing required field 'status'") }
        guard let status = TicketVocabulary.status(rawStatus) else { return failure("unknown status '\(rawStatus.prefix(40))'") }
        let customer = o["customer"] as? [String: Any] ?? [:]
        var t = TicketInput(source: source, externalID: id, customerKey: str(customer["email"]) ?? str(customer["id"]), status: status)
        if str(customer["email"]) != nil, let cid = str(customer["id"]) { t.customerAliases = [cid] }
        let contacts = (o["contacts"] as? [[String: Any]]) ?? []
        t.knownNames = ([str(customer["name"])] + contacts.map { str($0["name"]) }).compactMap { $0 }
        t.subject = str(o["subject"])
        t.priority = vocabulary("priority", TicketVocabulary.priority)
        t.channel = vocabulary("channel", TicketVocabulary.channel)
        t.category = str(o["category"])
        if let list = o["tags"] as? [Any] { t.tags = list.compactMap(str) } else if let text = str(o["tags"]) {
            t.tags = text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            note("'tags' is not a list; split on ';'")
        }
        t.createdAt = date("created_at")
        if badCreated { return failure("bad date in required field 'created_at': \(str(o["created_at"])!.prefix(40))") }
        guard t.createdAt != nil else { return failure("missing required field 'created_at'") }
        t.firstResponseAt = date("first_response_at")
        t.resolvedAt = date("resolved_at")
        t.closedAt = date("closed_at")
        if let c = o["csat"], !(c is NSNull) {
            if let n = int(c), (1...5).contains(n) { t.csat = n } else {
                note("csat '\(str(c) ?? "?")' outside 1–5; field left empty")
            }
        }
        t.reopenCount = max(0, int(o["reopen_count"]) ?? 0)
        t.escalated = bool(o["escalated"]) ?? false
        t.resolvedBy = vocabulary("resolved_by", TicketVocabulary.resolver)
        if let messages = o["messages"] as? [[String: Any]] {
            for (k, m) in messages.enumerated() {
                guard let text = str(m["text"]) else { continue }
                var role = "customer"
                if let raw = str(m["role"]) {
                    if let r = TicketVocabulary.role(raw) { role = r } else {
                        role = "internal_note"
                        note("message \(k + 1): unknown role '\(raw.prefix(40))'; kept as internal_note")
                    }
                }
                let channel = str(m["channel"]).flatMap { raw -> String? in
                    if let c = TicketVocabulary.channel(raw) { return c }
                    note("message \(k + 1): unknown channel '\(raw.prefix(40))'; field left empty")
                    return nil
                }
                t.messages.append(.init(role: role, channel: channel, at: date("at", in: m, label: "messages[\(k)].at"),
                                        author: str(m["author"]), text: text))
            }
        } else if let other = o["messages"], !(other is NSNull) {
            note("'messages' is not a list of objects; ignored")
        }
        if let r = o["resolution"] as? [String: Any] {
            t.resolution = .init(summary: str(r["summary"]), cause: str(r["cause"]), steps: (r["steps"] as? [Any])?.compactMap(str) ?? [], article: str(r["article"]))
        }
        guard t.subject != nil || t.messages.contains(where: { $0.role == "customer" }) else {
            return failure("no subject and no customer message")
        }
        TicketChecks.durations(&t) { note($0) }
        return .success(t)
    }
}

/// Checks shared by every format.
enum TicketChecks {
    /// A response or resolution before the ticket was created (or a resolution before the
    /// first response) is a negative duration: the later field is left empty and reported.
    static func durations(_ t: inout TicketInput, note: (String) -> Void) {
        if let c = t.createdAt, let f = t.firstResponseAt, f < c {
            note("first response before creation (negative duration); first_response_at left empty")
            t.firstResponseAt = nil
        }
        if let c = t.createdAt, let r = t.resolvedAt, r < c {
            note("resolved before creation (negative duration); resolved_at left empty")
            t.resolvedAt = nil
        }
        if let f = t.firstResponseAt, let r = t.resolvedAt, r < f {
            note("resolved before first response (negative duration); resolved_at left empty")
            t.resolvedAt = nil
        }
        if let c = t.createdAt, let x = t.closedAt, x < c {
            note("closed before creation (negative duration); closed_at left empty")
            t.closedAt = nil
        }
    }
}
