import Foundation
import KBChunking
import KBDrafts
import KBEmbedding
import KBGaps
import KBIndex
import KBMarkdown
import KBReports
import KBSupport
import KBTickets
import Synchronization

/// The stages of `kb run`, wired to the stage libraries. Each stage reads what it needs
/// from disk (the knowledge base, the index, the ticket store), so a run that resumes at
/// any stage has everything it needs.
public final class NightlyStages: StageWork, Sendable {
    let file: PipelineFile
    /// The model folder (`nil`: ``ModelLocator`` searches).
    let model: String?
    /// How the model runs (threads, batch and kernel sizes).
    let embedderSettings: EmbedderSettings
    /// The ticket store's pseudonym key.
    let pseudonymKey: PseudonymKey
    private let loaded = Mutex<MiniLMEmbedder?>(nil)

    public init(
        file: PipelineFile, model: String? = nil, embedderSettings: EmbedderSettings = EmbedderSettings(),
        pseudonymKey: PseudonymKey = .besideStore
    ) {
        self.file = file
        self.model = model
        self.embedderSettings = embedderSettings
        self.pseudonymKey = pseudonymKey
    }

    /// Loaded once per run, on first use.
    func embedder() throws -> MiniLMEmbedder {
        try loaded.withLock { cached in
            if let e = cached { return e }
            let e = try MiniLMEmbedder(
                modelDirectory: ModelLocator.directory(explicit: model), settings: embedderSettings)
            cached = e
            return e
        }
    }

    var kbURL: URL { URL(fileURLWithPath: file.kb, isDirectory: true) }

    public func inputFingerprint(for stage: Stage) throws -> String {
        switch stage {
        case .parse:
            let paths = try KnowledgeBaseFiles.list(root: kbURL).map { kbURL.appendingPathComponent($0).path }
            return Fingerprint.files(paths) + KnowledgeBaseFiles.includesFingerprint(root: kbURL)
        case .chunk, .embed, .index:
            return "model:" + ((try? ModelLocator.directory(explicit: model).path) ?? "")
        case .importTickets:
            return Fingerprint.files(file.tickets.flatMap { [$0.path] + ($0.mapping.map { [$0] } ?? []) })
                + file.tickets.map(\.format).joined(separator: ",")
        case .reviewQueue:
            let folder = URL(fileURLWithPath: file.drafts)
            let drafts = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            return Fingerprint.files(drafts.map { folder.appendingPathComponent($0).path })
        case .drafts:
            return "min_tickets:\(file.minTickets)"
        case .gaps:
            // Chained after import_tickets and index, so new tickets or articles rerun it too.
            return Fingerprint.files(file.questions.map(\.path)) + (file.asOf ?? "") + file.window
        case .reports:
            return "window:\(file.window) as_of:\(file.asOf ?? "")"
        }
    }

    public func outputs(for stage: Stage) -> [String] {
        func reports(_ names: String...) -> [String] {
            names.map { (file.reports as NSString).appendingPathComponent($0) }
        }
        switch stage {
        case .parse, .chunk, .embed, .drafts: return []
        case .index: return [file.index]
        case .importTickets: return file.tickets.isEmpty ? [] : [file.ticketsDatabase]
        case .gaps: return reports("gaps.md", "gaps.html", "gaps.json")
        case .reviewQueue: return reports("review-queue.md", "review-queue.html", "review-queue.json")
        case .reports: return reports("metrics.md", "metrics.html", "metrics.json")
        }
    }

    public func run(_ stage: Stage, log: RunLog) async throws -> StageResult {
        switch stage {
        case .parse: return try parse()
        case .chunk: return try chunk()
        case .embed, .index: return try index(stage, log: log)
        case .importTickets: return try importTickets()
        case .reviewQueue: return try reviewQueue()
        case .drafts: return try drafts(stage, log: log)
        case .gaps: return try gaps(stage, log: log)
        case .reports: return try reports()
        }
    }

    /// Reads every article; errors are the rejected inputs.
    private func parse() throws -> StageResult {
        let scan = try KnowledgeBaseReader().read(root: kbURL)
        return StageResult(
            counts: [
                "articles": scan.articles.count, "skipped": scan.skipped.count,
                "warnings": scan.diagnostics.filter { $0.severity == .warning }.count,
                "internal": scan.articles.filter { !$0.external }.count,
            ],
            rejected: scan.diagnostics.filter { $0.severity == .error }.map(\.description))
    }

    /// Splits the articles (a check of chunk sizes; the index stage writes them).
    private func chunk() throws -> StageResult {
        let chunker = Chunker(tokenizer: try embedder().tokenizer)
        let scan = try KnowledgeBaseReader().read(root: kbURL)
        let chunks = scan.articles.parallelMap { chunker.chunk($0) }.flatMap { $0 }
        return StageResult(counts: ["chunks": chunks.count, "max_tokens": chunks.map(\.tokens).max() ?? 0])
    }

    /// Embeds new chunks (`embed`) or writes the index (`index`), only for what changed.
    private func index(_ stage: Stage, log: RunLog) throws -> StageResult {
        let e = try embedder()
        let writer = IndexWriter(path: file.index, chunker: Chunker(tokenizer: e.tokenizer), embedder: e)
        let r = try writer.update(
            root: kbURL, vectorsOnly: stage == .embed, progress: { log.info(stage, $0) },
            embedded: { log.progress(stage, done: $0, total: $1) })
        let counts =
            stage == .embed
            ? ["vectors_computed": r.vectorsComputed, "vectors_cached": r.vectorsCached]
            : [
                "added": r.added, "updated": r.updated, "removed": r.deleted, "unchanged": r.unchanged,
                "chunks_written": r.chunksWritten,
            ]
        return StageResult(
            counts: counts, rejected: stage == .index ? r.skipped.map { "\($0): skipped, previous version kept" } : [])
    }

