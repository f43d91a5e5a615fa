import Foundation

/// The project's one CSV reader (ticket exports, their companion tables, question files,
/// labelled evaluation sets): streaming RFC 4180, read in 1 MB blocks. It handles quoted
/// fields with embedded newlines and doubled quotes, CRLF, LF and bare CR record ends, a
/// UTF-8 BOM and a missing final newline, and reports the physical line each record starts
/// on. A broken quoted field rejects only its own record, reported at the line the quote
/// opened; the lines after it are read again as records of their own.
public struct CSVReader {
    public struct Record {
        /// 1-based physical line where the record starts.
        public var line: Int
        public var fields: [String]
        /// Set when the record's quoting is broken: the record is to be rejected.
        public var problem: String?
    }

    private let handle: FileHandle
    private let path: String
    private let separator: UInt8
    private let rejectsStrayQuotes: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var line = 1
    private var first = true

    /// `separator`: `,` (CSV) or a tab (TSV). `rejectsStrayQuotes`: a quote inside an
    /// unquoted field (`5" screen`) rejects the record instead of being kept as text.
    public init(
        path: String, separator: UInt8 = UInt8(ascii: ","), rejectsStrayQuotes: Bool = false
    ) throws(TicketImportError) {
        handle = try TicketFiles.open(path)
        self.path = path
        self.separator = separator
        self.rejectsStrayQuotes = rejectsStrayQuotes
    }

    /// Refills the buffer from the file when it is used up; false at the end of the file.
    private mutating func fill() throws(TicketImportError) -> Bool {
        if position < buffer.count { return true }
        if eof { return false }
        let data = try TicketFiles.read(handle, upTo: 1 << 20, path: path)
        if data.isEmpty { eof = true; return false }
        buffer = [UInt8](data)
        position = 0
        return true
    }

    private mutating func byte() throws(TicketImportError) -> UInt8? {
        guard try fill() else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peek() throws(TicketImportError) -> UInt8? {
        try fill() ? buffer[position] : nil
    }

    /// A quoted field may run over this many bytes at most: past it the quote is taken as
    /// unterminated (a stray quote must not swallow a whole file into one field).
    public static let maxQuotedBytes = 1 << 20

    /// The next record; nil at the end of the file. Throws when the file cannot be read
    /// further (a read error is never taken for the end of the file).
    public mutating func next() throws(TicketImportError) -> Record? {
        if first {
            first = false
            if try peek() == 0xEF { _ = try byte(); _ = try byte(); _ = try byte() }
        }
        guard try peek() != nil else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, wasQuoted = false
        var stray: String?
        // Raw bytes since the opening quote of the current quoted field, and its line.
        var swallowed: [UInt8] = []
        var quoteLine = line
        while let b = try byte() {
            if quoted {
                swallowed.append(b)
                if b == UInt8(ascii: "\"") {
                    let after = try peek()
                    if after == UInt8(ascii: "\"") {
                        _ = try byte(); swallowed.append(UInt8(ascii: "\"")); field.append(b); continue
                    }
                    if after == nil || after == separator || after == 0x0A || after == 0x0D { quoted = false; continue }
                    return try broken(
                        start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                        what: "a quote inside a quoted field is not doubled")
                }
                if b == 0x0A { line += 1 } else if b == 0x0D, try peek() != 0x0A { line += 1 }
                field.append(b)
                if swallowed.count > Self.maxQuotedBytes {
                    return try broken(
                        start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                        what: "quoted field longer than \(Self.maxQuotedBytes >> 20) MB")
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true; wasQuoted = true
                swallowed.removeAll(keepingCapacity: true); quoteLine = line
            case separator:
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true);
                wasQuoted = false
            case 0x0D:
                if try peek() == 0x0A { _ = try byte() }
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields, problem: stray)
            case 0x0A:
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields, problem: stray)
            case UInt8(ascii: "\"") where rejectsStrayQuotes:
                stray =
                    stray
                    ?? "stray quote inside an unquoted field on line \(line) (quote the field and double the quote)"
                field.append(b)
            default:
                field.append(b)
            }
        }
        if quoted {
            return try broken(
                start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                what: "quote never closed before the end of the file")
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: start, fields: fields, problem: stray)
    }

    /// A record whose quoted field is broken: reported with the line the quote opened on,
    /// and every line after that one is read again as rows of its own.
    private mutating func broken(
        start: Int, quoteLine: Int, swallowed: [UInt8], fields: [String],
        what: String
    ) throws(TicketImportError) -> Record {
        let problem = "unterminated or malformed quoted field opened on line \(quoteLine) (\(what))"
        if let nl = swallowed.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            var rest = nl + 1
            if swallowed[nl] == 0x0D, rest < swallowed.count, swallowed[rest] == 0x0A { rest += 1 }
            let tail = buffer[position...]
            buffer = Array(swallowed[rest...]) + tail
            position = 0
            line = quoteLine + 1
        } else {
            // All on one line: skip to its end.
            while let b = try peek(), b != 0x0A, b != 0x0D { _ = try byte() }
            if try peek() == 0x0D { _ = try byte() }
            if try peek() == 0x0A { _ = try byte() }
            line = quoteLine + 1
        }
        return Record(line: start, fields: fields, problem: problem)
    }
}
