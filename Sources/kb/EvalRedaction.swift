import ArgumentParser
import KBTickets

/// `kb eval redaction`: recall of the redactor on the planted set (``RedactionEval``).
struct EvalRedaction: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redaction",
        abstract:
            "Measure redaction recall on a seeded planted set (every kind issue 16 lists) and check ordinary text is kept."
    )

    @Option(help: "Seed of the planted set.")
    var seed: UInt64 = 16

    @Option(help: "Sentences per kind.")
    var draws: Int = 100

    func run() throws {
        let result = RedactionEval.run(seed: seed, draws: max(1, min(draws, 100_000)))
        print(result)
    }
}
