import Foundation
import GRDB
import KBChunking

/// The persistence layer: every SQL statement of the index lives here.
struct IndexStore: Sendable {
    let path: String
    let queue: DatabaseQueue

    static func forWriting(path: String) throws -> IndexStore {
        try wrap(path) { IndexStore(path: path, queue: try IndexDatabase.openForWriting(path: path)) }
    }

    static func forReading(path: String) throws -> IndexStore {
        try wrap(path) { IndexStore(path: path, queue: try IndexDatabase.openForReading(path: path)) }
    }

    /// Runs `body`, naming the file in any database error.
    private static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as IndexError { throw error } catch {
            throw IndexError.database(path: path, reason: "\(error)")
        }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T { try Self.wrap(path, body) }

    // MARK: Writing

    /// `path → content hash` of every indexed article.
    func articleHashes() throws -> [String: String] {
        try wrap {
            try queue.read { db in
                var out: [String: String] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT path, content_hash FROM article")
                while let row = try rows.next() { out[row[0]] = row[1] }
                return out
            }
        }
    }

    /// The subset of `textHashes` that already has a vector for `model`.
    func cachedTextHashes(model: String, among textHashes: [String]) throws -> Set<String> {
        try wrap {
            try queue.read { db in
                var have = Set<String>()
                for start in stride(from: 0, to: textHashes.count, by: 500) {
                    let slice = Array(textHashes[start..<min(start + 500, textHashes.count)])
                    let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                    have.formUnion(try String.fetchAll(
                        db, sql: "SELECT text_hash FROM embedding WHERE model_hash = ? AND text_hash IN (\(marks))",
                        arguments: StatementArguments([model] + slice)))
                }
                return have
            }
        }
    }

    /// One run's changes, applied in one write transaction: a crash before the commit
    /// leaves the previous index, a crash after it the new one.
    struct Changes {
        var vectors: [EmbeddingRecord] = []
        var deleted: [String] = []
        /// Articles to insert, replacing any indexed version of the same path.
        var articles: [(record: ArticleRecord, chunks: [Chunk])] = []
    }

    /// Applies `changes`; returns the number of chunks written.
    @discardableResult
    func apply(_ changes: Changes, model: String) throws -> Int {
        try wrap {
            try queue.write { db in
                for var v in changes.vectors { try v.insert(db, onConflict: .replace) }
                var released = Set<String>()
                for path in changes.deleted { released.formUnion(try deleteArticle(db, path: path)) }
                var written = 0
                for (n, (record, chunks)) in changes.articles.enumerated() {
                    if n == changes.articles.count / 2 { KillPoint.midWrite.reach() }
                    released.formUnion(try deleteArticle(db, path: record.path))
                    var article = record
                    try article.insert(db)
                    guard let articleID = article.id else { continue }
                    for c in chunks {
                        var chunk = ChunkRecord(c, articleId: articleID)
                        try chunk.insert(db)
                        try db.execute(sql: "INSERT INTO chunk_fts(rowid, title, heading, body) VALUES (?, ?, ?, ?)",
                                       arguments: [chunk.id, record.title, FTSText.heading(c), FTSText.body(c)])
                        written += 1
                    }
                }
                // Vectors no chunk uses any more (texts edited away) leave the cache.
                for hash in released {
                    try db.execute(sql: """
                        DELETE FROM embedding WHERE model_hash = ? AND text_hash = ?
                          AND NOT EXISTS (SELECT 1 FROM chunk WHERE chunk.text_hash = ?)
                        """, arguments: [model, hash, hash])
                }
                KillPoint.beforeCommit.reach()
                return written
            }
        }
    }

    /// Deletes an article, its chunks and their FTS rows; returns the chunks' text hashes.
    private func deleteArticle(_ db: Database, path: String) throws -> [String] {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM article WHERE path = ?", arguments: [path]) else { return [] }
        let hashes = try String.fetchAll(db, sql: "SELECT text_hash FROM chunk WHERE articleId = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM chunk_fts WHERE rowid IN (SELECT id FROM chunk WHERE articleId = ?)", arguments: [id])
        try db.execute(sql: "DELETE FROM article WHERE id = ?", arguments: [id])   // chunks cascade
        return hashes
    }

