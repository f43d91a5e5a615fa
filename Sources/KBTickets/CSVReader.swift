import Foundation

/// A streaming RFC 4180 reader: reads the file in 1 MB blocks, handles quoted fields with
/// embedded newlines and doubled quotes, CRLF, LF and bare CR record ends, a UTF-8 BOM and
/// a missing final newline, and reports the physical line each record starts on.
public struct CSVReader: Sequence, IteratorProtocol {
    public struct Record {
        /// 1-based physical line where the record starts.
        public var line: Int
        public var fields: [String]
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var line = 1
    private var first = true

    public init(path: String) throws(TicketImportError) {
        guard let h = FileHandle(forReadingAtPath: path) else { throw TicketImportError.unreadable(path: path) }
        handle = h
    }

    /// Refills the buffer from the file when it is used up; false at the end of the file.
    private mutating func fill() -> Bool {
        if position < buffer.count { return true }
        if eof { return false }
        let data = handle.readData(ofLength: 1 << 20)
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
        while let b = byte() {
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if peek() == UInt8(ascii: "\"") { _ = byte(); field.append(b) } else { quoted = false }
                } else {
                    if b == 0x0A { line += 1 } else if b == 0x0D, peek() != 0x0A { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true; wasQuoted = true
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
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: start, fields: fields)
    }
}
