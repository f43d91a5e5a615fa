import Foundation
import KBChunking
import XCTest

@testable import KBEmbedding

/// The Swift model against sentence-transformers' vectors for the same model files
/// (fixture made by scripts/make_embedding_fixture.py).
final class EmbedderTests: XCTestCase {
    /// The real model (a test is skipped, saying why, when it cannot be found).
    static let loaded = Result { try MiniLMEmbedder(modelDirectory: ModelFolder.url) }
    static var embedder: MiniLMEmbedder { get throws { try loaded.get() } }

    struct Case: Decodable { let text: String; let vector: [Float] }

    func testVectorsEqualSentenceTransformers() throws {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "embedding-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let cases = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
        XCTAssertGreaterThanOrEqual(cases.count, 100)
        let got = try Self.embedder.embed(cases.map(\.text))
        var worstCosine: Float = 1, worstDiff: Float = 0
        for (c, v) in zip(cases, got) {
            XCTAssertEqual(v.count, 384)
            let cosine = zip(c.vector, v).reduce(0) { $0 + $1.0 * $1.1 }
            let diff = zip(c.vector, v).map { abs($0 - $1) }.max() ?? 0
            worstCosine = min(worstCosine, cosine)
            worstDiff = max(worstDiff, diff)
            XCTAssertGreaterThanOrEqual(cosine, 0.99999, "cosine for \(c.text.prefix(60).debugDescription)")
            XCTAssertLessThanOrEqual(diff, 1e-4, "max |difference| for \(c.text.prefix(60).debugDescription)")
        }
        print("exactness: worst cosine \(worstCosine), worst max|diff| \(worstDiff) over \(cases.count) texts")
    }

    /// A lone short text takes the single-query path (column-block strips shared with the
    /// spin lane); it must give the reference vectors too.
    func testSingleQueriesEqualSentenceTransformers() throws {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "embedding-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let cases = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }.filter { try Self.embedder.tokenizer.countTokens($0.text) + 2 <= Self.embedder.settings.smallRows }
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        XCTAssertGreaterThan(
            try Self.embedder.weights.layers[0].ffnOut.stripWidth(rows: 12, inner: 1536), 0,
            "a 12-token query must take the strip path")
        for c in cases {
            let v = try Self.embedder.embed([c.text])[0]
            let cosine = zip(c.vector, v).reduce(0) { $0 + $1.0 * $1.1 }
            let diff = zip(c.vector, v).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThanOrEqual(cosine, 0.99999, "cosine for \(c.text.prefix(60).debugDescription)")
            XCTAssertLessThanOrEqual(diff, 1e-4, "max |difference| for \(c.text.prefix(60).debugDescription)")
        }
    }

    /// A lone long text takes the shared plain path (the product's columns split between the
    /// two threads); it must give the reference vectors too.
    func testLoneLongTextsEqualSentenceTransformers() throws {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "embedding-fixture", withExtension: "jsonl", subdirectory: "Fixtures"))
        let cases = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }.filter { try Self.embedder.tokenizer.countTokens($0.text) + 2 > Self.embedder.settings.smallRows }
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for c in cases.prefix(30) {
            let v = try Self.embedder.embed([c.text])[0]
            let cosine = zip(c.vector, v).reduce(0) { $0 + $1.0 * $1.1 }
            let diff = zip(c.vector, v).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThanOrEqual(cosine, 0.99999, "cosine for \(c.text.prefix(60).debugDescription)")
            XCTAssertLessThanOrEqual(diff, 1e-4, "max |difference| for \(c.text.prefix(60).debugDescription)")
        }
    }

    func testBatchingDoesNotChangeVectorsAndLongTextsReportDroppedTokens() throws {
        let e = try Self.embedder
        let long = Array(repeating: "the invoice was paid", count: 120).joined(separator: " ")
        let texts = ["reset my password", long, "card declined", "reset my password"]
        let together = e.embedWithInfo(texts)
        let alone = try texts.map { try e.embed([$0])[0] }
        for (a, b) in zip(together, alone) {
            XCTAssertLessThanOrEqual(zip(a.vector, b).map { abs($0 - $1) }.max() ?? 1, 1e-6)
        }
        XCTAssertEqual(together[0].droppedTokens, 0)
        XCTAssertEqual(together[1].droppedTokens, e.tokenizer.countTokens(long) - 256)
        let norm = together[2].vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertEqual(norm, 1, accuracy: 1e-5)
    }

    func testBatchesAreLengthOrderedAndRagged() {
        let batches = MiniLMEmbedder.batches(lengths: [5, 9, 5, 9, 9, 3], maxTokens: 18)
        XCTAssertEqual(batches.map(\.members), [[1, 3], [4, 0], [2, 5]])
        XCTAssertEqual(batches.map(\.tokens), [18, 14, 8])
    }

    func testMissingAndBrokenModelFilesAreClearErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try MiniLMEmbedder(modelDirectory: dir)) {
            XCTAssertTrue("\($0)".contains("make setup"), "\($0)")
        }
        for f in ["vocab.txt", "config.json"] {
            try FileManager.default.copyItem(
                at: try ModelFolder.url.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let weights = dir.appendingPathComponent("model.safetensors")
        // Truncated: the real header, but the data cut short.
        let real = try Data(
            contentsOf: ModelFolder.url.appendingPathComponent("model.safetensors"), options: .alwaysMapped)
        try real.prefix(200_000).write(to: weights)
        XCTAssertThrowsError(try MiniLMEmbedder(modelDirectory: dir)) {
            XCTAssertTrue("\($0)".hasPrefix(weights.path + ": not a usable model file"), "\($0)")
        }
        // Foreign: not safetensors at all.
        try Data("PK\u{3}\u{4} this is a zip file, not weights".utf8).write(to: weights)
        XCTAssertThrowsError(try MiniLMEmbedder(modelDirectory: dir)) {
            XCTAssertTrue("\($0)".contains("not safetensors") || "\($0)".contains("does not fit"), "\($0)")
        }
    }

    func testKernelSelectionLogic() {
        XCTAssertEqual(
            BLASRuntime.supportedCoreType(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx2", "fma"]), "SkylakeX")
        XCTAssertEqual(BLASRuntime.supportedCoreType(cpuFlags: ["avx2", "fma"]), "Haswell")
        XCTAssertNil(BLASRuntime.supportedCoreType(cpuFlags: ["sse2"]))
        XCTAssertTrue(BLASRuntime.isFallback(kernel: "Prescott", supported: "SkylakeX"))
        XCTAssertFalse(BLASRuntime.isFallback(kernel: "SkylakeX", supported: "SkylakeX"))
        XCTAssertFalse(BLASRuntime.isFallback(kernel: "Prescott", supported: nil))
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
