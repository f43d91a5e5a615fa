import Foundation

/// A streaming RFC 4180 reader: reads the file in 1 MB blocks, handles quoted fields with
/// embedded newlines and doubled quotes, CRLF, LF and bare CR record ends, a UTF-8 BOM and
/// a missing final newline, and reports the physical line each record starts on.
public struct CSVReader: Sequence, IteratorProtocol {
    public struct Record {
        /// 1-based physical line where the record starts.
        public var line: Int
        public var fields: [String]
        /// Set when the record's quoting is broken: the record is to be rejected.
        public var problem: String?
    }

    private let handle: FileHandle
    private let path: String
    /// Set when reading failed part-way (the records so far were returned).
    public private(set) var readError: TicketImportError?
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var line = 1
    private var first = true

    public init(path: String) throws(TicketImportError) {
        handle = try TicketFiles.open(path)
        self.path = path
    }

    /// Refills the buffer from the file when it is used up; false at the end of the file.
    private mutating func fill() -> Bool {
        if position < buffer.count { return true }
        if eof { return false }
        let data: Data
        do { data = try TicketFiles.read(handle, upTo: 1 << 20, path: path) } catch { readError = error; eof = true; return false }
        if data.isEmpty { eof = true; return false }
        buffer = [UInt8](data)
        position = 0
        return true
    }

    private mutating func byte() -> UInt8? {
        guard fill() else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peek() -> UInt8? {
        fill() ? buffer[position] : nil
    }

    /// A quoted field may run over this many bytes at most: past it the quote is taken as
    /// unterminated (a stray quote must not swallow a whole file into one field).
    public static let maxQuotedBytes = 1 << 20

    public mutating func next() -> Record? {
        if first {
            first = false
            if peek() == 0xEF { _ = byte(); _ = byte(); _ = byte() }
        }
        guard peek() != nil else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, wasQuoted = false
        // Raw bytes since the opening quote of the current quoted field, and its line.
        var swallowed: [UInt8] = []
        var quoteLine = line
        while let b = byte() {
            if quoted {
                swallowed.append(b)
                if b == UInt8(ascii: "\"") {
                    let after = peek()
                    if after == UInt8(ascii: "\"") { _ = byte(); swallowed.append(UInt8(ascii: "\"")); field.append(b); continue }
                    if after == nil || after == UInt8(ascii: ",") || after == 0x0A || after == 0x0D { quoted = false; continue }
                    return broken(start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                                  what: "a quote inside a quoted field is not doubled")
                }
                if b == 0x0A { line += 1 } else if b == 0x0D, peek() != 0x0A { line += 1 }
                field.append(b)
                if swallowed.count > Self.maxQuotedBytes {
                    return broken(start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                                  what: "quoted field longer than \(Self.maxQuotedBytes >> 20) MB")
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true; wasQuoted = true
                swallowed.removeAll(keepingCapacity: true); quoteLine = line
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true); wasQuoted = false
            case 0x0D:
                if peek() == 0x0A { _ = byte() }
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields)
            case 0x0A:
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: start, fields: fields)
            default:
                field.append(b)
            }
        }
        if quoted {
            return broken(start: start, quoteLine: quoteLine, swallowed: swallowed, fields: fields,
                          what: "quote never closed before the end of the file")
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: start, fields: fields)
    }

    /// A record whose quoted field is broken: reported with the line the quote opened on,
    /// and every line after that one is read again as rows of its own.
    private mutating func broken(start: Int, quoteLine: Int, swallowed: [UInt8], fields: [String], what: String) -> Record {
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
            while let b = peek(), b != 0x0A, b != 0x0D { _ = byte() }
            if peek() == 0x0D { _ = byte() }
            if peek() == 0x0A { _ = byte() }
            line = quoteLine + 1
        }
        return Record(line: start, fields: fields, problem: problem)
    }
}
