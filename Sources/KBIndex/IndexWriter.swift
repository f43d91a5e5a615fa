import Foundation
import GRDB
import KBChunking
import KBEmbedding
import KBMarkdown

/// What one `kb index` run did.
public struct IndexReport: Sendable, Codable {
    public var articleFiles = 0
    public var unchanged = 0
    public var added = 0
    public var updated = 0
    public var deleted = 0
    /// Articles whose file could not be read this time; their previous version stays.
    public var skipped: [String] = []
    public var chunksWritten = 0
    /// Chunks whose vector came from the cache (same text seen before).
    public var vectorsCached = 0
    public var vectorsComputed = 0
    public var diagnostics: [Diagnostic] = []
}

/// Brings the index up to date with a knowledge-base folder: only changed articles are
/// parsed, chunked and embedded (vectors are cached by model and text hash), deleted
/// articles disappear, and every write of a run happens in one transaction, so a crash
/// or `kill -9` leaves the previous index intact and the next run finishes the job.
public struct IndexWriter: Sendable {
    public let path: String
    public let chunker: Chunker
    public let embedder: any TextEmbedder

    public init(path: String, chunker: Chunker, embedder: any TextEmbedder) {
        self.path = path
        self.chunker = chunker
        self.embedder = embedder
    }

    private struct Changed: Sendable {
        var path: String
        var hash: String
        var article: Article?
        var chunks: [Chunk]
        var diagnostics: [Diagnostic]
    }

    /// Updates the index from `root`. `progress` is told the phase and counts. With
    /// `vectorsOnly`, the run stops after storing new vectors in the cache (the pipeline's
    /// `embed` stage); the articles and chunks are written by the next full update.
    public func update(root: URL, vectorsOnly: Bool = false, progress: (@Sendable (String) -> Void)? = nil) throws -> IndexReport {
        let store = try IndexStore.forWriting(path: path)
        var report = IndexReport()
        let files = try KnowledgeBaseFiles.list(root: root)
        report.articleFiles = files.count
        let includes = KnowledgeBaseFiles.includesFingerprint(root: root)
        let known = try store.articleHashes()
        // Hash every file; parse and chunk only those whose hash changed.
        let chunker = self.chunker
        let parser = ArticleParser()
        let results: [Changed?] = files.parallelMap { rel in
            let url = root.appendingPathComponent(rel)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                let problem = Diagnostic(path: rel, line: 0, message: "cannot read the file; its indexed version stays", severity: .error)
                return Changed(path: rel, hash: "", article: nil, chunks: [], diagnostics: [problem])
            }
            let hash = ContentHash.of(data, salt: includes)
            if known[rel] == hash { return nil }
            let parsed = parser.parse(data: data, path: rel, root: root)
            return Changed(path: rel, hash: hash, article: parsed.article,
                           chunks: parsed.article.map(chunker.chunk) ?? [], diagnostics: parsed.diagnostics)
        }
        let changed = results.compactMap { $0 }
        report.unchanged = files.count - changed.count
        for c in changed {
            report.diagnostics += c.diagnostics
            if c.article == nil { report.skipped.append(c.path) }
        }
        let writable = changed.filter { $0.article != nil }
        progress?("parsed \(changed.count) changed of \(files.count) articles")
        KillPoint.afterParse.reach()

        // Vectors: reuse cached ones, embed the rest before the write transaction opens.
        let model = embedder.modelHash
        var needed: [String: String] = [:]   // text hash → text
        for c in writable { for chunk in c.chunks { needed[MiniLMEmbedder.textHash(chunk.embedText)] = chunk.embedText } }
        let cached = try store.cachedTextHashes(model: model, among: Array(needed.keys))
        let missing = needed.filter { !cached.contains($0.key) }.sorted { $0.key < $1.key }
        progress?("embedding \(missing.count) new chunk texts (\(cached.count) cached)")
        let vectors = try embedder.embed(missing.map(\.value))
        report.vectorsComputed = missing.count
        report.vectorsCached = cached.count
        KillPoint.afterEmbed.reach()

        var changes = IndexStore.Changes()
        changes.vectors = zip(missing, vectors).map { EmbeddingRecord(modelHash: model, textHash: $0.key, vector: VectorBlob.data($1)) }
        if vectorsOnly {
            if !changes.vectors.isEmpty { try store.apply(changes, model: model) }
            progress?("stored \(changes.vectors.count) new vectors")
            return report
        }
        let present = Set(files)
        changes.deleted = known.keys.filter { !present.contains($0) }.sorted()
        report.deleted = changes.deleted.count
        for c in writable {
            guard let article = c.article else { continue }
            if known[c.path] != nil { report.updated += 1 } else { report.added += 1 }
            changes.articles.append((ArticleRecord(article, contentHash: c.hash), c.chunks))
        }
        if !changes.vectors.isEmpty || !changes.deleted.isEmpty || !changes.articles.isEmpty {
            report.chunksWritten = try store.apply(changes, model: model)
            KillPoint.afterCommit.reach()
        }
        progress?("wrote \(report.chunksWritten) chunks; \(report.deleted) articles removed")
        return report
    }
}


/// Crash-test hook: when `KB_INDEX_KILL_AT` names a point, the indexer kills itself there
/// with SIGKILL (the same as `kill -9` from outside, but at a known moment).
enum KillPoint: String, CaseIterable {
    case afterParse = "after-parse", afterEmbed = "after-embed", midWrite = "mid-write"
    case beforeCommit = "before-commit", afterCommit = "after-commit"

    func reach() {
        guard ProcessInfo.processInfo.environment["KB_INDEX_KILL_AT"] == rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
