import Foundation
import KBChunking
import KBMarkdown

/// The measurements behind `kb bench embed`: which texts, and how they are timed. The
/// peer script (`bench/peers/sentence_transformers_embed.py`) reads the same texts from
/// the files ``writeTexts(_:to:)`` writes, so both sides embed exactly the same input.
public enum EmbeddingBenchmark {
    /// Throughput of one embedding run over many texts.
    public struct Throughput: Sendable, Codable {
        public var texts: Int
        /// Ids the model actually read (`[CLS]` and `[SEP]` included, no padding).
        public var tokens: Int
        public var seconds: Double
        public var textsPerSecond: Double { Double(texts) / seconds }
        public var tokensPerSecond: Double { Double(tokens) / seconds }
    }

    /// Latency of embedding one text at a time.
    public struct Latency: Sendable, Codable {
        public var runs: Int
        public var p50: Double
        public var p99: Double
    }

    /// The first `limit` chunks of a help center, in the reader's (sorted path) order:
    /// what `kb embed --kb` would embed.
    public static func helpCenterChunks(root: URL, tokenizer: WordPieceTokenizer, limit: Int) throws -> [String] {
        let scan = try KnowledgeBaseReader().read(root: root)
        let chunker = Chunker(tokenizer: tokenizer)
        var texts: [String] = []
        for article in scan.articles {
            for chunk in chunker.chunk(article) {
                texts.append(chunk.embedText)
                if texts.count == limit { return texts }
            }
        }
        return texts
    }

    /// The first `limit` texts of a CSV file whose first column is the text (banking77's
    /// `text,category`), with a header row and RFC 4180 quoting.
    public static func csvFirstColumn(_ url: URL, limit: Int) throws -> [String] {
        let content = try String(contentsOf: url, encoding: .utf8)
        var texts: [String] = []
        for line in content.split(whereSeparator: \.isNewline).dropFirst() {
            guard texts.count < limit else { break }
            texts.append(firstField(line))
        }
        return texts
    }

    static func firstField(_ line: Substring) -> String {
        guard line.first == "\"" else { return String(line.prefix { $0 != "," }) }
        var out = ""
        var i = line.index(after: line.startIndex)
        while i < line.endIndex {
            let c = line[i]
            if c == "\"" {
                let next = line.index(after: i)
                if next < line.endIndex, line[next] == "\"" { out.append("\""); i = line.index(after: next); continue }
                break
            }
            out.append(c)
            i = line.index(after: i)
        }
        return out
    }

    /// Embeds `texts` in one call (tokenising included) and times it.
    public static func throughput(_ embedder: MiniLMEmbedder, _ texts: [String]) -> Throughput {
        let clock = ContinuousClock()
        let start = clock.now
        let result = embedder.embedWithInfo(texts)
        let seconds = (clock.now - start).seconds
        let tokens = texts.reduce(0) { $0 + min(embedder.maxLength, embedder.tokenizer.countTokens($1)) }
        precondition(result.count == texts.count)
        return Throughput(texts: texts.count, tokens: tokens, seconds: seconds)
    }

    /// Embeds each query alone, `runs` times in all (cycling through `queries`), after
    /// `warmup` untimed calls; returns the p50 and p99 wall time in milliseconds.
    public static func latency(_ embedder: MiniLMEmbedder, queries: [String], runs: Int, warmup: Int = 20) -> Latency {
        precondition(!queries.isEmpty)
        for i in 0..<warmup { _ = try? embedder.embed([queries[i % queries.count]]) }
        let clock = ContinuousClock()
        var times: [Double] = []
        times.reserveCapacity(runs)
        for i in 0..<runs {
            let start = clock.now
            _ = try? embedder.embed([queries[i % queries.count]])
            times.append((clock.now - start).seconds * 1000)
        }
        times.sort()
        func pct(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
        return Latency(runs: runs, p50: pct(0.5), p99: pct(0.99))
    }

    /// Writes texts as JSON lines (one JSON string per line, so newlines inside survive).
    public static func writeTexts(_ texts: [String], to url: URL) throws {
        var data = Data()
        for t in texts {
            data.append(try JSONEncoder().encode(t))
            data.append(0x0A)
        }
        try data.write(to: url)
    }

    /// Reads little-endian float32 vectors of `dimension` written by the peer.
    public static func readVectors(_ url: URL, dimension: Int) throws -> [[Float]] {
        let data = try Data(contentsOf: url)
        let count = data.count / 4
        var floats = [Float](repeating: 0, count: count)
        _ = floats.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return stride(from: 0, to: count - dimension + 1, by: dimension).map { Array(floats[$0..<($0 + dimension)]) }
    }

    /// The smallest cosine and largest absolute difference between paired unit vectors.
    public static func agreement(_ a: [[Float]], _ b: [[Float]]) -> (worstCosine: Float, worstDifference: Float) {
        var cosine: Float = 1, diff: Float = 0
        for (x, y) in zip(a, b) {
            var dot: Float = 0, d: Float = 0
            for i in 0..<min(x.count, y.count) { dot += x[i] * y[i]; d = max(d, abs(x[i] - y[i])) }
            cosine = min(cosine, dot); diff = max(diff, d)
        }
        return (cosine, diff)
    }
}

extension Duration {
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
