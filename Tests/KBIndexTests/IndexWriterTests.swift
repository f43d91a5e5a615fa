import Foundation
import GRDB
import XCTest
@testable import KBIndex

/// Incremental indexing on real SQLite files with the real model.
final class IndexWriterTests: XCTestCase {
    func testSchemaIsMigratedAndRecordsRoundTrip() throws {
        let kb = try TestKB()
        try kb.index()
        let q = try DatabaseQueue(path: kb.db)
        try q.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'"), "supportkb-index")
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"), ["v1", "v2"])
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'chunk_fts'") ?? ""
            XCTAssertTrue(sql.contains("porter") && sql.contains("unicode61") && sql.contains("remove_diacritics"), sql)
            XCTAssertTrue(try db.tableExists("chunk_vocab"))

            let article = try XCTUnwrap(try ArticleRecord.filter(Column("path") == "bank/connect.md").fetchOne(db))
            XCTAssertEqual(article.title, "Connect a bank account")
            XCTAssertEqual(article.tags, ["bank-feed"])
            XCTAssertTrue(article.external)
            let chunks = try ChunkRecord.filter(Column("articleId") == article.id).order(Column("idx")).fetchAll(db)
            XCTAssertFalse(chunks.isEmpty)
            XCTAssertEqual(chunks.first?.headingPath, "Connect a bank account > Steps")
            XCTAssertEqual(chunks.first?.category, "Bank feeds")
            XCTAssertGreaterThan(chunks.first?.tokens ?? 0, 5)
            let vector = try XCTUnwrap(try EmbeddingRecord.filter(Column("text_hash") == chunks[0].textHash).fetchOne(db))
            XCTAssertEqual(vector.vector.count, 384 * 4)
            let floats = VectorBlob.floats(vector.vector)
            XCTAssertEqual(floats.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-3, "unit-length vectors")
        }
    }

    func testUnchangedArticlesCostNothingAndDeletedOnesDisappear() throws {
        let kb = try TestKB()
        let first = try kb.index()
        XCTAssertEqual(first.added, 4)
        XCTAssertEqual(first.vectorsComputed, first.chunksWritten)
        let before = try indexState(kb.db)

        let again = try kb.index()
        XCTAssertEqual([again.unchanged, again.added, again.updated, again.deleted, again.chunksWritten, again.vectorsComputed],
                       [4, 0, 0, 0, 0, 0], "nothing changed: no parse, no embedding, no write")
        XCTAssertEqual(try indexState(kb.db), before)

        try kb.remove("account/reset-2fa.md")
        let deleted = try kb.index()
        XCTAssertEqual(deleted.deleted, 1)
        XCTAssertEqual(try indexState(kb.db).keys.sorted(), ["bank/connect.md", "internal/refund-limits.md", "payments/card-declined.md"])
        XCTAssertFalse(try kb.searcher().search("recovery code authenticator", options: SearchOptions(mode: .keyword, audience: .all))
            .contains { $0.articlePath == "account/reset-2fa.md" })
    }

    /// An edit that adds a section re-embeds only the new chunk; the cache keeps the rest,
    /// and vectors of texts edited away leave the cache.
    func testEditedArticleReembedsOnlyChangedChunks() throws {
        let kb = try TestKB()
        let long = (1...40).map { "Sentence \($0) about bank feeds, statements and consent screens." }.joined(separator: " ")
        let sections = (1...4).map { "## Part \($0)\n\n\(long)" }
        try kb.write("bank/long.md", title: "Bank feed guide", category: "Bank feeds", body: sections.joined(separator: "\n\n"))
        let first = try kb.index()
        let chunksBefore = try DatabaseQueue(path: kb.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM chunk JOIN article ON article.id = chunk.articleId WHERE path = 'bank/long.md'") ?? 0 }
        XCTAssertGreaterThanOrEqual(chunksBefore, 4, "one chunk per section at least")
        XCTAssertEqual(first.vectorsComputed, first.chunksWritten)

        var edited = sections
        edited[2] = "## Part 3\n\nThis section was rewritten: consent now lasts 180 days."
        try kb.write("bank/long.md", title: "Bank feed guide", category: "Bank feeds", body: edited.joined(separator: "\n\n"))
        let report = try kb.index()
        XCTAssertEqual(report.updated, 1)
        XCTAssertEqual(report.unchanged, 4)
        XCTAssertEqual(report.vectorsComputed, 1, "only the rewritten section is embedded again")
        XCTAssertEqual(report.vectorsCached, report.chunksWritten - 1)
        let vectors = try DatabaseQueue(path: kb.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM embedding") ?? 0 }
        let distinctTexts = try DatabaseQueue(path: kb.db).read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT text_hash) FROM chunk") ?? 0 }
        XCTAssertEqual(vectors, distinctTexts, "the replaced section's vector left the cache")
        _ = try indexState(kb.db)
        let hit = try kb.searcher().search("how long does consent last", options: SearchOptions(top: 1))
        XCTAssertEqual(hit.first?.articlePath, "bank/long.md")
        XCTAssertEqual(hit.first?.chunks.first?.headingPath, "Bank feed guide > Part 3")
    }

    func testUnreadableArticleKeepsItsIndexedVersionAndIsReported() throws {
        let kb = try TestKB()
        try kb.index()
        let url = kb.root.appendingPathComponent("bank/connect.md")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0xFF]).write(to: url)   // a NUL byte: a binary file
        let report = try kb.index()
        XCTAssertEqual(report.skipped, ["bank/connect.md"])
        XCTAssertTrue(report.diagnostics.contains { $0.path == "bank/connect.md" }, "\(report.diagnostics)")
        XCTAssertEqual(try indexState(kb.db).count, 4, "the previous version stays searchable")
    }

    func testMissingAndForeignDatabasesAreClearErrors() throws {
        let kb = try TestKB()
        let missing = kb.dir.appendingPathComponent("none.sqlite").path
        XCTAssertThrowsError(try Searcher(path: missing, embedder: nil)) {
            XCTAssertEqual("\($0)", "\(missing): no index here; build one with `kb index --kb DIR --db \(missing)`")
        }
        let text = kb.dir.appendingPathComponent("notes.sqlite")
        try "hello".write(to: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Searcher(path: text.path, embedder: nil)) {
            XCTAssertEqual("\($0)", "\(text.path): not a SupportKB index (not an SQLite database)")
        }
        let other = kb.dir.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t(x)") }
        XCTAssertThrowsError(try kb.index(into: other)) {
            XCTAssertTrue("\($0)".hasPrefix("\(other): not a SupportKB index"), "\($0)")
        }
        XCTAssertThrowsError(try Searcher(path: other, embedder: nil)) {
            XCTAssertTrue("\($0)".hasPrefix("\(other): not a SupportKB index"), "\($0)")
        }
        XCTAssertEqual(try DatabaseQueue(path: other).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master") }, ["t"],
                       "a foreign database is never written")
    }
}
