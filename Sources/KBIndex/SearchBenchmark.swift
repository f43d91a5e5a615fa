import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown

/// `kb bench search`: build times, index size, query latency per mode and peak memory,
/// measured on a scratch copy of a knowledge base (the source folder is never written).
public struct SearchBenchmark: Sendable {
    /// Figures of one run; times in seconds unless named `…Ms`.
    public struct Figures: Sendable, Codable {
        public struct Latency: Sendable, Codable {
            public var mode: SearchMode
            public var queries: Int
            public var p50Ms: Double
            public var p99Ms: Double
            public var meanMs: Double
        }

        public var articles = 0
        public var chunks = 0
        public var fullBuild: Double?
        public var noChangeRebuild = 0.0
        public var oneEditRebuild = 0.0
        public var oneEditVectorsComputed = 0
        public var indexBytes: Int64 = 0
        public var searcherLoad = 0.0
        public var latencies: [Latency] = []
        public var peakRSSBytes: Int64 = 0
        /// `noChangeRebuild / fullBuild`.
        public var noChangeShare: Double? { fullBuild.map { noChangeRebuild / max($0, 1e-9) } }
    }

    public let source: URL
    public let scratch: URL
    public let embedder: MiniLMEmbedder
    public var queryCount = 1_000
    /// Build from nothing (else reuse the index already in `scratch`, when there is one).
    public var fullBuild = true

    public init(source: URL, scratch: URL, embedder: MiniLMEmbedder) {
        self.source = source; self.scratch = scratch; self.embedder = embedder
    }

    public var databasePath: String { scratch.appendingPathComponent("index.sqlite").path }
    var copy: URL { scratch.appendingPathComponent("kb") }

    /// Runs everything; `progress` hears each phase; `queries` overrides the queries
    /// (default: article descriptions, else titles, from the index).
    public func run(queries explicit: [String]? = nil, progress: (String) -> Void) throws -> Figures {
        let fm = FileManager.default
        var figures = Figures()
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        if fm.fileExists(atPath: copy.path) { try fm.removeItem(at: copy) }
        try fm.copyItem(at: source, to: copy)
        let hasIndex = fm.fileExists(atPath: databasePath)
        if fullBuild || !hasIndex {
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: databasePath + suffix) }
        }
        let writer = IndexWriter(path: databasePath, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
        let clock = ContinuousClock()
        func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
            let t = clock.now
            let value = try body()
            return (value, (clock.now - t).seconds)
        }
        progress(fullBuild || !hasIndex ? "full build of \(source.path)…" : "updating the existing index…")
        let (first, firstTime) = try timed { try writer.update(root: copy) }
        if fullBuild || !hasIndex { figures.fullBuild = firstTime }
        figures.articles = first.articleFiles
        progress("no-change rebuild…")
        figures.noChangeRebuild = try timed { try writer.update(root: copy) }.1
        progress("one-article-edited rebuild…")
        let edited = try editOneArticle()
        let (editReport, editTime) = try timed { try writer.update(root: copy) }
        figures.oneEditRebuild = editTime
        figures.oneEditVectorsComputed = editReport.vectorsComputed
        progress("edited \(edited): \(editReport.vectorsComputed) vectors computed, \(editReport.chunksWritten) chunks written")
        figures.indexBytes = try IndexStore.forWriting(path: databasePath).checkpointedSize()

        let (searcher, load) = try timed { try Searcher(path: databasePath, embedder: embedder) }
        figures.searcherLoad = load
        figures.chunks = searcher.chunkCount
        let queries = Array((explicit ?? searcher.sampleQueries(count: queryCount)).prefix(queryCount))
        for mode in [SearchMode.keyword, .semantic, .hybrid] {
            progress("\(queries.count) \(mode.rawValue) queries…")
            let options = SearchOptions(mode: mode, top: 10)
            for q in queries.prefix(20) { _ = try searcher.search(q, options: options) }   // warm-up
            var ms: [Double] = []
            ms.reserveCapacity(queries.count)
            for q in queries { ms.append(try timed { try searcher.search(q, options: options) }.1 * 1000) }
            ms.sort()
            func pct(_ p: Double) -> Double { ms.isEmpty ? 0 : ms[min(ms.count - 1, Int((p * Double(ms.count - 1)).rounded()))] }
            figures.latencies.append(.init(mode: mode, queries: ms.count, p50Ms: pct(0.5), p99Ms: pct(0.99),
                                           meanMs: ms.reduce(0, +) / Double(max(1, ms.count))))
        }
        figures.peakRSSBytes = Self.peakRSS()
        return figures
    }

    /// Appends a paragraph to the middle article of the copy; returns its path.
    private func editOneArticle() throws -> String {
        let files = try KnowledgeBaseFiles.list(root: copy)
        guard !files.isEmpty else { return "(none)" }
        let path = files[files.count / 2]
        let url = copy.appendingPathComponent(path)
        var text = try String(contentsOf: url, encoding: .utf8)
        text += "\n\n## Benchmark note\n\nThis paragraph was added by kb bench search to time a one-article rebuild.\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        return path
    }

    /// Peak resident memory of this process (`VmHWM`), in bytes.
    public static func peakRSS() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int64($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }
}

extension Searcher {
    /// Realistic queries drawn from the index itself: article descriptions (titles when an
    /// article has none), in a fixed order spread over the whole help center.
    public func sampleQueries(count: Int) -> [String] {
        let texts = (try? store.descriptionsOrTitles()) ?? corpus.articles.map(\.title)
        guard !texts.isEmpty else { return [] }
        var out: [String] = []
        out.reserveCapacity(count)
        var i = 0
        while out.count < count {
            out.append(texts[(i * 7919) % texts.count])
            i += 1
        }
        return out
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
