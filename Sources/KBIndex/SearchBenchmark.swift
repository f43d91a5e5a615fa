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
            /// Whole query: embedding, keyword side, vector side, fusion, hits.
            public var p50Ms: Double
            public var p99Ms: Double
            public var meanMs: Double
            /// The query embedding alone (0 in keyword mode).
            public var embedP50Ms: Double
            /// Everything but the query embedding.
            public var restP50Ms: Double
            public var restP99Ms: Double
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
        try Self.makeWritable(copy)   // sources may be read-only (shared data); the copy gets edited
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
            var total: [Double] = [], embed: [Double] = [], rest: [Double] = []
            for q in queries {
                let t0 = clock.now
                let vector = mode == .keyword ? nil : try searcher.queryVector(q)
                let t1 = clock.now
                _ = try searcher.search(q, vector: vector, options: options)
                let t2 = clock.now
                total.append((t2 - t0).seconds * 1000)
                embed.append((t1 - t0).seconds * 1000)
                rest.append((t2 - t1).seconds * 1000)
            }
            figures.latencies.append(.init(mode: mode, queries: total.count, p50Ms: Self.percentile(total, 0.5),
                                           p99Ms: Self.percentile(total, 0.99), meanMs: total.reduce(0, +) / Double(max(1, total.count)),
                                           embedP50Ms: Self.percentile(embed, 0.5), restP50Ms: Self.percentile(rest, 0.5),
                                           restP99Ms: Self.percentile(rest, 0.99)))
        }
        figures.peakRSSBytes = Self.peakRSS()
        return figures
    }

    /// The `p` quantile (nearest rank) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
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

    /// Adds owner write permission to `root` and everything below it.
    static func makeWritable(_ root: URL) throws {
        let fm = FileManager.default
        var paths = [root.path]
        if let walker = fm.enumerator(atPath: root.path) {
            while let rel = walker.nextObject() as? String { paths.append(root.appendingPathComponent(rel).path) }
        }
        for path in paths {
            let mode = (try fm.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
            if mode & 0o200 == 0 { try fm.setAttributes([.posixPermissions: mode | 0o200], ofItemAtPath: path) }
        }
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
