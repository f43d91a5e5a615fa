import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown
import KBSupport

/// `kb bench embed`: embedding throughput and latency, with the Python peer beside it.
struct BenchEmbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Measure embedding speed on help-center chunks, short questions and single queries.",
        discussion:
            "Runs bench/peers/embed_peer.py (sentence-transformers, torch, 2 threads) on the same texts when --peer is given and prints the ratios."
    )

    @Option(
        name: .customLong("kb"), help: ArgumentHelp("Help center whose first chunks are embedded.", valueName: "dir"))
    var directory: String = "../shared/data/kb-officedocs-support"

    @Option(help: ArgumentHelp("CSV of questions (text in the first column).", valueName: "file"))
    var questions: String = "../shared/data/banking77/train.csv"

    @Option(help: "How many chunks and questions to embed.")
    var count: Int = 2000

    @Option(help: "How many single queries to time for latency.")
    var queries: Int = 300

    @Flag(help: "Also run the sentence-transformers peer on the same texts and print the ratios.")
    var peer = false

    @OptionGroup var model: ModelOptions

    func run() async throws {
        let modelDir = try ModelLocator.directory(explicit: model.directory)
        let embedder = try MiniLMEmbedder(modelDirectory: modelDir, settings: .fromEnvironment())
        let chunker = Chunker(tokenizer: embedder.tokenizer)
        let scan = try KnowledgeBaseReader().read(root: URL(fileURLWithPath: directory, isDirectory: true))
        let chunks = Array(scan.articles.flatMap { chunker.chunk($0) }.prefix(count)).map(\.embedText)
        let allQuestions = try BenchCSV.firstColumn(questions)
        let qs = Array(allQuestions.prefix(count))
        let singles = Array(allQuestions.reversed().prefix(queries))
        let clock = ContinuousClock()

        _ = try embedder.embed(Array(chunks.prefix(32)))  // warm-up
        let realTokens = chunks.reduce(0) { $0 + min(embedder.tokenizer.countTokens($1), 256) }
        var t = clock.now
        _ = try embedder.embed(chunks)
        let chunkSeconds = (clock.now - t).seconds
        t = clock.now
        _ = try embedder.embed(qs)
        let questionSeconds = (clock.now - t).seconds
        var latencies: [Double] = []
        for q in singles {
            t = clock.now
            _ = try embedder.embed([q])
            latencies.append((clock.now - t).seconds * 1000)
        }
        latencies.sort()
        let ours: [String: Double] = [
            "chunks_per_s": Double(chunks.count) / chunkSeconds, "tokens_per_s": Double(realTokens) / chunkSeconds,
            "questions_per_s": Double(qs.count) / questionSeconds,
            "query_p50_ms": latencies[latencies.count / 2],
            "query_p99_ms": latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))],
            "peak_rss_mb": ResourceUsage.peakResidentMB(),
        ]
        print("kb bench embed — OpenBLAS kernel \(embedder.kernel), \(embedder.workers) workers")
        print(
            "  \(chunks.count) help-center chunks (\(realTokens) real tokens, no padding), \(qs.count) questions, \(singles.count) single queries"
        )
        var theirs: [String: Double]?
        if peer { theirs = try runPeer(modelDir: modelDir, chunks: chunks, questions: qs, queries: singles) }
        let rows: [(String, String, Bool)] = [
            ("chunks/s", "chunks_per_s", true), ("real tokens/s", "tokens_per_s", true),
            ("questions/s", "questions_per_s", true), ("query p50 ms", "query_p50_ms", false),
            ("query p99 ms", "query_p99_ms", false), ("peak RSS MB", "peak_rss_mb", false),
        ]
        print(
            "  " + "measure".padding(toLength: 16, withPad: " ", startingAt: 0)
                + "kb".padding(toLength: 12, withPad: " ", startingAt: 0)
                + (theirs == nil ? "" : "sentence-transformers  ratio"))
        for (label, key, higherIsBetter) in rows {
            var line =
                "  " + label.padding(toLength: 16, withPad: " ", startingAt: 0)
                + fmt(ours[key]!, 1).padding(toLength: 12, withPad: " ", startingAt: 0)
            if let p = theirs?[key] {
                let ratio = higherIsBetter ? ours[key]! / p : p / ours[key]!
                line += fmt(p, 1).padding(toLength: 23, withPad: " ", startingAt: 0) + fmt(ratio, 2) + "×"
            }
            print(line)
        }
        if theirs != nil { print("  (ratio > 1 means kb is better: faster, or less memory)") }
        // The ceiling: the dense products alone, full batches, both workers.
        let ceiling = embedder.denseCeiling()
        let questionTokens = qs.reduce(0) { $0 + min(embedder.tokenizer.countTokens($1), 256) }
        print(
            String(
                format:
                    "  OpenBLAS ceiling: the model's dense products alone run at %.0f GFLOP/s = %.0f tokens/s here;",
                ceiling.gflops, ceiling.tokensPerSecond))
        print(
            String(
                format: "  kb reaches %.0f %% of it on the chunks and %.0f %% on the questions (%.1f tokens each)",
                100 * ours["tokens_per_s"]! / ceiling.tokensPerSecond,
                100 * ours["questions_per_s"]! * Double(questionTokens) / Double(max(qs.count, 1))
                    / ceiling.tokensPerSecond,
                Double(questionTokens) / Double(max(qs.count, 1))))
    }

    private func runPeer(
        modelDir: URL, chunks: [String], questions: [String], queries: [String]
    ) throws -> [String: Double] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ texts: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try texts.map { $0.replacingOccurrences(of: "\n", with: "\\n") }.joined(separator: "\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "bench/peers/embed_peer.py", modelDir.path,
            try write("chunks.txt", chunks), try write("questions.txt", questions), try write("queries.txt", queries),
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Double]
        else {
            throw ValidationError("the peer (bench/peers/embed_peer.py) failed; is sentence-transformers installed?")
        }
        return object
    }
}

/// Just enough CSV for benchmark inputs: quoted fields, doubled quotes, CRLF.
enum BenchCSV {
    static func firstColumn(_ path: String, skipHeader: Bool = true) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read file")
        }
        var rows: [String] = []
        var field = "", inQuotes = false, column = 0, atStart = true
        var iterator = String(decoding: data, as: UTF8.self).unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { field.unicodeScalars.append(c) } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atStart: inQuotes = true; atStart = false
            case ",": column += 1; atStart = true
            case "\n", "\r":
                if column > 0 || !field.isEmpty { rows.append(field) }
                field = ""; column = 0; atStart = true
            default:
                if column == 0 { field.unicodeScalars.append(c) }
                atStart = false
            }
        }
        if !field.isEmpty { rows.append(field) }
        return skipHeader ? Array(rows.dropFirst()) : rows
    }
}
