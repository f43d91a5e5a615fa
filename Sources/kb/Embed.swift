import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown
import KBSupport

/// `kb embed`: vectors for the knowledge base's chunks, or for lines of text.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed texts with all-MiniLM-L6-v2 (384-dimensional, unit length).",
        discussion:
            "With --lines, reads one text per line (or standard input for '-') and prints one JSON array of 384 numbers per line, in order. With --kb, embeds the knowledge base's chunks and prints one JSON object per chunk."
    )

    @Option(help: ArgumentHelp("File of texts, one per line ('-' for standard input).", valueName: "file"))
    var lines: String?

    @Option(
        name: .customLong("kb"), help: ArgumentHelp("Knowledge-base folder whose chunks to embed.", valueName: "dir"))
    var directory: String?

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print the OpenBLAS kernel, timings and truncation counts on standard error.")
    var verbose = false

    func validate() throws {
        guard (lines == nil) != (directory == nil) else {
            throw ValidationError("give exactly one of --lines FILE or --kb DIR")
        }
    }

    func run() async throws {
        let embedder = try model.embedder()
        if verbose { printError("embed: OpenBLAS kernel \(embedder.kernel), model \(embedder.modelHash)") }
        let clock = ContinuousClock(), start = clock.now
        var out = StandardOutput()
        if let lines {
            let text: String
            if lines == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: lines) else {
                    throw ValidationError("\(lines): cannot read file")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            var texts = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
            }
            if texts.last == "" { texts.removeLast() }
            let results = embedder.embedWithInfo(texts)
            for r in results { out.write(Data(Self.json(r.vector).utf8)) }
            out.flush()
            let cut = results.filter { $0.droppedTokens > 0 }.count
            if verbose || cut > 0 {
                printError("embed: \(texts.count) texts\(cut > 0 ? ", \(cut) cut to the 256-token window" : "")")
            }
        } else if let directory {
            let chunker = Chunker(tokenizer: embedder.tokenizer)
            let scan = try KnowledgeBaseReader().read(root: URL(fileURLWithPath: directory, isDirectory: true))
            scan.diagnostics.forEach { printError($0.description) }
            let chunks = scan.articles.parallelMap { chunker.chunk($0) }.flatMap { $0 }
            let vectors = try embedder.embed(chunks.map(\.embedText))
            for (c, v) in zip(chunks, vectors) {
                out.write(
                    Data(
                        "{\"article\":\(Self.quote(c.article)),\"index\":\(c.index),\"tokens\":\(c.tokens),\"vector\":\(Self.json(v))}"
                            .utf8))
            }
            out.flush()
            printError("embed: \(chunks.count) chunks from \(scan.articles.count) articles")
        }
        if verbose { printError(String(format: "embed: %.2f s", (clock.now - start).seconds)) }
    }

    /// A vector as a JSON array with enough digits to round-trip a Float.
    static func json(_ v: [Float]) -> String {
        "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
    }

    static func quote(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
