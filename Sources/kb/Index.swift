import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex
import KBSupport

/// `--db PATH`: the index database, shared by every command that reads or writes it.
/// `--db PATH` (also `--index PATH`): the index, in every command that reads or writes it.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: [.customLong("db"), .customLong("index")],
        help: ArgumentHelp("Index database file (also --index).", valueName: "path"))
    var db: String = Paths.index
}

/// `kb index`: parse → chunk → embed → write, only for what changed.
struct Index: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build or update the SQLite index (FTS5 + vectors) from the knowledge base.",
        discussion:
            "Unchanged articles are not parsed again; changed ones re-embed only chunks whose text changed; deleted ones are removed. All writes happen in one transaction."
    )

    @OptionGroup var kb: KnowledgeBaseOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "Print only the summary line.")
    var quiet = false

    func run() async throws {
        let locks = try takeStoreLocks([database.db], command: "index")
        defer { locks.forEach { $0.release() } }
        let embedder = try model.embedder()
        let writer = IndexWriter(path: database.db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
        let quiet = self.quiet
        let clock = ContinuousClock(), start = clock.now
        let report = try writer.update(root: kb.url) { if !quiet { printError("index: \($0)") } }
        if !quiet { report.diagnostics.forEach { printError($0.description) } }
        printError(
            String(
                format:
                    "index: %d articles (%d unchanged, %d added, %d updated, %d removed, %d skipped), %d chunks written, %d vectors computed, %d cached, %.2f s → %@",
                report.articleFiles, report.unchanged, report.added, report.updated, report.deleted,
                report.skipped.count,
                report.chunksWritten, report.vectorsComputed, report.vectorsCached, (clock.now - start).seconds,
                database.db))
    }
}
