import Foundation
import KBMarkdown
import KBSupport
import KBTickets
import Synchronization

/// Runs a ``HostileCorpus`` through the real reader and importer (real cmark-gfm, real SQLite
/// files): every article is parsed on its own and timed, every ticket row imported; a bad
/// input not reported by file and line (or row) is listed. A watchdog ends the process with
/// status 70 naming the input when one takes longer than `hangSeconds` (so a hang is a
/// finding, never a stuck run).
public enum FuzzRun {
    public struct Report: Sendable, CustomStringConvertible {
        public var articles = 0
        public var articlesReported = 0
        public var ticketRows = 0
        public var csvRows = 0
        /// Bad inputs that came back with no diagnostic or problem naming them.
        public var unreported: [String] = []
        public var slowest: (seconds: Double, input: String) = (0, "")
        public var overHangLimit = 0
        public var peakRSSMB = 0.0
        public var seconds = 0.0
        /// The reference article parsed the same before and after the corpus.
        public var goodUnchanged = true

        public var description: String {
            var lines = [
                "fuzz: \(articles) articles (\(articlesReported) with diagnostics), \(ticketRows) JSONL rows, \(csvRows) CSV rows in \(String(format: "%.1f", seconds)) s",
                "  crashes 0 (the run finished); hangs over the limit \(overHangLimit); slowest input \(String(format: "%.3f", slowest.seconds)) s (\(slowest.input))",
                "  peak RSS of the whole run \(String(format: "%.0f", peakRSSMB)) MB; bad inputs not reported \(unreported.count); good article unchanged: \(goodUnchanged)",
            ]
            lines += unreported.prefix(20).map { "  unreported: \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    public static func run(
        seed: UInt64, articles: Int, ticketRows: Int, folder: URL,
        hangSeconds: Double = 10, log: (String) -> Void = { _ in }
    ) throws -> Report {
        let clock = ContinuousClock(), start = clock.now
        let fm = FileManager.default
        let root = folder.appendingPathComponent("kb")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, text) in HostileCorpus.includeFiles {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let watchdog = Watchdog(limit: hangSeconds)
        defer { watchdog.stop() }
        var report = Report()
        var corpus = HostileCorpus(seed: seed)
        let parser = ArticleParser()
        let reference = parser.parse(data: Data(HostileCorpus.good.utf8), path: "good.md", root: root)

        func check(_ c: HostileCorpus.ArticleCase) {
            let t0 = clock.now
            watchdog.begin("\(c.path) (\(c.kind))")
            let result = parser.parse(data: c.data, path: c.path, root: root)
            watchdog.end()
            let took = (clock.now - t0).seconds
            if took > report.slowest.seconds { report.slowest = (took, "\(c.path), \(c.kind)") }
            if took > hangSeconds { report.overHangLimit += 1 }
            report.articles += 1
            if !result.diagnostics.isEmpty { report.articlesReported += 1 }
            if c.mustReport && result.diagnostics.isEmpty { report.unreported.append("\(c.path) (\(c.kind))") }
        }
        for c in HostileCorpus.reproductions() { check(c) }
        for i in 0..<articles {
            check(corpus.article(i))
            if (i + 1) % 1_000 == 0 { log("fuzz: \(i + 1) articles") }
        }
        let again = parser.parse(data: Data(HostileCorpus.good.utf8), path: "good.md", root: root)
        report.goodUnchanged = again.article == reference.article && again.diagnostics == reference.diagnostics

        // Tickets: one JSONL file and one flat CSV, into a real store.
        let store = try TicketStore(
            path: folder.appendingPathComponent("tickets.sqlite").path, key: .given(Array("fuzz".utf8)))
        let importer = TicketImporter(store: store)
        var jsonl: [HostileCorpus.TicketRow] = []
        var csv: [HostileCorpus.TicketRow] = []
        for i in 0..<ticketRows { jsonl.append(corpus.ticketRow(i)); csv.append(corpus.csvRow(i)) }
        let jsonlPath = folder.appendingPathComponent("fuzz.jsonl").path
        try Data(jsonl.map(\.line).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: jsonlPath))
        watchdog.begin("fuzz.jsonl")
        let j = try importer.importFile(jsonlPath, format: .jsonl)
        watchdog.end()
        report.ticketRows = jsonl.count
        let jRows = Set(j.problems.map(\.row))
        for (k, row) in jsonl.enumerated() where row.mustReport && !jRows.contains(k + 1) {
            report.unreported.append("fuzz.jsonl:\(k + 1) (\(row.kind))")
        }
        let csvPath = folder.appendingPathComponent("fuzz.csv").path
        try Data((["id,status,subject"] + csv.map(\.line)).joined(separator: "\n").utf8).write(
            to: URL(fileURLWithPath: csvPath))
        watchdog.begin("fuzz.csv")
        let c = try importer.importFile(csvPath, format: .csv)
        watchdog.end()
        report.csvRows = csv.count
        let cRows = Set(c.problems.map(\.row))
        for (k, row) in csv.enumerated() where row.mustReport && !cRows.contains(k + 2) {
            report.unreported.append("fuzz.csv:\(k + 2) (\(row.kind))")
        }
        let goodCSV = csv.filter { !$0.mustReport }.count
        if c.inserted + c.updated + c.unchanged != goodCSV {
            report.unreported.append("fuzz.csv: \(goodCSV) good rows, \(c.inserted + c.updated + c.unchanged) imported")
        }
        report.peakRSSMB = peakRSSMB()
        report.seconds = (clock.now - start).seconds
        return report
    }

    static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }
}

/// Ends the process (status 70) naming the input when one runs longer than the limit.
final class Watchdog: Sendable {
    private struct State {
        var current: (input: String, since: Date)?
        var running = true
    }
    private let state = Mutex(State())
    private let limit: Double

    init(limit: Double) {
        self.limit = limit
        let thread = Thread { [weak self] in
            while let self, self.tick() { Thread.sleep(forTimeInterval: 0.5) }
        }
        thread.start()
    }

    private func tick() -> Bool {
        state.withLock { s in
            if let (input, since) = s.current, Date().timeIntervalSince(since) > limit {
                FileHandle.standardError.write(Data("fuzz: hang: \(input) ran over \(limit) s\n".utf8))
                exit(70)
            }
            return s.running
        }
    }

    func begin(_ input: String) { state.withLock { $0.current = (input, Date()) } }
    func end() { state.withLock { $0.current = nil } }
    func stop() { state.withLock { $0.running = false } }
}
