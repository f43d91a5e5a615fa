import Foundation
import GRDB
import KBChunking
import KBEmbedding
import XCTest

@testable import KBIndex

/// Real SQLite files, the real model, a small knowledge base written by the test.
final class IndexTests: XCTestCase {
    /// The real model (a test is skipped, saying why, when it cannot be found).
    static let loaded = Result { try MiniLMEmbedder(modelDirectory: ModelFolder.url) }
    static var embedder: MiniLMEmbedder { get throws { try loaded.get() } }
    private var dir: URL!
    private var kb: URL { dir.appendingPathComponent("kb") }
    private var db: String { dir.appendingPathComponent("index.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: kb, withIntermediateDirectories: true)
        try write(
            "payments/card-declined.md", title: "Card payment declined", category: "Payments",
            body:
                "## Symptoms\n\nThe customer's card is refused at checkout with error ERR_PAY_402.\n\n## Resolution\n\nAsk the customer to contact their bank or use another card."
        )
        try write(
            "account/reset-2fa.md", title: "Reset two-factor authentication", category: "Account",
            body:
                "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again."
        )
        try write(
            "bank/connect.md", title: "Connect a bank account", category: "Bank feeds", tags: ["bank-feed"],
            body: "## Steps\n\nGo to Banking and choose Connect. Sign in to your bank to give consent.")
        try write(
            "internal/refund-limits.md", title: "Refund approval limits", category: "Internal", external: false,
            body:
                "Agents may refund up to 500 EUR without approval. Larger refunds go to the payments-escalation queue.")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func write(
        _ path: String, title: String, category: String, tags: [String] = [], external: Bool = true, body: String
    ) throws {
        let url = kb.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fm =
            "---\ntitle: \(title)\ncategory: \(category)\ntags: [\(tags.joined(separator: ", "))]\nexternal: \(external)\n---\n"
        try (fm + "# \(title)\n\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    private func index() throws -> IndexReport {
        try IndexWriter(path: db, chunker: Chunker(tokenizer: Self.embedder.tokenizer), embedder: Self.embedder).update(
            root: kb)
    }

    private func state(_ path: String) throws -> [String: String] {
        let q = try DatabaseQueue(path: path)
        return try q.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            let orphans =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_fts WHERE rowid NOT IN (SELECT id FROM chunk)")
                ?? -1
            XCTAssertEqual(orphans, 0, "FTS rows match chunks")
            return Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT path, content_hash FROM article").map {
                    ($0[0], $0[1])
                })
        }
    }

    func testIncrementalUpdatesOnlyWhatChanged() throws {
        let first = try index()
        XCTAssertEqual(first.added, 4)
        XCTAssertEqual(first.vectorsComputed, first.chunksWritten)

        let again = try index()
        XCTAssertEqual(again.unchanged, 4)
        XCTAssertEqual(again.chunksWritten, 0)
        XCTAssertEqual(again.vectorsComputed, 0, "nothing changed: no embedding, no write")

        try write(
            "bank/connect.md", title: "Connect a bank account", category: "Bank feeds", tags: ["bank-feed"],
            body:
                "## Steps\n\nGo to Banking and choose Connect. Sign in to your bank to give consent.\n\n## Troubleshooting\n\nIf the bank is not listed, import a statement instead."
        )
        try FileManager.default.removeItem(at: kb.appendingPathComponent("account/reset-2fa.md"))
        let edited = try index()
        XCTAssertEqual(edited.updated, 1)
        XCTAssertEqual(edited.deleted, 1)
        XCTAssertEqual(edited.unchanged, 2)
        XCTAssertLessThan(edited.vectorsComputed, edited.chunksWritten + 1)
        XCTAssertEqual(
            try state(db).keys.sorted(), ["bank/connect.md", "internal/refund-limits.md", "payments/card-declined.md"])
    }

