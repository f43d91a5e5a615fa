import Foundation

/// Export formats `kb tickets import` reads.
public enum TicketFormat: String, Sendable, CaseIterable {
    case jsonl, csv
    case twitterThreads = "twitter-threads"

    /// Guessed from the file name when not given.
    public static func guess(path: String) -> TicketFormat {
        path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson") ? .jsonl : .csv
    }
}

/// What an import did.
public struct ImportReport: Sendable, Codable {
    /// Input rows (records) read, good or bad.
    public var rows = 0
    /// Messages of the tickets written or found unchanged.
    public var messages = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Rows skipped and fields nulled, each `file:row: what` (already redacted).
    public var problems: [RowProblem] = []
    public var seconds = 0.0

    /// Rows skipped.
    public var rejected: Int { problems.filter(\.skipped).count }
    /// Fields left empty (or rows kept with a warning).
    public var repaired: Int { problems.count - rejected }

    public init() {}

    /// Adds another file's report.
    public mutating func add(_ other: ImportReport) {
        rows += other.rows; messages += other.messages; inserted += other.inserted; updated += other.updated
        unchanged += other.unchanged; problems += other.problems; seconds += other.seconds
    }

    /// Problems counted by kind (the message without quoted values), most frequent first.
    public var problemSummary: [(what: String, count: Int, skipped: Bool)] {
        var counts: [String: (Int, Bool)] = [:]
        for p in problems {
            let kind = p.message.split(separator: "'").enumerated().map { $0.offset % 2 == 1 ? "…" : String($0.element) }.joined(separator: "'")
            let key = kind.replacingOccurrences(of: #": [^;(]*;"#, with: ":…;", options: .regularExpression)
                .replacingOccurrences(of: #"\d+"#, with: "N", options: .regularExpression)
            counts[key, default: (0, p.skipped)].0 += 1
        }
        return counts.map { ($0.key, $0.value.0, $0.value.1) }.sorted { ($0.count, $1.what) > ($1.count, $0.what) }
    }
}

/// Reads exports and writes them, redacted, into a ``TicketStore``: bad rows are reported
/// and skipped, never stopping the import; re-importing is idempotent. Writes are
/// committed every ``batchSize`` tickets and files are streamed, so memory stays flat
/// whatever the file size (Twitter threads and the flat CSV's `messages.csv` excepted:
/// they are joined in memory).
public struct TicketImporter: Sendable {
    public let store: TicketStore
    /// Tickets per transaction.
    public var batchSize = 2000

    public init(store: TicketStore) { self.store = store }

    /// Imports one file. Throws only for problems with the whole file (unreadable, bad
    /// mapping, missing columns); row problems are in the report.
    public func importFile(_ path: String, format: TicketFormat, mappingPath: String? = nil) throws -> ImportReport {
        var report = ImportReport()
        let clock = ContinuousClock(), start = clock.now
        let file = (path as NSString).lastPathComponent
        let mapping: ColumnMapping?
        if let mappingPath { mapping = try ColumnMapping.load(path: mappingPath) } else if format == .csv {
            mapping = .flat(source: (file as NSString).deletingPathExtension)
        } else { mapping = nil }
        // Problem texts quote input values: scrub them too before they reach any log.
        let scrub = Redactor()
        var seen: [String: Int] = [:]
        try store.writeInBatches(of: batchSize) { batch in
            func emit(_ row: Int, _ result: Result<TicketInput, RowProblem>, _ notes: [RowProblem]) throws {
                report.rows += 1
                for var note in notes { note.message = scrub.redact(note.message); report.problems.append(note) }
                switch result {
                case .failure(var problem):
                    problem.message = scrub.redact(problem.message)
                    report.problems.append(problem)
                case .success(let ticket):
                    let key = ticket.source + "\u{1F}" + ticket.externalID
                    if let earlier = seen[key] {
                        report.problems.append(RowProblem(file: file, row: row, message: scrub.redact(
                            "duplicate ticket id '\(ticket.externalID)' (also on row \(earlier)); the later row wins"), skipped: false))
                    }
                    seen[key] = row
                    report.messages += ticket.messages.count
                    switch try batch.upsert(ticket) {
                    case .inserted: report.inserted += 1
                    case .updated: report.updated += 1
                    case .unchanged: report.unchanged += 1
                    }
                }
            }
            switch format {
            case .jsonl: try JSONLImporter.read(path: path, emit: emit)
            case .csv:
                for var extra in try CSVImporter.read(path: path, mapping: mapping!, emit: emit) {
                    extra.message = scrub.redact(extra.message)
                    report.problems.append(extra)
                }
            case .twitterThreads: try ThreadsImporter.read(path: path, emit: emit)
            }
        }
        report.seconds = (clock.now - start).seconds
        return report
    }
}

extension Duration {
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