    /// Folds the write-ahead log into the file and returns the file's size in bytes.
    func checkpointedSize() throws -> Int64 {
        try wrap {
            try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            return size?.int64Value ?? 0
        }
    }

    // MARK: Reading

    /// Each article's description, or its title when it has none, in path order.
    func descriptionsOrTitles() throws -> [String] {
        try wrap {
            try queue.read { db in
                try String.fetchAll(db, sql: "SELECT coalesce(nullif(trim(description), ''), title) FROM article ORDER BY path")
            }
        }
    }

    /// Everything search keeps in memory: articles, chunks and one contiguous matrix of
    /// vectors (row i = chunk i; zeros where the cache has no vector for `model`).
    func loadCorpus(model: String, dimension: Int) throws -> Corpus {
        try wrap {
            try queue.read { db in
                var corpus = Corpus(dimension: dimension)
                var articleRow: [Int64: Int32] = [:]
                let articles = try Row.fetchCursor(db, sql: "SELECT id, path, title, category, tags, external FROM article ORDER BY path")
                while let row = try articles.next() {
                    articleRow[row["id"]] = Int32(corpus.articles.count)
                    corpus.articles.append(Corpus.Article(
                        path: row["path"], title: row["title"], category: row["category"],
                        tags: JSONList.decode(row["tags"]), external: row["external"]))
                }
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk") ?? 0
                corpus.matrix.reserveCapacity(count * dimension)
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT chunk.id, chunk.articleId, chunk.idx, chunk.heading_path, chunk.text, embedding.vector
                    FROM chunk LEFT JOIN embedding ON embedding.model_hash = ? AND embedding.text_hash = chunk.text_hash
                    ORDER BY chunk.id
                    """, arguments: [model])
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    corpus.rowOfChunkID[id] = Int32(corpus.chunks.count)
                    corpus.chunks.append(Corpus.Chunk(id: id, article: articleRow[row[1]] ?? 0, index: row[2],
                                                      headingPath: row[3], text: row[4]))
                    if let blob = row[5] as Data?, blob.count == dimension * MemoryLayout<Float>.size {
                        blob.withUnsafeBytes { corpus.matrix.append(contentsOf: $0.bindMemory(to: Float.self)) }
                    } else {
                        corpus.matrix.append(contentsOf: repeatElement(0, count: dimension))
                        corpus.missingVectors += 1
                    }
                }
                corpus.keyword = try KeywordIndex(db, rowOfChunkID: corpus.rowOfChunkID, rows: corpus.chunks.count)
                return corpus
            }
        }
    }

    /// The terms of `query` as the FTS5 tokenizer of `chunk_fts` makes them.
    func terms(_ query: String, dropStopwords: Bool) throws -> [String] {
        try wrap { try queue.read { try KeywordIndex.terms(query, dropStopwords: dropStopwords, db: $0) } }
    }

    /// Chunks matching an FTS5 `match` expression, best BM25 first (score: higher is better),
    /// ranked by FTS5 itself: the reference the in-memory `KeywordIndex` reproduces.
    func keywordMatches(_ match: String, weights: (title: Double, heading: Double, body: Double),
                        limit: Int) throws -> [(chunkID: Int64, score: Double)] {
        try wrap {
            try queue.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT rowid, bm25(chunk_fts, ?, ?, ?) AS s FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY s LIMIT ?
                    """)
                var out: [(Int64, Double)] = []
                let rows = try Row.fetchCursor(statement, arguments: [weights.title, weights.heading, weights.body, match, limit])
                while let row = try rows.next() { out.append((row[0], -(row[1] as Double))) }
                return out
            }
        }
    }
}

/// What goes into the FTS columns of a chunk.
enum FTSText {
    /// Headings below the title (the title has its own column).
    static func heading(_ c: Chunk) -> String { c.headingPath.dropFirst().joined(separator: " ") }

    /// The chunk's plain text (its embed text without the heading path in front).
    static func body(_ c: Chunk) -> String {
        let prefix = c.headingPathString
        return c.embedText.hasPrefix(prefix) ? String(c.embedText.dropFirst(prefix.count)) : c.embedText
    }
}

/// Tag lists stored as JSON arrays.
enum JSONList {
    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
