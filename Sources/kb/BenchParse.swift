import ArgumentParser
import Foundation
import KBChunking
import KBMarkdown
import KBSupport

/// `kb bench parse`: read, parse, tokenize and chunk a whole help center; print figures.
struct BenchParse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Time parse + tokenize + chunk over a knowledge base and check the chunk invariants.")

    @Option(name: .customLong("kb"), help: ArgumentHelp("Knowledge-base folder to measure.", valueName: "dir"))
    var directory: String = "../shared/data/kb-officedocs-support"

    @OptionGroup var model: ModelOptions
    @OptionGroup var chunking: ChunkingOptions

    func run() async throws {
        let chunker = try chunking.chunker(modelDirectory: model.directory)
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let clock = ContinuousClock()
        let start = clock.now
        let scan = try KnowledgeBaseReader().read(root: root)
        let parsed = clock.now
        let perArticle = scan.articles.parallelMap { chunker.chunk($0) }
        let end = clock.now
        let chunks = perArticle.flatMap { $0 }

        let seconds = (end - start).seconds
        let tokens = chunks.reduce(0) { $0 + $1.tokens }
        let stats = TokenStats(chunks.map(\.tokens))
        let over = chunks.filter { $0.tokens > chunking.maxTokens }.count
        let splitFences = chunks.filter { FenceCheck.hasUnbalancedFence($0.text) }.count
        let lost = scan.filesSeen - scan.articles.count - scan.skipped.count
        let mb = Double(scan.bytes) / 1_048_576
        print(
            """
            kb bench parse — \(directory)
              files             \(scan.filesSeen) (\(scan.articles.count) parsed, \(scan.skipped.count) skipped and reported, \(lost) lost)
              warnings          \(scan.diagnostics.filter { $0.severity == .warning }.count)
              wall              \(fmt(seconds)) s  (parse \(fmt((parsed - start).seconds)) s, tokenize+chunk \(fmt((end - parsed).seconds)) s)
              files/s           \(fmt(Double(scan.filesSeen) / seconds, 0))
              MB/s              \(fmt(mb / seconds, 1))  (\(fmt(mb, 1)) MB)
              tokens/s          \(fmt(Double(tokens) / seconds, 0))  (\(tokens) tokens in chunks)
              chunks            \(chunks.count)
              chunk tokens      p50 \(stats.p50), p95 \(stats.p95), max \(stats.max) (budget \(chunking.maxTokens))
              over budget       \(over)
              split code fences \(splitFences)
              peak RSS          \(fmt(ResourceUsage.peakResidentMB(), 0)) MB
            """)
    }
}

/// Whether a chunk's Markdown leaves a code fence open (a fence cut across chunks).
enum FenceCheck {
    static func hasUnbalancedFence(_ markdown: String) -> Bool {
        var open: Substring? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.drop(while: { $0 == " " || $0 == ">" || $0 == "\t" })
            let fence = t.prefix(while: { $0 == "`" || $0 == "~" })
            guard fence.count >= 3 else { continue }
            // A backtick "fence" with a backtick after it is an inline code span, not a fence.
            if fence.first == "`", t.dropFirst(fence.count).contains("`") { continue }
            if let o = open {
                if fence.first == o.first, fence.count >= o.count, t.dropFirst(fence.count).allSatisfy({ $0 == " " }) {
                    open = nil
                }
            } else {
                open = fence
            }
        }
        return open != nil
    }
}

/// Process resource figures for benchmarks.
enum ResourceUsage {
    /// Peak resident set size of this process in MB (Linux `ru_maxrss` is in KB).
    static func peakResidentMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

func fmt(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}
