import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding

/// `kb bench embed`: embedding speed and memory on real help-center chunks, banking77
/// questions and single queries; optionally the same texts through sentence-transformers.
struct BenchEmbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Time the embedding model on help-center chunks, short questions and single queries.",
        discussion: "With --peer, runs bench/peers/sentence_transformers_embed.py (Python, torch CPU) on exactly the same texts and prints both sides and the ratio.")

    @Option(name: .customLong("kb"), help: ArgumentHelp("Help-center folder whose first chunks are embedded.", valueName: "dir"))
    var directory: String = "../shared/data/kb-officedocs-support"

    @Option(help: ArgumentHelp("CSV file whose first column holds short questions (banking77 train.csv).", valueName: "file"))
    var questions: String = "../shared/data/banking77/train.csv"

    @Option(help: "How many chunks to embed.")
    var chunks: Int = 2000

    @Option(help: "How many questions to embed.")
    var questionCount: Int = 2000

    @Option(help: "Single-query runs timed for the latency percentiles.")
    var latencyRuns: Int = 500

    @Option(help: "How the cores are used: workers (whole batches to own workers, a lone batch split), split (every batch split across own workers) or blas (OpenBLAS threads).")
    var parallelism: String = "workers"

    @Option(help: "Cores to use.")
    var threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)

    @Flag(help: "Also run the sentence-transformers peer on the same texts and print the ratio.")
    var peer = false

    @Option(help: ArgumentHelp("Peer script run with --peer.", valueName: "file"))
    var peerScript: String = "bench/peers/sentence_transformers_embed.py"

    @Option(help: ArgumentHelp("Python interpreter for --peer.", valueName: "path"))
    var python: String = "python3"

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard chunks > 0, questionCount > 0, latencyRuns > 0 else { throw ValidationError("--chunks, --question-count and --latency-runs must be positive") }
        guard MiniLMEmbedder.Parallelism(rawValue: parallelism) != nil else { throw ValidationError("--parallelism must be workers, split or blas") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() async throws {
        let dir = try ModelLocator.directory(explicit: model.directory)
        let loadStart = ContinuousClock.now
        let embedder = try MiniLMEmbedder(modelDirectory: dir, workers: threads,
                                          parallelism: MiniLMEmbedder.Parallelism(rawValue: parallelism)!)
        let loadSeconds = (ContinuousClock.now - loadStart).seconds
        let chunkTexts = try EmbeddingBenchmark.helpCenterChunks(
            root: URL(fileURLWithPath: directory, isDirectory: true), tokenizer: embedder.tokenizer, limit: chunks)
        let questionTexts = try EmbeddingBenchmark.csvFirstColumn(URL(fileURLWithPath: questions), limit: questionCount)
        guard !chunkTexts.isEmpty, !questionTexts.isEmpty else { throw ValidationError("no texts found in \(directory) or \(questions)") }

        _ = EmbeddingBenchmark.throughput(embedder, Array(questionTexts.prefix(64)))   // warm-up
        let rssBefore = ResourceUsage.peakResidentMB()
        let chunkRun = EmbeddingBenchmark.throughput(embedder, chunkTexts)
        let questionRun = EmbeddingBenchmark.throughput(embedder, questionTexts)
        let latency = EmbeddingBenchmark.latency(embedder, queries: Array(questionTexts.prefix(100)), runs: latencyRuns)
        let rss = ResourceUsage.peakResidentMB()

        print("""
        kb bench embed — all-MiniLM-L6-v2 (\(dir.path))
          OpenBLAS kernel   \(embedder.kernelName)\(BLASRuntime.reexecNote)
          parallelism       \(embedder.parallelism.rawValue), \(threads) thread(s)
          model load        \(fmt(loadSeconds * 1000, 0)) ms
          chunks            \(chunkRun.texts) from \(directory): \(fmt(chunkRun.textsPerSecond, 1)) chunks/s, \(fmt(chunkRun.tokensPerSecond, 0)) real tokens/s (\(chunkRun.tokens) tokens, \(fmt(chunkRun.seconds)) s)
          questions         \(questionRun.texts) from \(questions): \(fmt(questionRun.textsPerSecond, 0)) questions/s (\(fmt(questionRun.tokensPerSecond, 0)) tokens/s)
          single query      p50 \(fmt(latency.p50)) ms, p99 \(fmt(latency.p99)) ms (\(latency.runs) runs)
          peak RSS          \(fmt(rss, 0)) MB (\(fmt(rssBefore, 0)) MB after load and warm-up)
        """)

        guard peer else { return }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kb-bench-embed-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let chunkFile = work.appendingPathComponent("chunks.jsonl"), questionFile = work.appendingPathComponent("questions.jsonl")
        let vectorFile = work.appendingPathComponent("chunk-vectors.f32"), reportFile = work.appendingPathComponent("peer.json")
        try EmbeddingBenchmark.writeTexts(chunkTexts, to: chunkFile)
        try EmbeddingBenchmark.writeTexts(questionTexts, to: questionFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, peerScript, "--model", dir.path, "--chunks", chunkFile.path, "--questions", questionFile.path,
                             "--threads", String(threads), "--latency-runs", String(latencyRuns),
                             "--vectors-out", vectorFile.path, "--report", reportFile.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("peer \(peerScript) exited with status \(process.terminationStatus)") }
        let report = try JSONDecoder().decode(PeerReport.self, from: Data(contentsOf: reportFile))
        let ours = try embedder.embed(chunkTexts)
        let agreement = EmbeddingBenchmark.agreement(ours, try EmbeddingBenchmark.readVectors(vectorFile, dimension: embedder.dimension))
        func row(_ name: String, _ kb: Double, _ peer: Double, _ digits: Int, higherIsBetter: Bool = true) -> String {
            let ratio = higherIsBetter ? kb / peer : peer / kb
            return "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0))\(fmt(kb, digits).leftPad(10))\(fmt(peer, digits).leftPad(12))\(("\(fmt(ratio))×").leftPad(9))"
        }
        print("""

        kb vs sentence-transformers \(report.version) (torch \(report.torch), CPU, \(report.threads) threads), same texts
          figure                        kb        peer    ratio
        \(row("chunks/s", chunkRun.textsPerSecond, report.chunksPerSecond, 1))
        \(row("real tokens/s (chunks)", chunkRun.tokensPerSecond, report.chunkTokensPerSecond, 0))
        \(row("questions/s", questionRun.textsPerSecond, report.questionsPerSecond, 0))
        \(row("query p50 ms", latency.p50, report.queryP50, 2, higherIsBetter: false))
        \(row("query p99 ms", latency.p99, report.queryP99, 2, higherIsBetter: false))
        \(row("peak RSS MB", rss, report.peakRSSMB, 0, higherIsBetter: false))
          (ratios: how many times better kb is)
          agreement on the \(ours.count) chunks: worst cosine \(agreement.worstCosine), worst max|diff| \(agreement.worstDifference)
          peer real tokens counted: \(report.chunkTokens) (kb: \(chunkRun.tokens))
        """)
    }
}

/// What the peer script writes with `--report`.
struct PeerReport: Decodable {
    var version: String
    var torch: String
    var threads: Int
    var chunkTokens: Int
    var chunksPerSecond: Double
    var chunkTokensPerSecond: Double
    var questionsPerSecond: Double
    var queryP50: Double
    var queryP99: Double
    var peakRSSMB: Double

    enum CodingKeys: String, CodingKey {
        case version, torch, threads
        case chunkTokens = "chunk_tokens", chunksPerSecond = "chunks_per_s", chunkTokensPerSecond = "chunk_tokens_per_s"
        case questionsPerSecond = "questions_per_s", queryP50 = "query_p50_ms", queryP99 = "query_p99_ms", peakRSSMB = "peak_rss_mb"
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