    /// Imports every ticket export of the pipeline, redacted.
    private func importTickets() throws -> StageResult {
        let store = try TicketStore(path: file.ticketsDatabase, key: pseudonymKey)
        var counts = ["rows": 0, "new": 0, "updated": 0, "unchanged": 0]
        var rejected: [String] = []
        for source in file.tickets {
            let r = try TicketImporter(store: store).importFile(
                source.path, format: TicketFormat(rawValue: source.format) ?? .jsonl,
                mappingPath: source.mapping)
            counts["rows"]! += r.rows; counts["new"]! += r.inserted; counts["updated"]! += r.updated;
            counts["unchanged"]! += r.unchanged
            rejected += r.problems.filter(\.skipped).map(\.description)
        }
        return StageResult(counts: counts, rejected: rejected)
    }

    /// Writes the review queue of the drafts folder.
    private func reviewQueue() throws -> StageResult {
        let queue = try ReviewQueueReport(
            store: DraftStore(folder: URL(fileURLWithPath: file.drafts, isDirectory: true)),
            reportFolder: URL(fileURLWithPath: file.reports, isDirectory: true))
        try queue.write(to: URL(fileURLWithPath: file.reports, isDirectory: true))
        return StageResult(counts: ["drafts": queue.drafts.count], rejected: queue.problems)
    }

    /// Mines resolved tickets for drafts; groups the KB already answers get none.
    private func drafts(_ stage: Stage, log: RunLog) throws -> StageResult {
        var miner = DraftMiner()
        miner.minTickets = file.minTickets
        miner.cachePath = (file.index as NSString).deletingLastPathComponent + "/cache/draft-vectors.bin"
        let outcome = try miner.run(
            store: TicketStore(path: file.ticketsDatabase, key: pseudonymKey), indexPath: file.index,
            drafts: DraftStore(folder: URL(fileURLWithPath: file.drafts, isDirectory: true)),
            embedder: try embedder())
        for a in outcome.answeredByKB { log.info(stage, "no draft for \"\(a.title)\": answered by \(a.article)") }
        let kept = outcome.written.filter { if case .proposedBeside = $0 { true } else { false } }.count
        return StageResult(counts: [
            "groups": outcome.groups.count, "answered_by_kb": outcome.answeredByKB.count,
            "drafts": outcome.written.count, "editor_versions_kept": kept,
            "rejected_not_reproposed": outcome.skippedRejected.count,
        ])
    }

    /// Finds the questions the KB does not answer and writes the gaps report.
    private func gaps(_ stage: Stage, log: RunLog) throws -> StageResult {
        let e = try embedder()
        let cache = (file.index as NSString).deletingLastPathComponent + "/cache/gap-vectors.bin"
        let runner = GapsRunner(embedder: e, indexPath: file.index, cachePath: cache)
        // Ticket questions (when the pipeline imports tickets) and every question log.
        var sources: [GapsSource] = file.tickets.isEmpty ? [] : [.ticketStore(path: file.ticketsDatabase)]
        sources += file.questions.map {
            .questions(path: $0.path, textColumn: $0.textColumn, timeColumn: $0.timeColumn)
        }
        let source: GapsSource =
            sources.count == 1
            ? sources[0] : .combined(sources.isEmpty ? [.ticketStore(path: file.ticketsDatabase)] : sources)
        let now = file.asOf.flatMap(TimestampParser.parse) ?? Date()
        let result = try runner.run(source: source, now: now)
        let st = result.stats
        log.info(
            stage,
            String(
                format: "embedded %d of %d questions in %.1f s, searched in %.1f s, clustered in %.1f s",
                st.embedded, st.questions, st.embedSeconds, st.searchSeconds, st.clusterSeconds))
        _ = try GapsPage.write(result.report, to: file.reports)
        return StageResult(
            counts: ["questions": result.stats.questions, "topics": result.report.topics.count],
            rejected: result.report.problems.map { "\($0)" })
    }

    /// Writes the metrics report for the pipeline's window.
    private func reports() throws -> StageResult {
        guard FileManager.default.fileExists(atPath: file.ticketsDatabase) else {
            return StageResult(
                counts: ["tickets": 0], rejected: ["\(file.ticketsDatabase): no ticket store, no metrics report"])
        }
        let store = try TicketStore(path: file.ticketsDatabase, key: pseudonymKey)
        // A date-only as_of means "up to the end of that day".
        let until = file.asOf.flatMap { a in
            TimestampParser.parse(a).map { a.count == 10 ? $0.addingTimeInterval(86400) : $0 }
        }
        let window = try TicketWindow.ending(at: until, days: ReportWindow.days(file.window) ?? 30, store: store)
        let gaps = (file.reports as NSString).appendingPathComponent("gaps.json")
        let report = try MetricsReport(
            store: store, window: window,
            inputs: MetricsInputs(
                gapsJSON: FileManager.default.fileExists(atPath: gaps) ? gaps : nil,
                draftsFolder: FileManager.default.fileExists(atPath: file.drafts) ? file.drafts : nil))
        try report.write(to: URL(fileURLWithPath: file.reports, isDirectory: true))
        return StageResult(counts: [
            "tickets": report.tickets, "previous_window_tickets": report.previousTickets,
            "negative_durations": report.quality.negativeFirstResponse + report.quality.negativeResolution,
        ])
    }
}
