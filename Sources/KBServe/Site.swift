import Foundation
import KBChunking
import KBDrafts
import KBEmbedding
import KBIndex
import KBTickets
import Logging
import Synchronization

/// The project as the app sees it: the drafts store, the search snapshot, ticket and article
/// lookups, and the one rule for paths (nothing outside the project, no `..`, no absolute
/// paths, no symlinks leading out).
public final class Site: Sendable {
    public let configuration: ServeConfiguration
    public let store: DraftStore
    let accounts: EditorAccounts?
    let searchers: SearcherCache
    let signer: SessionSigner
    let logger: Logger
    /// CPU-bound reads wait their turn here (one per core).
    let gate = FairGate(permits: ProcessInfo.processInfo.activeProcessorCount)
    /// Draft writes are serialised: the version check and the write happen under it.
    private let writeLock = Mutex(())

    public init(
        configuration: ServeConfiguration, embedder: MiniLMEmbedder?, signer: SessionSigner = SessionSigner(),
        logger: Logger
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.store = DraftStore(folder: URL(fileURLWithPath: configuration.drafts, isDirectory: true))
        self.accounts = try configuration.authFile.map { path throws(ServeError) in try EditorAccounts.load(path: path)
        }
        self.searchers = SearcherCache(index: configuration.index, embedder: embedder)
        self.signer = signer
        self.logger = logger
    }

    /// On loopback without a users file, the local user is the editor.
    var localEditor: String? { configuration.authFile == nil ? configuration.localEditor : nil }

    /// Runs a draft write under the write lock.
    func write<T>(_ body: () throws -> T) throws -> T {
        try writeLock.withLock { _ in try body() }
    }

    // MARK: Paths

    /// A draft id from a URL: letters, digits, `-`, `_` and `.` (never `..`, `/` or a leading
    /// dot), whose file, symlinks resolved, is inside the drafts folder.
    func draftID(_ raw: String) throws(ServeError) -> String {
        let ok =
            !raw.isEmpty && raw.count <= 200 && !raw.hasPrefix(".") && !raw.contains("..")
            && raw.unicodeScalars.allSatisfy {
                ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "-_.".unicodeScalars.contains($0)
            }
        guard ok else { throw .outsideProject(path: raw) }
        let file = (configuration.drafts as NSString).appendingPathComponent(raw + ".md")
        if FileManager.default.fileExists(atPath: file) { try inside(file, folder: configuration.drafts) }
        return raw
    }

    /// Throws unless `path`, symlinks resolved, lies in `folder` (also resolved) and the folder
    /// in the project.
    func inside(_ path: String, folder: String) throws(ServeError) {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let base = URL(fileURLWithPath: folder, isDirectory: true).resolvingSymlinksInPath().standardizedFileURL.path
        let root = URL(fileURLWithPath: configuration.projectRoot, isDirectory: true).resolvingSymlinksInPath()
            .standardizedFileURL.path
        guard real.hasPrefix(base + "/"), base == root || base.hasPrefix(root + "/") else {
            throw .outsideProject(path: path)
        }
    }

    /// An article path from a URL (relative to the articles folder): no `..`, not absolute.
    func articlePath(_ raw: String) throws(ServeError) -> String {
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false)
        guard !raw.isEmpty, !raw.hasPrefix("/"), !raw.contains("\\"), raw.hasSuffix(".md"),
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") })
        else {
            throw .outsideProject(path: raw)
        }
        return raw
    }

    /// A report file's text (`gaps.html`, `metrics.html` …), from the project's reports folder only.
    func report(_ name: String) throws(ServeError) -> String? {
        guard ["gaps.html", "metrics.html", "gaps.json", "metrics.json"].contains(name) else {
            throw .outsideProject(path: name)
        }
        let path = (configuration.reports as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        try inside(path, folder: configuration.reports)
        return (try? String(contentsOfFile: path, encoding: .utf8))
    }

    // MARK: Reads

    func tickets(_ references: [String]) -> [TicketText] {
        do { return try TicketStore.texts(databasePath: configuration.tickets, references: references) } catch {
            logger.warning(
                "ticket store unreadable", metadata: ["path": "\(configuration.tickets)", "error": "\(error)"])
            return []
        }
    }

    func article(_ path: String) throws -> IndexedArticle? {
        guard FileManager.default.fileExists(atPath: configuration.index) else { return nil }
        return try IndexedArticles(path: configuration.index).article(path: path, audience: .all)
    }
}

/// The search side: one ``Searcher`` snapshot (chunks, vectors and BM25 postings in memory,
/// read in one read-only transaction) kept while the index files do not change, and reloaded
/// by the first request after they do. A `kb run` writing the index (WAL) never blocks a
/// search, and a search never sees half a run.
final class SearcherCache: Sendable {
    let index: String
    let embedder: MiniLMEmbedder?
    private let state = Mutex<(stamp: String, searcher: Searcher)?>(nil)
    private let loading = Mutex(())

    init(index: String, embedder: MiniLMEmbedder?) {
        self.index = index
        self.embedder = embedder
    }

    func current() throws -> Searcher {
        let stamp = IndexedArticles.generation(path: index)
        if let s = state.withLock({ $0 }), s.stamp == stamp { return s.searcher }
        return try loading.withLock { _ in
            if let s = state.withLock({ $0 }), s.stamp == stamp { return s.searcher }
            let searcher = try Searcher(path: index, embedder: embedder, keywordIndex: true)
            state.withLock { $0 = (stamp, searcher) }
            return searcher
        }
    }
}

/// Admits at most `permits` pieces of CPU-bound work (a search, reading the drafts folder) at
/// once, in arrival order: under more requests than cores, each waits its turn instead of
/// some starving behind luckier ones (the tail latency), and the other routes stay served.
actor FairGate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { free = max(1, permits) }

    func enter() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

extension Site {
    /// Runs CPU-bound `body` through the gate.
    func limited<T>(_ body: () throws -> T) async throws -> T {
        await gate.enter()
        do {
            let value = try body()
            await gate.leave()
            return value
        } catch {
            await gate.leave()
            throw error
        }
    }
}
