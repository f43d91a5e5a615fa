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
    public var rows = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Rows skipped and fields nulled, each `file:row: what`.
    public var problems: [RowProblem] = []
    public var seconds = 0.0
    /// Why the file was not imported on its own (a companion table of `tickets.csv`).
    public var note: String?

    public var rejected: Int { problems.filter(\.skipped).count }

    public init() {}
}

/// Reads exports and writes them, redacted, into a ``TicketStore``: bad rows are reported
/// and skipped, never stopping the import; re-importing is idempotent.
public struct TicketImporter: Sendable {
    public let store: TicketStore

    public init(store: TicketStore) { self.store = store }

    /// Imports one file in one transaction. Reading, parsing, redaction and fingerprinting
    /// run on a second thread, batches ahead of the SQL writes on this one.
    public func importFile(_ path: String, format: TicketFormat, mappingPath: String? = nil) throws -> ImportReport {
        var report = ImportReport()
        let clock = ContinuousClock(), start = clock.now
        let flat = format == .csv && mappingPath == nil
        let name = (path as NSString).lastPathComponent.lowercased()
        if flat, CompanionTables.fileNames.contains(name) {
            report.note = "\(name) is read with the tickets.csv in its folder, not on its own"
            return report
        }
        let mapping: ColumnMapping? =
            try mappingPath.map(ColumnMapping.load)
            ?? (format == .csv
                ? .flat(source: ((path as NSString).lastPathComponent as NSString).deletingPathExtension) : nil)
        let channel = BatchChannel<Item>(capacity: 8)
        let store = self.store
        let producer = Thread {
            var pseudonyms = PseudonymCache()
            var batch: [Item] = []
            batch.reserveCapacity(Self.batchSize)
            let emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void = { row, result, notes in
                batch.append(
                    Item(row: row, result: result.map { store.prepare($0, pseudonyms: &pseudonyms) }, notes: notes))
                if batch.count == Self.batchSize {
                    try channel.send(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            do {
                switch format {
                case .jsonl: try JSONLImporter.read(path: path, emit: emit)
                case .csv:
                    let companions = flat ? try CompanionTables.load(besides: path) : nil
                    guard let mapping else {
                        throw TicketImportError.badMapping(path: path, reason: "no column mapping")
                    }
                    try CSVImporter.read(path: path, mapping: mapping, companions: companions, emit: emit)
                case .twitterThreads: try ThreadsImporter.read(path: path, emit: emit)
                }
                if !batch.isEmpty { try channel.send(batch) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        do {
            try store.write { db in
                var writer = try TicketWriter(db: db)
                // A ticket id twice in one file is reported and the later row skipped (it
                // once counted silently as "1 updated").
                var firstRow: [String: Int] = [:]
                let file = (path as NSString).lastPathComponent
                while let batch = channel.receive() {
                    for item in batch {
                        report.rows += 1
                        report.problems += item.notes
                        switch item.result {
                        case .failure(let problem): report.problems.append(problem)
                        case .success(let ticket):
                            let key = ticket.source + "\u{1}" + ticket.externalID
                            if let first = firstRow[key] {
                                report.problems.append(
                                    RowProblem(
                                        file: file, row: item.row,
                                        message: "duplicate ticket id '\(ticket.externalID)' (first on row \(first))",
                                        skipped: true))
                                continue
                            }
                            firstRow[key] = item.row
                            switch try writer.write(ticket) {
                            case .inserted: report.inserted += 1
                            case .updated: report.updated += 1
                            case .unchanged: report.unchanged += 1
                            }
                        }
                    }
                }
                // A file that could not be read rolls the whole import back.
                if let error = channel.waitUntilFinished() { throw error }
            }
        } catch {
            channel.cancel()
            _ = channel.waitUntilFinished()
            throw error
        }
        report.seconds = (clock.now - start).seconds
        return report
    }

    static let batchSize = 256

    struct Item: Sendable {
        var row: Int
        var result: Result<PreparedTicket, RowProblem>
        var notes: [RowProblem]
    }
}
