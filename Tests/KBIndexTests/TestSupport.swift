import Foundation
import GRDB
import XCTest
import KBChunking
import KBEmbedding
@testable import KBIndex

/// The real model, loaded once for every index test.
enum Model {
    static let embedder: MiniLMEmbedder = try! MiniLMEmbedder(modelDirectory: ModelFolder.url)
    static var chunker: Chunker { Chunker(tokenizer: embedder.tokenizer) }
}

/// The model folder (`$KB_MODEL_DIR`, else `.models/all-MiniLM-L6-v2` above this file).
enum ModelFolder {
    static let url: URL = try! ModelLocator.directory(searchingUpFrom: #filePath)
}

/// A small knowledge base in a temporary folder, with its index file beside it.
final class TestKB {
    let dir: URL
    var root: URL { dir.appendingPathComponent("kb") }
    var db: String { dir.appendingPathComponent("index.sqlite").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try write("payments/card-declined.md", title: "Card payment declined", category: "Payments",
                  body: "## Symptoms\n\nThe customer's card is refused at checkout with error ERR_PAY_402.\n\n## Resolution\n\nAsk the customer to contact their bank or use another card.")
        try write("account/reset-2fa.md", title: "Reset two-factor authentication", category: "Account",
                  body: "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again.")
        try write("bank/connect.md", title: "Connect a bank account", category: "Bank feeds", tags: ["bank-feed"],
                  body: "## Steps\n\nGo to Banking and choose Connect. Sign in to your bank to give consent.")
        try write("internal/refund-limits.md", title: "Refund approval limits", category: "Internal", external: false,
                  body: "Agents may refund up to 500 EUR without approval. Larger refunds go to the payments-escalation queue.")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ path: String, title: String, category: String, tags: [String] = [], external: Bool = true, body: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fm = "---\ntitle: \(title)\ncategory: \(category)\ntags: [\(tags.joined(separator: ", "))]\nexternal: \(external)\n---\n"
        try (fm + "# \(title)\n\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

    @discardableResult
    func index(into path: String? = nil) throws -> IndexReport {
        try IndexWriter(path: path ?? db, chunker: Model.chunker, embedder: Model.embedder).update(root: root)
    }

    func searcher(_ parameters: RankingParameters = RankingParameters()) throws -> Searcher {
        try Searcher(path: db, embedder: Model.embedder, parameters: parameters)
    }
}

/// What an index file holds, checked for consistency: `path → content hash` of its
/// articles, after an integrity check and a check that FTS rows, chunks and vectors agree.
func indexState(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
    let q = try DatabaseQueue(path: path)
    return try q.read { db in
        XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok", file: file, line: line)
        let ftsOrphans = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_fts WHERE rowid NOT IN (SELECT id FROM chunk)") ?? -1
        let unindexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk WHERE id NOT IN (SELECT rowid FROM chunk_fts)") ?? -1
        let vectorless = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk WHERE text_hash NOT IN (SELECT text_hash FROM embedding)") ?? -1
        XCTAssertEqual([ftsOrphans, unindexed, vectorless], [0, 0, 0],
                       "FTS rows, chunks, vectors and articles agree", file: file, line: line)
        return Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT path, content_hash FROM article").map { ($0[0], $0[1]) })
    }
}

/// The `kb` binary that `swift build` puts beside the test bundle.
func kbExecutable() -> URL? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for config in ["debug", "release"] {
        let candidate = root.appendingPathComponent(".build/\(config)/kb")
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue { return candidate }
    }
    return nil
}