    func testHybridSearchFindsDifferentWordingAndRespectsFilters() throws {
        _ = try index()
        let s = try Searcher(path: db, embedder: Self.embedder)
        let hits = try s.search("my credit card keeps getting rejected when I pay")
        XCTAssertEqual(hits.first?.articlePath, "payments/card-declined.md")
        XCTAssertFalse(
            try s.search("refund approval limit escalation queue").contains { $0.articlePath.hasPrefix("internal/") },
            "internal articles never appear for the external audience")
        XCTAssertEqual(
            try s.search("refund approval limit", options: SearchOptions(audience: .internal)).first?.articlePath,
            "internal/refund-limits.md")
        XCTAssertEqual(
            try s.search("connect", options: SearchOptions(tags: ["bank-feed"])).map(\.articlePath), ["bank/connect.md"]
        )
        XCTAssertEqual(
            try s.search("card", options: SearchOptions(mode: .keyword, category: "payments")).map(\.articlePath),
            ["payments/card-declined.md"])
        let semantic = try s.search("lost my phone, can't log in", options: SearchOptions(mode: .semantic))
        XCTAssertEqual(semantic.first?.articlePath, "account/reset-2fa.md")
        XCTAssertEqual(semantic.first?.chunks.first?.headingPath, "Reset two-factor authentication > Steps")
    }

    func testExternalExportNeverHoldsInternalContent() throws {
        _ = try index()
        let out = dir.appendingPathComponent("bundle")
        let m = try ExternalExport.write(indexPath: db, modelHash: Self.embedder.modelHash, to: out)
        XCTAssertEqual(m.articles, 3)
        let chunks = try String(contentsOf: out.appendingPathComponent("chunks.jsonl"), encoding: .utf8)
        XCTAssertFalse(chunks.contains("Refund approval limits") || chunks.contains("payments-escalation"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("articles/internal").path))
        let vectors = try Data(contentsOf: out.appendingPathComponent("vectors.f32"))
        XCTAssertEqual(vectors.count, m.chunks * 384 * 4)
        XCTAssertEqual(chunks.split(separator: "\n").count, m.chunks)
        let first = VectorBlob.floats(vectors.prefix(384 * 4))
        XCTAssertEqual(first.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-4, "real unit vectors, not placeholders")
    }

