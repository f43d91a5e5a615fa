import Foundation

/// The one reader of the project's ticket format (docs/TICKETS.md): one ticket object per
/// line. `kb tickets import` and the gap analysis of a tickets file both read through it.
public enum JSONLImporter {
    /// Calls `emit` for every non-blank line with its 1-based physical line number: the ticket,
    /// or why the line is skipped; and the notes on fields left empty. Throws when the file
    /// cannot be read (or `emit` throws).
    public static func read(
        path: String, emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void
    ) throws {
        let file = (path as NSString).lastPathComponent
        try TicketFiles.reading(path) { handle in
            try forEachLine(handle, path: path) { lineNumber, bytes in
                // Blank lines (spaces, tabs, CR) are skipped; the line goes to the parser as bytes.
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                var notes: [RowProblem] = []
                let result = object(bytes).flatMap { parse($0, file: file, row: lineNumber, notes: &notes) }
                    .mapError { RowProblem(file: file, row: lineNumber, message: $0.message, skipped: true) }
                try emit(lineNumber, result, notes)
            }
        }
    }

    /// Why a line is not a ticket object (before its fields are looked at).
    public struct LineProblem: Error, Sendable { public var message: String }

    /// The line as a JSON object, or why it is not one (the parser's own reason kept).
    /// Also used for the other JSONL files the project reads (questions).
    public static func object(_ bytes: ArraySlice<UInt8>) -> Result<[String: Any], LineProblem> {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(LineProblem(message: "not a JSON object (invalid JSON\(reason.map { ": \($0)" } ?? ""))"))
        }
        guard let object = value as? [String: Any] else { return .failure(LineProblem(message: "not a JSON object")) }
        return .success(object)
    }

    /// Each line of the file (without its LF) and its 1-based number, read in 1 MB blocks:
    /// lines are found with memchr and sliced off in place; the unfinished rest is moved to
    /// the front once per block.
    static func forEachLine(_ handle: FileHandle, path: String, _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws
    {
        var lineNumber = 0
        var pending: [UInt8] = []
        pending.reserveCapacity(2 << 20)
        while true {
            let block = try TicketFiles.read(handle, upTo: 1 << 20, path: path)
            if block.isEmpty { break }
            pending.append(contentsOf: block)
            var start = 0
            while let nl = pending.withUnsafeBufferPointer({ buf -> Int? in
                guard start < buf.count, let base = buf.baseAddress,
                    let hit = memchr(base + start, 0x0A, buf.count - start)
                else { return nil }
                return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            }) {
                lineNumber += 1
                try body(lineNumber, pending[start..<nl])
                start = nl + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { lineNumber += 1; try body(lineNumber, pending[...]) }
    }

    static func parse(
        _ o: [String: Any], file: String, row: Int, notes: inout [RowProblem]
    ) -> Result<TicketInput, LineProblem> {
        func failure(_ m: String) -> Result<TicketInput, LineProblem> { .failure(LineProblem(message: m)) }
        func str(_ any: Any?) -> String? {
            if let s = any as? String { let t = s.trimmingSpaces; return t.isEmpty ? nil : t }
            if let n = any as? NSNumber { return n.stringValue }
            return nil
        }
        func note(_ m: String) { notes.append(RowProblem(file: file, row: row, message: m, skipped: false)) }
        /// A ticket timestamp, or with `message` one of a message's.
        func date(_ key: String, in message: [String: Any]? = nil) -> Date? {
            guard let raw = str((message ?? o)[key]) else { return nil }
            guard let d = TimestampParser.parse(raw) else {
                notes.append(
                    RowProblem(
                        file: file, row: row, message: "bad date in '\(key)': \(raw.prefix(40)); field left empty",
                        skipped: false, field: message == nil ? key : "messages.\(key)"))
                return nil
            }
            return d
        }
        // Every field's JSON type is checked: a wrong one is reported (row skipped for the
        // required fields, field left empty otherwise), never dropped silently.
        for (key, expected) in JSONFieldTypes.ticket {
            guard let value = o[key], let got = JSONFieldTypes.mismatch(value, expected) else { continue }
            let what = "field '\(key)' should be \(expected.name), got \(got)"
            if JSONFieldTypes.required.contains(key) { return failure(what) }
            note(what + "; left empty")
        }
        guard let source = str(o["source"]) else { return failure("missing required field 'source'") }
        guard let id = str(o["id"]) else { return failure("missing required field 'id'") }
        guard let rawStatus = str(o["status"]) else { return failure("missing required field 'status'") }
        let status = TicketVocabulary.status(rawStatus, note: note)
        let customer = o["customer"] as? [String: Any] ?? [:]
        var t = TicketInput(
            source: source, externalID: id, customerKey: str(customer["email"]) ?? str(customer["id"]), status: status)
        t.knownNames = ([str(customer["name"])] + ((o["contacts"] as? [[String: Any]]) ?? []).map { str($0["name"]) })
            .compactMap { $0 }
        t.subject = str(o["subject"])
        t.priority = TicketVocabulary.checked(
            str(o["priority"]), field: "priority", in: TicketVocabulary.priorities, note: note)
        t.channel = TicketVocabulary.checked(
            str(o["channel"]), field: "channel", in: TicketVocabulary.channels, note: note)
        t.category = str(o["category"])
        t.tags = (o["tags"] as? [Any])?.compactMap(str) ?? []
        t.createdAt = date("created_at")
        t.firstResponseAt = date("first_response_at")
        t.resolvedAt = date("resolved_at")
        t.closedAt = date("closed_at")
        if !(o["csat"] is String), let c = o["csat"] as? Int {
            if (1...5).contains(c) { t.csat = c } else { note("csat \(c) outside 1–5; left empty") }
        }
        t.reopenCount = o["reopen_count"] is String ? 0 : max(0, o["reopen_count"] as? Int ?? 0)
        t.escalated = o["escalated"] is String ? false : o["escalated"] as? Bool ?? false
        t.resolvedBy = str(o["resolved_by"])
        for m in (o["messages"] as? [[String: Any]]) ?? [] {
            guard let text = str(m["text"]) else { continue }
            let role = str(m["role"]).flatMap { TicketVocabulary.roles.contains($0) ? $0 : nil } ?? "customer"
            t.messages.append(
                .init(
                    role: role, channel: str(m["channel"]), at: date("at", in: m), author: str(m["author"]), text: text)
            )
        }
        if let r = o["resolution"] as? [String: Any] {
            t.resolution = .init(
                summary: str(r["summary"]), cause: str(r["cause"]),
                steps: (r["steps"] as? [Any])?.compactMap(str) ?? [], article: str(r["article"]))
        }
        guard t.subject != nil || t.messages.contains(where: { $0.role == "customer" }) else {
            return failure("no subject and no customer message")
        }
        TicketChecks.durations(&t) { note($0) }
        if t.createdAt == nil { note("no creation time") }
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
    }
}

/// The JSON type each ticket field must have (docs/TICKETS.md).
enum JSONFieldTypes {
    enum Kind {
        case text, number, boolean, list, object
        var name: String {
            switch self {
            case .text: "a string"
            case .number: "a number"
            case .boolean: "true or false"
            case .list: "a list"
            case .object: "an object"
            }
        }
    }

    static let required: Set<String> = ["source", "id", "status"]
    static let ticket: [(String, Kind)] = [
        ("source", .text), ("id", .text), ("status", .text), ("subject", .text), ("priority", .text),
        ("channel", .text), ("category", .text), ("created_at", .text), ("first_response_at", .text),
        ("resolved_at", .text), ("closed_at", .text), ("resolved_by", .text), ("csat", .number),
        ("reopen_count", .number), ("escalated", .boolean), ("tags", .list), ("messages", .list),
        ("contacts", .list), ("customer", .object), ("resolution", .object),
    ]

    /// What `value` is when it is not `expected` (nil when it fits; null always fits; a
    /// number fits a string field, as ids often are numbers).
    static func mismatch(_ value: Any, _ expected: Kind) -> String? {
        if value is NSNull { return nil }
        let got: String
        switch value {
        case let s as String: got = "the string \"\(s.prefix(30))\""
        case is [Any]: got = "a list"
        case is [String: Any]: got = "an object"
        case let n as NSNumber:
            let text = n.stringValue
            let isBool = value is Bool && (text == "true" || text == "false" || n.objCType.pointee == UInt8(ascii: "c"))
            got = isBool ? "\(n.boolValue)" : "the number \(text)"
            switch expected {
            case .text, .number: return isBool ? got : nil
            case .boolean: return isBool ? nil : got
            default: return got
            }
        default: got = "\(type(of: value))"
        }
        switch (expected, value) {
        case (.text, is String), (.list, is [Any]), (.object, is [String: Any]): return nil
        default: return got
        }
    }
}
