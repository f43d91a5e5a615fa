import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex

/// `kb bench search`: index a whole help center, then time queries in every mode.
struct BenchSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Measure index build and rebuild times, index size, query latency per mode and peak memory.",
        discussion: "Works on a scratch copy of --kb (the source is never written): full build, no-change rebuild, rebuild after one article is edited, then --queries timed queries per mode (query embedding included). Queries default to article descriptions from the index.")

    @Option(name: .customLong("kb"), help: ArgumentHelp("Help center to index.", valueName: "dir"))
    var directory: String = "../shared/data/kb-officedocs-support"

    @Option(help: ArgumentHelp("Scratch folder for the copy and the index.", valueName: "dir"))
    var scratch: String = "/tmp/kb-bench-search"

    @Option(help: "Number of timed queries per mode.")
    var queries: Int = 1000

    @Option(help: ArgumentHelp("Queries to time instead (one per line; a TSV's first column).", valueName: "file"))
    var queryFile: String?

    @Flag(help: "Keep the index already in --scratch (no full-build figure) instead of building from nothing.")
    var reuse = false

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard queries > 0 else { throw ValidationError("--queries must be at least 1") }
    }

    func run() async throws {
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model.directory))
        var bench = SearchBenchmark(source: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL,
                                    scratch: URL(fileURLWithPath: scratch, isDirectory: true), embedder: embedder)
        bench.queryCount = queries
        bench.fullBuild = !reuse
        var explicit: [String]?
        if let queryFile {
            guard let data = FileManager.default.contents(atPath: queryFile) else { throw ValidationError("\(queryFile): cannot read the file") }
            explicit = String(decoding: data, as: UTF8.self).split(separator: "\n")
                .compactMap { $0.split(separator: "\t").first.map(String.init) }.filter { !$0.isEmpty }
        }
        let f = try bench.run(queries: explicit) { printError("bench search: \($0)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(f), as: UTF8.self))
            return
        }
        print("kb bench search — \(f.articles) articles, \(f.chunks) chunks, kernel \(embedder.kernel)")
        print("  full build            \(f.fullBuild.map { fmt($0) + " s" } ?? "n/a (--reuse)")")
        print("  no-change rebuild     \(fmt(f.noChangeRebuild, 3)) s\(f.noChangeShare.map { String(format: " (%.2f %% of the full build)", $0 * 100) } ?? "")")
        print("  one-edit rebuild      \(fmt(f.oneEditRebuild, 3)) s (\(f.oneEditVectorsComputed) vectors computed)")
        print("  index size            \(fmt(Double(f.indexBytes) / 1_048_576, 1)) MiB")
        print("  searcher load         \(fmt(f.searcherLoad * 1000, 0)) ms")
        print("  mode       queries  p50 ms  p99 ms  mean ms | embed p50  rest p50  rest p99")
        func col(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        for l in f.latencies {
            print("  " + col(l.mode.rawValue, 11) + col(String(l.queries), 9) + col(fmt(l.p50Ms), 8) + col(fmt(l.p99Ms), 8)
                  + col(fmt(l.meanMs), 8) + "| " + col(fmt(l.embedP50Ms), 11) + col(fmt(l.restP50Ms), 10) + fmt(l.restP99Ms))
        }
        print("  peak RSS              \(fmt(Double(f.peakRSSBytes) / 1_048_576, 0)) MiB")
    }
}
