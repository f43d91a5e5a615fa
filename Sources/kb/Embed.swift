import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown

/// `kb embed`: texts or knowledge-base chunks to all-MiniLM-L6-v2 vectors.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed texts (--lines) or the knowledge base's chunks (--kb) with all-MiniLM-L6-v2.",
        discussion: """
        --lines FILE: one text per line in (FILE or - for standard input), one JSON array of \
        384 numbers per line out, in order. --kb DIR: one JSON object per chunk (article, index, \
        heading_path, tokens, dropped_tokens, text_hash, vector). Texts over 256 tokens are cut \
        as sentence-transformers cuts them; --verbose reports how many.
        """)

    @Option(help: ArgumentHelp("File with one text per line, or - for standard input.", valueName: "file"))
    var lines: String?

    @Option(name: .customLong("kb"), help: ArgumentHelp("Knowledge-base folder whose chunks are embedded.", valueName: "dir"))
    var directory: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var chunking: ChunkingOptions

    @Flag(name: .shortAndLong, help: "Print the model, the OpenBLAS kernel, timing and truncation figures on standard error.")
    var verbose = false

    func validate() throws {
        guard (lines == nil) != (directory == nil) else { throw ValidationError("give exactly one of --lines FILE and --kb DIR") }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        if verbose {
            printError("embed: model \(embedder.modelDirectory.path), OpenBLAS kernel \(embedder.kernelName)\(BLASRuntime.reexecNote), \(embedder.workers) worker(s)")
        }
        var out = StandardOutput()
        if let lines {
            let input: FileHandle
            if lines == "-" {
                input = .standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: lines) else { throw EmbedCommandError.unreadable(path: lines) }
                input = handle
            }
            let stats = try EmbeddingIO.embedLines(from: input, embedder: embedder) { out.write(Data($0.utf8)) }
            out.flush()
            if verbose || stats.truncatedTexts > 0 {
                let seconds = (ContinuousClock.now - start).seconds
                printError("embed: \(stats.texts) texts, \(stats.tokens) tokens in \(fmt(seconds)) s; \(stats.truncatedTexts) texts over 256 tokens cut (\(stats.droppedTokens) word pieces dropped)")
            }
            return
        }
        let chunker = try chunking.chunker(modelDirectory: embedder.modelDirectory.path)
        let scan = try KnowledgeBaseReader().read(root: URL(fileURLWithPath: directory!, isDirectory: true))
        scan.diagnostics.forEach { printError($0.description) }
        let chunks = scan.articles.parallelMap { chunker.chunk($0) }.flatMap { $0 }
        let embedded = embedder.embedWithInfo(chunks.map(\.embedText))
        let encoder = jsonLineEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        for (chunk, e) in zip(chunks, embedded) {
            out.write(try encoder.encode(ChunkVector(
                article: chunk.article, index: chunk.index, headingPath: chunk.headingPath, tokens: chunk.tokens,
                droppedTokens: e.droppedTokens, textHash: MiniLMEmbedder.textHash(chunk.embedText), vector: e.vector)))
        }
        out.flush()
        let seconds = (ContinuousClock.now - start).seconds
        printError("embed: \(scan.articles.count) articles → \(chunks.count) chunks embedded in \(fmt(seconds)) s; \(scan.skipped.count) articles skipped; \(embedded.filter { $0.droppedTokens > 0 }.count) chunks cut to the window")
    }
}

/// One line of `kb embed --kb` output.
struct ChunkVector: Encodable {
    var article: String
    var index: Int
    var headingPath: [String]
    var tokens: Int
    var droppedTokens: Int
    var textHash: String
    var vector: [Float]
}

/// `kb embed` input problems, each naming the file.
enum EmbedCommandError: Error, CustomStringConvertible {
    case unreadable(path: String)

    var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot open for reading"
        }
    }
}
