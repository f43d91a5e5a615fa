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

    public var rejected: Int { problems.filter(\.skipped).count }

    public init() {}
}

/// Reads exports and writes them, redacted, into a ``TicketStore``: bad rows are reported
/// and skipped, never stopping the import; re-importing is idempotent.
public struct TicketImporter: Sendable {
    public let store: TicketStore

    public init(store: TicketStore) { self.store = store }

    public func importFile(_ path: String, format: TicketFormat, mappingPath: String? = nil) throws -> ImportReport {
        var report = ImportReport()
        let clock = ContinuousClock(), start = clock.now
        let mapping: ColumnMapping? = try mappingPath.map(ColumnMapping.load) ?? (format == .csv ? .flat(source: ((path as NSString).lastPathComponent as NSString).deletingPathExtension) : nil)
        try store.write { db in
            let emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void = { _, result, notes in
                report.rows += 1
                report.problems += notes
                switch result {
                case .failure(let problem): report.problems.append(problem)
                case .success(let ticket):
                    switch try store.upsert(ticket, in: db) {
                    case .inserted: report.inserted += 1
                    case .updated: report.updated += 1
                    case .unchanged: report.unchanged += 1
                    }
                }
            }
            switch format {
            case .jsonl: try JSONLImporter.read(path: path, emit: emit)
            case .csv: try CSVImporter.read(path: path, mapping: mapping!, emit: emit)
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
