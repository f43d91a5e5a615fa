import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex

/// `kb export`: the bundle a customer-facing copilot may ship.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write a customer-facing bundle (external articles, chunks, vectors): never an internal article, a draft, a ticket or personal data."
    )

    @Option(help: "Only 'external' exists: internal content is never exported.")
    var audience: ExportAudience = .external

    /// The one audience a bundle can have (a closed choice, so `--audience internal` is a usage error).
    enum ExportAudience: String, ExpressibleByArgument, CaseIterable {
        case external
    }

    @Option(help: ArgumentHelp("Output folder (replaced).", valueName: "dir"))
    var out: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "Print the bundle's manifest as JSON.")
    var json = false

    func run() async throws {
        let embedder = try model.embedder()
        let m = try ExternalExport.write(
            indexPath: database.db, modelHash: embedder.modelHash,
            dimension: embedder.dimension, to: URL(fileURLWithPath: out, isDirectory: true))
        if json { print(String(decoding: try JSONOutput.encode(m, kind: "export", pretty: true), as: UTF8.self)) }
        printError(
            "export: \(m.articles) external articles, \(m.chunks) chunks → \(out) (from the index as last written; run `kb index` first for the current files)"
        )
    }
}
