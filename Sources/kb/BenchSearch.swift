import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBIndex
import KBMarkdown
import KBSupport

/// `kb bench search`: build times, index size, query latency per mode, peak RSS.
struct BenchSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Measure index build/rebuild times and search latency on a help center.",
        discussion:
            "--kb must be a copy the bench may edit: one article gets a line appended (then restored) to time a one-edit rebuild."
    )

    @Option(
        name: .customLong("kb"),
        help: ArgumentHelp("Knowledge-base folder (a copy; one article is edited and restored).", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("Index file to build or reuse.", valueName: "path"))
    var db: String = "/tmp/kb-bench-search.sqlite"

    @Flag(help: "Delete the index first, so the full build is timed.")
    var rebuild = false

    @Option(help: "Number of queries to time per mode.")
    var queries: Int = 1000

    @OptionGroup var model: ModelOptions

    func run() async throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let embedder = try model.embedder()
        let writer = IndexWriter(path: db, chunker: Chunker(tokenizer: embedder.tokenizer), embedder: embedder)
        let clock = ContinuousClock()
        if rebuild { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        var t = clock.now
        let full = try writer.update(root: root)
        let fullSeconds = (clock.now - t).seconds
        t = clock.now
        _ = try writer.update(root: root)
        let noChange = (clock.now - t).seconds
        let files = try KnowledgeBaseFiles.list(root: root)
        let edited = root.appendingPathComponent(files[files.count / 2])
        let original = try Data(contentsOf: edited)
        try (original + Data("\n\nAn extra paragraph added by kb bench search to time a one-article rebuild.\n".utf8))
            .write(to: edited)
        t = clock.now
        let oneEdit = try writer.update(root: root)
        let oneEditSeconds = (clock.now - t).seconds
        try original.write(to: edited)
        _ = try writer.update(root: root)

        // Queries: the articles' own titles and first paragraphs, reworded by truncation.
        let scan = try KnowledgeBaseReader().read(root: root)
        var qs: [String] = []
        for a in scan.articles where qs.count < queries {
            qs.append(a.title)
            if let p = a.blocks.first(where: { if case .paragraph = $0.kind { true } else { false } }) {
                qs.append(String(p.text.split(separator: " ").prefix(12).joined(separator: " ")))
            }
        }
        qs = Array(qs.prefix(queries))
        let plainStart = clock.now
        _ = try Searcher(path: db, embedder: embedder)
        let plainOpen = (clock.now - plainStart).seconds
        let loadStart = clock.now
        let searcher = try Searcher(path: db, embedder: embedder, keywordIndex: true)
        let keywordLoad = max(0, (clock.now - loadStart).seconds - plainOpen)
        let size = [db, db + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }
            .reduce(0, +)
        print(
            "kb bench search — \(directory): \(scan.articles.count) articles, \(searcher.chunkCount) chunks; OpenBLAS \(embedder.kernel)"
        )
        print(
            String(
                format: "  full build        %.1f s%@", fullSeconds,
                full.added == 0 ? " (index existed: use --rebuild to time a full build)" : ""))
        print(
            String(
                format: "  no-change rebuild %.2f s (%.1f %% of the full build)", noChange,
                fullSeconds > 0 ? 100 * noChange / fullSeconds : 0))
        print(
            String(
                format: "  one-edit rebuild  %.2f s (%d chunks written, %d embedded)", oneEditSeconds,
                oneEdit.chunksWritten, oneEdit.vectorsComputed))
        print(String(format: "  index size        %.1f MB", Double(size) / 1_048_576))
        print(String(format: "  keyword postings  %.2f s to load into memory (once per process)", keywordLoad))
        for mode in [SearchMode.keyword, .semantic, .hybrid] {
            var lat: [Double] = []
            for q in qs {
                let s = clock.now
                _ = try searcher.search(q, options: SearchOptions(mode: mode, top: 10))
                lat.append((clock.now - s).seconds * 1000)
            }
            lat.sort()
            print(
                String(
                    format: "  %-9@ p50 %.2f ms, p99 %.2f ms (%d queries, query embedding included)",
                    mode.rawValue as NSString,
                    lat[lat.count / 2], lat[min(lat.count - 1, Int(Double(lat.count) * 0.99))], lat.count))
        }
        print(String(format: "  peak RSS          %.0f MB", ResourceUsage.peakResidentMB()))
    }
}
