import Foundation
import KBDrafts
import KBEmbedding
import KBGaps
import KBIndex
import KBTickets
import Logging

/// The read-only sources behind the tools, opened on first use and kept for the life of
/// the server: the index (searcher and article text), and for an internal server the ticket
/// store, the drafts folder and the gaps report. Nothing here writes: the index and the
/// ticket store are opened read-only (WAL lets them be read while `kb run` writes), the
/// ticket-vector cache is read and never saved. When the index changes on disk (a rebuild
/// by `kb run`), the searcher is reloaded before the next search.
actor KnowledgeService {
    let configuration: MCPServerConfiguration
    let logger: Logger
    private var embedder: MiniLMEmbedder?
    private var searcher: Searcher?
    private var articles: IndexedArticles?
    private var generation = ""
    private var lastCheck = Date.distantPast
    private var searcherIsCurrent = false
    private var tickets: Task<Tickets, any Error>?
    private var ticketsGeneration = ""

    init(configuration: MCPServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    var audience: MCPAudience { configuration.audience }

    // MARK: Index

    private func model() throws(KBMCPError) -> MiniLMEmbedder {
        if let embedder { return embedder }
        do {
            if configuration.embeddingThreads == 1 { BLASRuntime.useSingleThreadedBLAS() }
            let e = try MiniLMEmbedder(
                modelDirectory: configuration.modelDirectory, workers: configuration.embeddingThreads)
            embedder = e
            return e
        } catch {
            throw .unavailable(
                "cannot load the embedding model from \(configuration.modelDirectory.path): \(error) (run `make setup`)"
            )
        }
    }

    /// Notices a changed index (at most once a second): the article reader is reopened (a
    /// rebuilt file is a new file) and the searcher reloaded on its next use.
    private func checkIndex() {
        guard Date().timeIntervalSince(lastCheck) >= 1 else { return }
        lastCheck = Date()
        let now = IndexedArticles.generation(path: configuration.indexPath)
        guard now != generation else { return }
        generation = now
        articles = nil
        searcherIsCurrent = false
    }

    private func articleReader() throws(KBMCPError) -> IndexedArticles {
        checkIndex()
        if let articles { return articles }
        do {
            let a = try IndexedArticles(path: configuration.indexPath)
            articles = a
            return a
        } catch {
            throw .unavailable("the knowledge base index cannot be read: \(error)")
        }
    }

    /// The searcher over the index as it is now (a failed reload keeps serving the previous
    /// one, says so on stderr, and is tried again on the next search).
    private func currentSearcher() throws(KBMCPError) -> Searcher {
        _ = try articleReader()
        if let searcher, searcherIsCurrent { return searcher }
        let embedder = try model()
        do {
            let s = try Searcher(path: configuration.indexPath, embedder: embedder, keywordIndex: true)
            logger.info(
                "index loaded",
                metadata: [
                    "path": "\(configuration.indexPath)", "chunks": "\(s.chunkCount)",
                    "answered_test": "\(s.detector != nil)",
                ])
            searcher = s
            searcherIsCurrent = true
            return s
        } catch {
            if let searcher {
                logger.warning(
                    "index changed but could not be reloaded; serving the previous one", metadata: ["error": "\(error)"]
                )
                return searcher
            }
            throw .unavailable("the knowledge base index cannot be searched: \(error)")
        }
    }

    /// Loads what search needs now, so the first call is not slower than the rest.
    func warmUp() {
        do { _ = try currentSearcher() } catch { logger.warning("\(error)") }
    }

    func search(query: String, category: String?, tags: [String], top: Int) throws(KBMCPError) -> ToolResults.Search {
        let searcher = try currentSearcher()
        let options = SearchOptions(
            mode: .hybrid, top: top, category: category, tags: tags, audience: audience.articles)
        let hits: [SearchHit]
        do { hits = try searcher.search(query, options: options) } catch {
            throw .unavailable("search failed: \(error)")
        }
        // The wall again, after the searcher's own filter: an external server returns no internal article.
        let visible = hits.filter { audience == .internal || $0.external }
        let out = visible.map { h in
            ToolResults.Search.Hit(
                articlePath: h.articlePath, uri: ToolResults.articleURI(h.articlePath), title: h.title,
                category: h.category, external: h.external, score: round4(h.score),
                keywordScore: h.keywordScore.map(round4),
                semanticScore: h.semanticScore.map(round4), answerScore: h.answerScore.map(round4),
                confident: h.confident,
                chunks: h.chunks.map { .init(headingPath: $0.headingPath, text: $0.text) })
        }
        let answered: Bool? = visible.contains { $0.confident != nil } ? visible.contains { $0.confident == true } : nil
        return ToolResults.Search(query: query, audience: audience.rawValue, answered: answered, hits: out)
    }

    func article(path: String) throws(KBMCPError) -> IndexedArticle {
        let reader = try articleReader()
        let found: IndexedArticle?
        do { found = try reader.article(path: path, audience: audience.articles) } catch {
            throw .unavailable("cannot read article \(path) from the index: \(error)")
        }
        guard let a = found, audience == .internal || a.external else { throw .noArticle(path) }
        return a
    }

    /// The articles offered as resources: the external ones, and on an internal server all.
    func articleList() throws(KBMCPError) -> [IndexedArticle] {
        let reader = try articleReader()
        do { return try reader.list(audience: audience.articles).filter { audience == .internal || $0.external } } catch
        {
            throw .unavailable("cannot list articles from the index: \(error)")
        }
    }

    // MARK: Internal sources (never opened by an external server)

    private func requireInternal(_ tool: String) throws(KBMCPError) {
        guard audience == .internal else { throw .unknownTool(tool, available: ToolCatalog.names(for: audience)) }
    }

    /// The ticket store and its recall, loaded once in the background (embedding tickets the
    /// vector cache lacks can take a while on a large store) and again after the store changes.
    struct Tickets: Sendable {
        var store: TicketStore
        var recall: TicketRecall
        var threshold: Double?
    }

    /// Starts loading the tickets now (an internal server does at start-up).
    func warmUpTickets() {
        guard audience == .internal else { return }
        do { _ = try ticketLoad() } catch { logger.warning("\(error)") }
    }

    private func ticketLoad() throws(KBMCPError) -> Task<Tickets, any Error> {
        let path = configuration.ticketsPath
        let now = IndexedArticles.generation(path: path)
        if let tickets, now == ticketsGeneration { return tickets }
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unavailable("no ticket store at \(path) (run `kb tickets import` or `kb run` first)")
        }
        let embedder = try model()
        let logger = logger
        let key = configuration.pseudonymKey
        let task = Task.detached { () throws -> Tickets in
            let store = try TicketStore(readingAt: path, key: key)
            let all = try store.recallTickets()
            let folder = (path as NSString).deletingLastPathComponent
            var cache = QuestionVectorCache(
                path: ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent("cache/ticket-vectors.bin"),
                modelHash: embedder.modelHash)
            // The cache is read, never saved.
            let (vectors, computed) = try cache.vectors(for: all.map(\.problemText), embedder: embedder)
            let recall = TicketRecall(tickets: all, vectors: vectors)
            logger.info("ticket store loaded", metadata: ["tickets": "\(all.count)", "embedded_now": "\(computed)"])
            return Tickets(store: store, recall: recall, threshold: recall.confidenceThreshold())
        }
        tickets = task
        ticketsGeneration = now
        return task
    }

    func similar(text: String, customer: String?, top: Int) async throws(KBMCPError) -> ToolResults.Similar {
        try requireInternal(ToolCatalog.similarResolutions)
        let loaded: Tickets
        do { loaded = try await ticketLoad().value } catch {
            tickets = nil
            if let e = error as? KBMCPError { throw e }
            throw .unavailable("cannot read the ticket store at \(configuration.ticketsPath): \(error)")
        }
        var pseudonym: String?
        if let customer {
            guard loaded.store.canPseudonymize else {
                throw .unavailable(
                    "customer lookup needs the ticket store's pseudonym key (.secrets/pseudonym.key beside it, or $KB_PSEUDONYM_SALT)"
                )
            }
            pseudonym = loaded.store.pseudonym(customer)
        }
        let vector: [Float]
        do { vector = try model().embed([Redactor().redact(text)])[0] } catch {
            throw .unavailable("cannot embed the text: \(error)")
        }
        let threshold = loaded.threshold
        let matches = loaded.recall.similar(to: vector, customer: pseudonym, top: top)
        return ToolResults.Similar(
            threshold: threshold.map { ($0 * 1000).rounded() / 1000 },
            matches: matches.map { m in
                .init(
                    ticket: m.ticket.reference, similarity: (m.similarity * 1000).rounded() / 1000,
                    confident: m.similarity >= (threshold ?? 1), subject: m.ticket.subject, channel: m.ticket.channel,
                    createdAt: m.ticket.createdAt, resolution: m.ticket.resolution, steps: m.ticket.steps)
            })
    }

    func gaps(top: Int) throws(KBMCPError) -> ToolResults.Gaps {
        try requireInternal(ToolCatalog.listGaps)
        let path = configuration.gapsReport
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unavailable("no gaps report at \(path) (run `kb gaps` or `kb run` first)")
        }
        let report: GapsReport
        do { report = try GapsRender.read(path: path) } catch { throw .unavailable("\(error)") }
        let topics = report.topics.sorted { ($0.volume, $1.id) > ($1.volume, $0.id) }.prefix(top).map { t in
            ToolResults.Gaps.Topic(
                id: t.id, title: t.title, keyPhrases: t.keyPhrases, volume: t.volume, share: t.share,
                lastWeekChange: t.trend.change, examples: t.examples, nearestArticle: t.nearestArticle,
                draftCommand: t.draftCommand)
        }
        return ToolResults.Gaps(
            generatedAt: report.generatedAt, questions: report.questions, answered: report.answered,
            unanswered: report.unanswered, topicsTotal: report.topics.count, topics: Array(topics))
    }

    func drafts() throws(KBMCPError) -> ToolResults.Drafts {
        try requireInternal(ToolCatalog.draftStatus)
        let store = DraftStore(folder: URL(fileURLWithPath: configuration.draftsFolder, isDirectory: true))
        do {
            let (drafts, errors) = try store.list()
            return ToolResults.Drafts(drafts: drafts, unreadable: errors.map(\.description))
        } catch {
            throw .unavailable("cannot list drafts in \(configuration.draftsFolder): \(error)")
        }
    }

    func draft(id: String) throws(KBMCPError) -> ToolResults.Draft {
        try requireInternal(ToolCatalog.draftStatus)
        // An id names a file in the drafts folder, never a path out of it.
        guard !id.contains("/"), !id.contains("\\"), !id.hasPrefix(".") else { throw .noDraft(id) }
        let all = try drafts()
        guard let summary = all.drafts.first(where: { $0.id == id }) else { throw .noDraft(id) }
        guard let data = FileManager.default.contents(atPath: summary.path) else { throw .noDraft(id) }
        return ToolResults.Draft(draft: summary, markdown: String(decoding: data, as: UTF8.self))
    }
}

/// Four decimals: enough to compare scores, fewer tokens for the model to read.
func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
