import ArgumentParser
import Foundation
import KBTickets

/// `kb bench tickets`: import speed on the shared exports and a generated stream.
struct BenchTickets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "Measure ticket import: the Kaggle CSV and twcs sample (rows/s, rejected rows), and a generated stream of messages (messages/s incl. redaction, peak RSS).",
        discussion: "Targets: both shared files in under 2 s together; at least 30,000 messages/s redacted and written; peak RSS under 300 MB. Everything is written to a temporary folder, removed afterwards.")

    @Option(help: ArgumentHelp("The Kaggle customer-support CSV.", valueName: "file"))
    var kaggle = "../shared/data/tickets-customer-support-kaggle/customer_support_tickets.csv"

    @Option(help: ArgumentHelp("Column mapping for the Kaggle CSV.", valueName: "file"))
    var mapping = "pipelines/mappings/kaggle-customer-support.yml"

    @Option(help: ArgumentHelp("The twcs sample (Twitter threads).", valueName: "file"))
    var twcs = "../shared/data/tickets-twcs-sample/twcs.csv"

    @Option(help: "Messages in the generated stream (0 to skip the stream).")
    var messages = 1_000_000

    @Option(help: ArgumentHelp("Only write the generated JSONL file here (messages as given) and exit.", valueName: "file"))
    var generate: String?

    @Option(help: "Reasons listed per file.")
    var reasons = 8

    func validate() throws {
        if messages < 0 { throw ValidationError("--messages cannot be negative") }
    }

    func run() async throws {
        if let generate {
            let w = try SyntheticTickets().write(messages: messages, to: generate)
            printError("bench: wrote \(w.tickets) tickets, \(w.messages) messages, \(w.bytes / 1_000_000) MB to \(generate)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-bench-tickets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        setenv("KB_PSEUDONYM_SALT", "bench-salt", 1)

        print("Shared exports")
        PeakMemory.reset()
        let store = try TicketStore(path: dir.appendingPathComponent("shared.sqlite").path)
        let importer = TicketImporter(store: store)
        var together = 0.0
        for (path, format, map) in [(kaggle, TicketFormat.csv, Optional(mapping)), (twcs, .twitterThreads, nil)] {
            let r = try importer.importFile(path, format: format, mappingPath: map)
            together += r.seconds
            print(String(format: "  %@: %d rows in %.3f s = %.0f rows/s; %d tickets, %d messages; %d rows rejected, %d fields emptied",
                         (path as NSString).lastPathComponent, r.rows, r.seconds, Double(r.rows) / r.seconds, r.inserted + r.updated + r.unchanged,
                         r.messages, r.rejected, r.repaired))
            for p in r.problemSummary.prefix(reasons) { print("    \(p.count)× \(p.what)\(p.skipped ? " (row skipped)" : "")") }
            if let first = r.problems.first(where: \.skipped) { print("    e.g. \(first)") }
        }
        print(String(format: "  both files: %.3f s (target < 2 s); peak RSS %.0f MB", together, PeakMemory.peakMB()))

        guard messages > 0 else { return }
        print("Generated stream")
        let file = dir.appendingPathComponent("stream.jsonl").path
        let clock = ContinuousClock()
        var t = clock.now
        let w = try SyntheticTickets().write(messages: messages, to: file)
        print(String(format: "  generated %d tickets, %d messages, %.0f MB in %.1f s", w.tickets, w.messages, Double(w.bytes) / 1e6, (clock.now - t).seconds))
        PeakMemory.reset()
        let before = PeakMemory.peakMB()
        t = clock.now
        let streamStore = try TicketStore(path: dir.appendingPathComponent("stream.sqlite").path)
        let r = try TicketImporter(store: streamStore).importFile(file, format: .jsonl)
        let seconds = (clock.now - t).seconds
        let size = (try? FileManager.default.attributesOfItem(atPath: streamStore.path)[.size] as? Int) ?? 0
        print(String(format: "  imported %d tickets, %d messages in %.1f s = %.0f messages/s (target ≥ 30,000), %.0f tickets/s; %d rejected",
                     r.inserted, r.messages, seconds, Double(r.messages) / seconds, Double(r.inserted) / seconds, r.rejected))
        print(String(format: "  peak RSS %.0f MB during the import (%.0f MB before it; target < 300 MB); database %.0f MB", PeakMemory.peakMB(), before, Double(size) / 1e6))
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), resettable between phases.
enum PeakMemory {
    /// Starts a new peak from the current resident size (`/proc/self/clear_refs`).
    static func reset() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func peakMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return ResourceUsage.peakResidentMB() }
        return kb / 1024
    }
}
