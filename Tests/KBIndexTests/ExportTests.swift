import Foundation
import XCTest
@testable import KBIndex

final class ExportTests: XCTestCase {
    func testExternalExportNeverHoldsInternalContent() throws {
        let kb = try TestKB()
        try kb.index()
        let out = kb.dir.appendingPathComponent("bundle")
        let m = try ExternalExport.write(indexPath: kb.db, kb: kb.root, modelHash: Model.embedder.modelHash, to: out)
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
}
