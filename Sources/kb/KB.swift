import ArgumentParser
import KBPipeline

/// `kb`: the SupportKB command-line tool. Each subcommand only parses its options and
/// wires the stage libraries together; the work happens in the `KB*` modules.
struct KB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Build, index and search a support knowledge base; mine tickets for drafts and gaps.",
        discussion: """
            Every command works from any folder of a project: `kb` finds the project like git finds a \
            repository (--project DIR, else $KB_PROJECT, else the first kb.yml at or above the current \
            folder) and takes every default path from its kb.yml.

            Exit status:
            \(RunExitCode.table)
            """,
        version: "0.1.0",
        subcommands: [
            Parse.self, Chunk.self, Embed.self, Index.self, Search.self,
            Tickets.self, Redact.self, Drafts.self, Review.self, Gaps.self, Report.self, Run.self, Export.self,
            Serve.self, MCP.self, Bench.self, Eval.self,
        ])
}

/// `kb bench …`: speed and memory figures, printed; never asserted in tests.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory of a stage on real data.",
        subcommands: [
            BenchParse.self, BenchEmbed.self, BenchSearch.self, BenchReport.self, BenchTickets.self, BenchFuzz.self,
        ])
}

/// `kb eval …`: quality figures against labelled data.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the quality of a stage against labelled data.",
        subcommands: [EvalRetrieval.self, EvalDrafts.self, EvalGaps.self, EvalRedaction.self])
}

/// `kb tickets …`: the support-ticket store.
struct Tickets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import support tickets (redacted) into the ticket store.",
        subcommands: [TicketsImport.self, TicketsSimilar.self, TicketsLinks.self])
}