    /// The export ships what the index holds: an article made internal after the last index
    /// is not exported with its new text, and includes come rendered, not linked.
    func testExportReadsTheIndexNotTheFilesAsTheyAreNow() throws {
        let include = kb.appendingPathComponent("includes/contact.md")
        try FileManager.default.createDirectory(
            at: include.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "Still stuck? Write to the support team from the Help menu.\n".write(
            to: include, atomically: true, encoding: .utf8)
        try write(
            "payments/card-declined.md", title: "Card payment declined", category: "Payments",
            body:
                "## Resolution\n\nAsk the customer to use another card.\n\n[!INCLUDE [contact](../includes/contact.md)]"
        )
        _ = try index()
        // Made internal, with new text, after the index was written.
        try write(
            "payments/card-declined.md", title: "Card payment declined", category: "Payments", external: false,
            body: "Internal: the acquirer flags ERR_PAY_402 for accounts on the watch list.")
        let out = dir.appendingPathComponent("bundle")
        try ExternalExport.write(indexPath: db, modelHash: Self.embedder.modelHash, to: out)
        let article = try String(
            contentsOf: out.appendingPathComponent("articles/payments/card-declined.md"), encoding: .utf8)
        XCTAssertFalse(article.contains("watch list"), "the file as it is now never reaches the bundle")
        XCTAssertTrue(article.contains("Ask the customer to use another card."))
        XCTAssertTrue(article.contains("Write to the support team from the Help menu."), "the include rendered")
        XCTAssertFalse(article.contains("INCLUDE") || article.contains("includes/"), article)
        XCTAssertTrue(article.hasPrefix("---\ntitle: \"Card payment declined\"\n"), article)
    }

    /// An external article that includes an internal one does not carry the internal text
    /// into the index, the search or the export.
    func testAnInternalIncludeNeverReachesAnExternalArticle() throws {
        try write(
            "internal/escalation.md", title: "Escalation desk", category: "Internal", external: false,
            body: "Escalate chargebacks over 2000 EUR to the risk desk at extension 4417.")
        try write(
            "payments/chargebacks.md", title: "Chargebacks", category: "Payments",
            body: "## What happens\n\nThe bank reverses the payment.\n\n[!INCLUDE [desk](../internal/escalation.md)]")
        _ = try index()
        let out = dir.appendingPathComponent("bundle")
        try ExternalExport.write(indexPath: db, modelHash: Self.embedder.modelHash, to: out)
        let chunks = try String(contentsOf: out.appendingPathComponent("chunks.jsonl"), encoding: .utf8)
        let article = try String(
            contentsOf: out.appendingPathComponent("articles/payments/chargebacks.md"), encoding: .utf8)
        XCTAssertTrue(article.contains("The bank reverses the payment."))
        for text in [chunks, article] {
            XCTAssertFalse(text.contains("extension 4417"), "internal text through an include")
        }
    }

    func testFTSSyntaxNeverErrorsAndEmptyQueryIsAnError() throws {
        _ = try index()
        let s = try Searcher(path: db, embedder: Self.embedder)
        for q in ["\"unbalanced", "card*", "NEAR(card bank)", "-card", "title:card", "AND OR NOT", "((", "*", "😀"] {
            XCTAssertNoThrow(try s.search(q), q)
            XCTAssertNoThrow(try s.search(q, options: SearchOptions(mode: .keyword)), q)
        }
        XCTAssertThrowsError(try s.search("   ")) { XCTAssertTrue("\($0)".contains("empty")) }
    }

    /// BM25 scored in memory from the FTS5 index's own postings gives FTS5's `bm25()`:
    /// same chunks, same order, same scores, with filters applied the same way.
    func testInMemoryKeywordScoresEqualFTS5() throws {
        _ = try index()
        let fts = try Searcher(path: db, embedder: nil)
        let memory = try Searcher(path: db, embedder: nil, keywordIndex: true)
        XCTAssertNotNil(memory.keywordIndex)
        let queries = [
            "card declined at checkout", "Refund approval", "bank consent sign in", "lost phone recovery codes",
            "the payments", "ERR_PAY_402", "zzz-no-match",
        ]
        for audience in [Audience.external, .all] {
            let o = SearchOptions(mode: .keyword, audience: audience)
            for q in queries {
                let a = try fts.keywordChunks(q, o, limit: 50), b = try memory.keywordChunks(q, o, limit: 50)
                XCTAssertEqual(a.map(\.chunk), b.map(\.chunk), q)
                for (x, y) in zip(a, b) { XCTAssertEqual(x.score, y.score, accuracy: 1e-9 * max(1, abs(x.score)), q) }
            }
        }
        XCTAssertFalse(
            try memory.keywordChunks("refund approval", SearchOptions(mode: .keyword, audience: .all), limit: 5).isEmpty
        )
        XCTAssertTrue(
            try memory.keywordChunks("refund approval", SearchOptions(mode: .keyword, audience: .external), limit: 5)
                .allSatisfy { memory.chunks[$0.chunk].external }, "filters apply to in-memory scores")
    }

    /// The batch form (semantic scores per block of queries in one product, two threads)
    /// ranks as one search at a time (scores equal up to float rounding).
    func testBatchSearchEqualsOneByOne() throws {
        _ = try index()
        let s = try Searcher(path: db, embedder: Self.embedder, keywordIndex: true)
        let queries = (0..<70).map {
            ["my card was refused", "lost my phone, cannot sign in", "link the bank", "refund limits"][$0 % 4]
                + " \($0)"
        }
        let vectors = try Self.embedder.embed(queries)
        for audience in [Audience.external, .all] {
            let o = SearchOptions(mode: .hybrid, top: 3, audience: audience)
            let batch = try s.searchBatch(queries, vectors: vectors, options: o)
            XCTAssertEqual(batch.count, queries.count)
            for (i, q) in queries.enumerated() {
                let one = try s.search(q, vector: vectors[i], options: o)
                XCTAssertEqual(batch[i].map(\.articlePath), one.map(\.articlePath), q)
                // sgemm vs sgemv rounding
                for (a, b) in zip(batch[i], one) { XCTAssertEqual(a.score, b.score, accuracy: 1e-6, q) }
            }
        }
    }

    func testMissingAndForeignDatabasesAreClearErrors() throws {
        XCTAssertThrowsError(try Searcher(path: dir.appendingPathComponent("none.sqlite").path, embedder: nil)) {
            XCTAssertTrue("\($0)".contains("none.sqlite: no index here"), "\($0)")
        }
        let text = dir.appendingPathComponent("notes.sqlite")
        try "hello".write(to: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Searcher(path: text.path, embedder: nil)) {
            XCTAssertTrue("\($0)".contains("not an SQLite database"))
        }
        let other = dir.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t(x)") }
        XCTAssertThrowsError(
            try IndexWriter(path: other, chunker: Chunker(tokenizer: Self.embedder.tokenizer), embedder: Self.embedder)
                .update(root: kb)
        ) {
            XCTAssertTrue("\($0)".contains("not a SupportKB index"), "\($0)")
        }
    }

    /// Kills `kb index` with SIGKILL at several moments; the index must always be the old
    /// one or the new one, never a mix, and a rerun must finish the job.
    func testKillDuringIndexLeavesOldOrNewIndex() throws {
        _ = try index()
        let old = try state(db)
        let original = try Data(contentsOf: URL(fileURLWithPath: db))
        try write(
            "payments/card-declined.md", title: "Card payment declined", category: "Payments",
            body: "## Resolution\n\nThe card issuer refused the payment. Ask for another card. "
                + String(repeating: "More detail. ", count: 200))
        for i in 0..<6 {
            try write(
                "new/a\(i).md", title: "New article \(i)", category: "New",
                body: "Fresh text number \(i) about invoices and payments.")
        }
        let kbBinary = try XCTUnwrap(Self.kbExecutable(), "the kb executable is built next to the tests")
        var sawOld = false
        // `kb index` on a fresh copy of the old index, started.
        func startIndex(_ name: String) throws -> (process: Process, db: String) {
            let copy = dir.appendingPathComponent(name).path
            try original.write(to: URL(fileURLWithPath: copy))
            let p = Process()
            p.executableURL = kbBinary
            p.arguments = try ["index", "--kb", kb.path, "--db", copy, "--quiet", "--model", ModelFolder.url.path]
            p.standardError = FileHandle.nullDevice
            try p.run()
            return (p, copy)
        }
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0] {
            let (p, copy) = try startIndex("crash-\(delay).sqlite")
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let after = try state(copy)
            if after == old {
                sawOld = true
            } else {
                XCTAssertEqual(after.count, 10, "a changed index holds the whole new run (delay \(delay))")
                XCTAssertNotEqual(after["payments/card-declined.md"], old["payments/card-declined.md"])
            }
            // The next run finishes the job.
            let finished = try IndexWriter(
                path: copy, chunker: Chunker(tokenizer: Self.embedder.tokenizer), embedder: Self.embedder
            ).update(root: kb)
            XCTAssertEqual(try state(copy).count, 10)
            XCTAssertEqual(finished.articleFiles, 10)
        }
        XCTAssertTrue(sawOld, "at least one kill landed before the commit")
        // The same run, not killed, commits the new index: the other side of "old or new",
        // asserted whether or not a kill above happened to land after the commit.
        let (p, complete) = try startIndex("complete.sqlite")
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let new = try state(complete)
        XCTAssertEqual(new.count, 10)
        XCTAssertNotEqual(new["payments/card-declined.md"], old["payments/card-declined.md"])
    }

    /// The `kb` binary `swift build` put beside the test bundle (`.build/debug/kb`).
    static func kbExecutable() -> URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/kb")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
        }
        return nil
    }
}

/// The model folder (`$KB_MODEL_DIR`, else `.models/all-MiniLM-L6-v2` above this file).
enum ModelFolder {
    /// The model folder; a test that needs it is skipped, saying why, when it cannot be found
    /// (`scripts/setup.sh` fetches it), instead of the whole run crashing.
    static let located = Result { try ModelLocator.directory(searchingUpFrom: #filePath) }
    static var url: URL {
        get throws {
            do { return try located.get() } catch { throw XCTSkip("no model: \(error) (scripts/setup.sh fetches it)") }
        }
    }
}
