import Foundation
import GRDB
import KBChunking
import KBEmbedding
import KBMarkdown
import KBSupport

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
    /// The answered test fitted on this KB by this run (nil when nothing changed or too few articles).
    public var answerModel: AnswerDetector?
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

    /// Updates the index from `root`. `progress` is told the phase and counts, and
    /// `embedded` how many of the new chunk texts are embedded so far. With
    /// `vectorsOnly`, the run stops after storing new vectors in the cache (the pipeline's
    /// `embed` stage); the articles and chunks are written by the next full update.
    public func update(
        root: URL, vectorsOnly: Bool = false, progress: (@Sendable (String) -> Void)? = nil,
        embedded: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> IndexReport {
        let db = try IndexDatabase.openForWriting(path: path)
        var report = IndexReport()
        let files = try KnowledgeBaseFiles.list(root: root)
        report.articleFiles = files.count
        let known: [String: String] = try db.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT path, content_hash FROM article").map {
                    ($0["path"] as String, $0["content_hash"] as String)
                })
        }
        let changed = changedArticles(files, root: root, known: known)
        report.unchanged = files.count - changed.count
        for c in changed {
            report.diagnostics += c.diagnostics
            if c.article == nil { report.skipped.append(c.path) }
        }
        let writable = changed.filter { $0.article != nil }
        progress?("parsed \(changed.count) changed of \(files.count) articles")

        // Vectors: reuse cached ones, embed the rest before the write transaction opens.
        let model = embedder.modelHash
        var needed: [String: String] = [:]  // text hash → text
        for c in writable {
            for chunk in c.chunks { needed[MiniLMEmbedder.textHash(chunk.embedText)] = chunk.embedText }
        }
        let cached = try cachedVectors(Array(needed.keys), model: model, db: db)
        let missing = needed.filter { !cached.contains($0.key) }.sorted { $0.key < $1.key }
        progress?("embedding \(missing.count) new chunk texts (\(cached.count) cached)")
        let vectors = try embedder.embed(missing.map(\.value), progress: embedded ?? { _, _ in })
        report.vectorsComputed = missing.count
        report.vectorsCached = cached.count

        let present = Set(files)
        let gone = known.keys.filter { !present.contains($0) }.sorted()
        try db.write { db in
            for (hash, vector) in zip(missing.map(\.key), vectors) {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO embedding(model_hash, text_hash, vector) VALUES (?, ?, ?)",
                    arguments: [model, hash, VectorBlob.data(vector)])
            }
            if vectorsOnly { return }
            for path in gone {
                try Self.deleteArticle(db, path: path)
                report.deleted += 1
            }
            for c in writable {
                guard let article = c.article else { continue }
                if known[c.path] != nil {
                    try Self.deleteArticle(db, path: c.path); report.updated += 1
                } else {
                    report.added += 1
                }
                try Self.insert(db, article: article, hash: c.hash, chunks: c.chunks)
                report.chunksWritten += c.chunks.count
            }
        }
        progress?("wrote \(report.chunksWritten) chunks; \(report.deleted) articles removed")
        if vectorsOnly { return report }
        // The answered test is refitted when there is none, or once the articles changed since
        // its fit reach a twentieth of the KB (one edited article barely moves it, and a refit
        // on a large help center takes seconds).
        let (hasModel, pending) = try db.read { db in
            (try AnswerCalibration.stored(db) != nil, try AnswerCalibration.changesSinceFit(db))
        }
        let changes = pending + writable.count + gone.count
        if !hasModel || (changes > 0 && changes * 20 >= files.count) {
            report.answerModel = try fitAnswerModel(db: db, progress: progress)
        } else if changes != pending {
            try db.write { db in try AnswerCalibration.setChangesSinceFit(changes, in: db) }
            progress?(
                "answered test kept: \(changes) of \(files.count) articles changed since its fit (refit at a twentieth)"
            )
        }
        return report
    }

    /// Hashes every file and parses and chunks only those whose hash differs from the index's
    /// (`known`: path → content hash), on all cores; `nil` for an unchanged file.
    private func changedArticles(_ files: [String], root: URL, known: [String: String]) -> [Changed] {
        let includes = KnowledgeBaseFiles.includesFingerprint(root: root)
        let chunker = self.chunker
        let parser = ArticleParser()
        let results: [Changed?] = files.parallelMap { rel in
            let url = root.appendingPathComponent(rel)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return Changed(
                    path: rel, hash: "", article: nil, chunks: [],
                    diagnostics: parser.parse(path: rel, root: root).diagnostics)
            }
            let hash = ContentHash.of(data, salt: includes)
            if known[rel] == hash { return nil }
            let parsed = parser.parse(data: data, path: rel, root: root)
            return Changed(
                path: rel, hash: hash, article: parsed.article,
                chunks: parsed.article.map(chunker.chunk) ?? [], diagnostics: parsed.diagnostics)
        }
        return results.compactMap { $0 }
    }

    /// Which of `hashes` (chunk text hashes) already have a vector of `model` in the index.
    private func cachedVectors(_ hashes: [String], model: String, db: DatabaseQueue) throws -> Set<String> {
        try db.read { db in
            var have = Set<String>()
            for start in stride(from: 0, to: hashes.count, by: 500) {
                let slice = Array(hashes[start..<min(start + 500, hashes.count)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let rows = try String.fetchAll(
                    db, sql: "SELECT text_hash FROM embedding WHERE model_hash = ? AND text_hash IN (\(marks))",
                    arguments: StatementArguments([model] + slice))
                have.formUnion(rows)
            }
            return have
        }
    }

    /// Refits the KB's answered test on the index as it now is and stores it (docs/GAPS.md).
    private func fitAnswerModel(db: DatabaseQueue, progress: (@Sendable (String) -> Void)?) throws -> AnswerDetector? {
        let searcher = try Searcher(path: path, vectorsOf: embedder, keywordIndex: true)
        var detector = try AnswerCalibration.fit(searcher: searcher, embedder: embedder, audience: .external)
        if detector == nil {
            detector = try AnswerCalibration.fit(searcher: searcher, embedder: embedder, audience: .all)
        }
        try db.write { db in try AnswerCalibration.store(detector, in: db) }
        if let d = detector {
            progress?(
                "answered test fitted on \(d.pseudoQuestions) pseudo-questions from \(d.articles) articles (self-check AUROC \(String(format: "%.3f", d.selfAUROC)))"
            )
        }
        return detector
    }

    private static func deleteArticle(_ db: Database, path: String) throws {
        try db.execute(
            sql:
                "DELETE FROM chunk_fts WHERE rowid IN (SELECT chunk.id FROM chunk JOIN article ON article.id = chunk.articleId WHERE article.path = ?)",
            arguments: [path])
        try db.execute(sql: "DELETE FROM article WHERE path = ?", arguments: [path])
    }

    private static func insert(_ db: Database, article a: Article, hash: String, chunks: [Chunk]) throws {
        let tags = JSONList.encode(a.tags)
        try db.execute(
            sql: """
                INSERT INTO article(path, slug, title, description, category, tags, external, updated, status, content_hash, markdown)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                a.path, a.slug, a.title, a.description, a.category, tags, a.external,
                a.updated.map { ISO8601DateFormatter().string(from: $0) }, a.status, hash,
                a.blocks.map(\.markdown).joined(separator: "\n\n") + "\n",
            ])
        let articleID = db.lastInsertedRowID
        for c in chunks {
            try db.execute(
                sql: """
                    INSERT INTO chunk(articleId, idx, heading_path, text, embed_text, tokens, category, tags, external, text_hash, line, end_line)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    articleID, c.index, c.headingPathString, c.text, c.embedText, c.tokens, c.category,
                    JSONList.encode(c.tags), c.external, MiniLMEmbedder.textHash(c.embedText), c.line, c.endLine,
                ])
            let chunkID = db.lastInsertedRowID
            let body = c.embedText.dropFirst(c.headingPathString.count)
            try db.execute(
                sql: "INSERT INTO chunk_fts(rowid, title, heading, body) VALUES (?, ?, ?, ?)",
                arguments: [chunkID, a.title, c.headingPath.dropFirst().joined(separator: " "), String(body)])
        }
    }
}

extension ContentHash {
    /// The content hash of an article file: its bytes after a salt (the parser version).
    static func of(_ data: Data, salt: String) -> String {
        var h = ContentHash()
        h.add(salt)
        h.add(data)
        return h.hex
    }
}

/// Vectors stored as little-endian float32 BLOBs.
public enum VectorBlob {
    public static func data(_ v: [Float]) -> Data { v.withUnsafeBufferPointer { Data(buffer: $0) } }

    public static func floats(_ d: Data) -> [Float] {
        d.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
    }
}

/// Tag lists stored as JSON arrays.
enum JSONList {
    static func encode(_ list: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
