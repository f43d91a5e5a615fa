import ArgumentParser
import Foundation
import KBPipeline

/// `kb bench fuzz`: the seeded hostile corpus of issue 16 through the real reader and importer.
struct BenchFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract:
            "Run seeded malformed articles and ticket rows (and the issue 16 reproductions): crashes, hangs, peak memory, unreported bad inputs.",
        discussion:
            "Exit status 0 when every bad input was reported and none ran over --hang-seconds; 1 otherwise; 70 (and the input named) when one hung."
    )

    @Option(help: "Seed of the corpus.")
    var seed: UInt64 = 16

    @Option(help: "Malformed articles.")
    var articles = 10_000

    @Option(help: "Ticket rows (each in a JSONL file and a flat CSV).")
    var rows = 2_000

    @Option(help: "An input taking longer than this many seconds is a hang.")
    var hangSeconds = 10.0

    @Option(help: ArgumentHelp("Scratch folder (deleted and rewritten).", valueName: "dir"))
    var scratch = NSTemporaryDirectory() + "kb-bench-fuzz"

    func run() throws {
        try? FileManager.default.removeItem(atPath: scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let report = try FuzzRun.run(
            seed: seed, articles: max(0, articles), ticketRows: max(0, rows),
            folder: URL(fileURLWithPath: scratch), hangSeconds: hangSeconds
        ) { printError($0) }
        print(report)
        if !report.unreported.isEmpty || report.overHangLimit > 0 || !report.goodUnchanged { throw ExitCode(1) }
    }
}
