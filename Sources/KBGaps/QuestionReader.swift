import Foundation
import KBTickets

/// One customer question, from a ticket or a questions file.
public struct Question: Sendable, Codable, Equatable {
    /// 1-based data row in the source (CSV record after the header, JSONL line, or ticket order).
    public var row: Int
    /// Ticket id or another identifier, when known.
    public var id: String?
    /// The question text (redacted before it reaches a report).
    public var text: String
    /// When it was asked, if known.
    public var date: Date?
    /// For tickets: escalated, reopened or rated low (1–2). With an article found or cited, the
    /// question counts as weakly answered.
    public var troubled: Bool = false
    /// For tickets: the article the agent cited, if any.
    public var citedArticle: String?
    /// For tickets: resolved or closed (a resolved ticket that cites no article was solved without one).
    public var resolved: Bool = false

    public init(
        row: Int, id: String? = nil, text: String, date: Date? = nil, troubled: Bool = false,
        citedArticle: String? = nil, resolved: Bool = false
    ) {
        self.row = row
        self.id = id
        self.text = text
        self.date = date
        self.troubled = troubled
        self.citedArticle = citedArticle
        self.resolved = resolved
    }
}

/// A problem with one input row: reported and skipped, never fatal.
public struct QuestionReadError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line where the bad record starts.
    public var line: Int
    /// 1-based data row (record after the header, or JSONL line).
    public var row: Int
    public var reason: String
    public var description: String { "\(file):\(line): row \(row): \(reason)" }
}

/// Errors that stop reading a file altogether (missing file, no text column).
public enum QuestionFileError: Error, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case missingColumn(file: String, column: String, header: [String])
    case unknownFormat(file: String)

    public var description: String {
        switch self {
        case .unreadable(let f, let r): return "\(f): cannot read: \(r)"
        case .missingColumn(let f, let c, let h): return "\(f):1: no column \"\(c)\" in header \(h)"
        case .unknownFormat(let f): return "\(f): expected a .csv, .jsonl or .ndjson file"
        }
    }
}

/// Reads questions from CSV (header row, RFC 4180 quoting) or JSONL (one object per line).
public struct QuestionReader: Sendable {
    /// Text column; when nil, the first of `text`, `question`, `query`, `subject`.
    public var textColumn: String?
    /// Timestamp column; when nil, the first of `timestamp`, `created_at`, `date`, `time`.
    public var timeColumn: String?

    public init(textColumn: String? = nil, timeColumn: String? = nil) {
        self.textColumn = textColumn
        self.timeColumn = timeColumn
    }

    static let textNames = ["text", "question", "query", "subject"]
    static let timeNames = ["timestamp", "created_at", "date", "time"]

    /// Every readable question and a row-numbered problem for every bad one. `rows` is the
    /// number of data rows seen (good and bad), so output can keep one row per input row.
    public func read(path: String) throws -> (questions: [Question], problems: [QuestionReadError], rows: Int) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") {
            return try readCSV(path: path, separator: lower.hasSuffix(".tsv") ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
            }
            return readJSONL(String(decoding: data, as: UTF8.self), file: path)
        }
        throw QuestionFileError.unknownFormat(file: path)
    }

    func readCSV(
        path file: String, separator: UInt8
    ) throws
        -> (questions: [Question], problems: [QuestionReadError], rows: Int)
    {
        let records = try QuestionCSV.records(path: file, separator: separator)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            return ([], [], 0)
        }
        let wanted = textColumn?.lowercased()
        guard
            let textIndex = wanted.map({ header.firstIndex(of: $0) })
                ?? Self.textNames.lazy.compactMap({ header.firstIndex(of: $0) }).first
        else {
            throw QuestionFileError.missingColumn(file: file, column: wanted ?? "text", header: header)
        }
        let timeIndex =
            timeColumn.map { header.firstIndex(of: $0.lowercased()) }
            ?? Self.timeNames.lazy.compactMap { header.firstIndex(of: $0) }.first
        var questions: [Question] = [], problems: [QuestionReadError] = []
        for (r, record) in records.dropFirst().enumerated() {
            let row = r + 1
            func bad(_ reason: String) {
                problems.append(QuestionReadError(file: file, line: record.line, row: row, reason: reason))
            }
            if let problem = record.problem { bad(problem); continue }
            guard record.fields.count == header.count else {
                bad("\(record.fields.count) fields, header has \(header.count)")
                continue
            }
            let q = record.fields[textIndex].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !q.isEmpty else { bad("empty text"); continue }
            var date: Date?
            if let ti = timeIndex, case let raw = record.fields[ti].trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                guard let d = TimestampParser.parse(raw) else { bad("unreadable timestamp \"\(raw)\""); continue }
                date = d
            }
            questions.append(Question(row: row, text: q, date: date))
        }
        return (questions, problems, records.count - 1)
    }

    func readJSONL(_ text: String, file: String) -> (questions: [Question], problems: [QuestionReadError], rows: Int) {
        var questions: [Question] = [], problems: [QuestionReadError] = []
        var row = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            row += 1
            func bad(_ reason: String) {
                problems.append(QuestionReadError(file: file, line: i + 1, row: row, reason: reason))
            }
            let object: [String: Any]
            switch JSONLImporter.object(ArraySlice(trimmed.utf8)) {
            case .success(let o): object = o
            case .failure(let problem): bad(problem.message); continue
            }
            let names = textColumn.map { [$0] } ?? Self.textNames
            guard
                let q = names.lazy.compactMap({ object[$0] as? String }).first?
                    .trimmingCharacters(in: .whitespacesAndNewlines), !q.isEmpty
            else {
                bad("no text in \(names.map { "\"\($0)\"" }.joined(separator: "/"))"); continue
            }
            var date: Date?
            let times = timeColumn.map { [$0] } ?? Self.timeNames
            if let raw = times.lazy.compactMap({ object[$0] as? String }).first, !raw.isEmpty {
                guard let d = TimestampParser.parse(raw) else { bad("unreadable timestamp \"\(raw)\""); continue }
                date = d
            }
            let id = (object["id"] as? String) ?? (object["id"] as? Int).map(String.init)
            questions.append(Question(row: row, id: id, text: q, date: date))
        }
        return (questions, problems, row)
    }
}

/// CSV files of the gap analysis (questions, labelled evaluation sets), read with the
/// ticket importer's ``CSVReader``: a broken quoted field rejects only its own record
/// (reported at the line the quote opened), and so does a stray quote in an unquoted field.
enum QuestionCSV {
    /// Every record with the physical line it starts on; blank lines left out.
    static func records(path: String, separator: UInt8 = UInt8(ascii: ",")) throws -> [CSVReader.Record] {
        var records: [CSVReader.Record] = []
        do {
            var reader = try CSVReader(path: path, separator: separator, rejectsStrayQuotes: true)
            while let record = try reader.next() {
                if record.fields.count == 1, record.fields[0].isEmpty, record.problem == nil { continue }
                records.append(record)
            }
        } catch {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        return records
    }
}
