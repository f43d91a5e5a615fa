import Foundation
import XCTest
import KBChunking
@testable import KBEmbedding

/// The Swift model against sentence-transformers' vectors for the same model files
/// (fixture made by scripts/make_embedding_fixture.py).
final class EmbedderTests: XCTestCase {
    static let embedder: MiniLMEmbedder = {
        try! MiniLMEmbedder(modelDirectory: ModelFolder.url)
    }()

    struct Case: Decodable { let text: String; let ids: [Int32]; let dropped: Int; let vector: [Float] }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "embedding-fixture", withExtension: "jsonl", subdirectory: "Fixtures")!
        return try! String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
    }()

    /// Every vector against the reference: cosine ≥ 0.99999 and max |difference| ≤ 1e-4.
    func assertMatchesReference(_ got: [[Float]], _ label: String) {
        var worstCosine: Float = 1, worstDiff: Float = 0
        for (c, v) in zip(Self.cases, got) {
            XCTAssertEqual(v.count, 384)
            let cosine = zip(c.vector, v).reduce(0) { $0 + $1.0 * $1.1 }
            let diff = zip(c.vector, v).map { abs($0 - $1) }.max() ?? 0
            worstCosine = min(worstCosine, cosine)
            worstDiff = max(worstDiff, diff)
            XCTAssertGreaterThanOrEqual(cosine, 0.99999, "cosine for \(c.text.prefix(60).debugDescription)")
            XCTAssertLessThanOrEqual(diff, 1e-4, "max |difference| for \(c.text.prefix(60).debugDescription)")
        }
        XCTAssertEqual(got.count, Self.cases.count)
        print("exactness (\(label)): worst cosine \(worstCosine), worst max|diff| \(worstDiff) over \(got.count) texts")
    }

    /// The model alone, on the ids sentence-transformers fed it: no tokenizer involved.
    func testModelOnReferenceIdsEqualsSentenceTransformers() {
        let cases = Self.cases
        XCTAssertGreaterThanOrEqual(cases.count, 100)
        XCTAssertGreaterThanOrEqual(cases.filter { $0.ids.count == 256 }.count, 10, "full-window texts")
        XCTAssertGreaterThanOrEqual(cases.filter { $0.text.unicodeScalars.contains { !$0.isASCII } }.count, 10, "non-ASCII texts")
        assertMatchesReference(Self.embedder.embed(encodings: cases.map { Encoding(ids: $0.ids, droppedTokens: $0.dropped) }), "ids")
    }

    /// Text in, vector out: tokenizer, 256-token cut and model together.
    func testTextsEqualSentenceTransformers() throws {
        let got = Self.embedder.embedWithInfo(Self.cases.map(\.text))
        for (c, e) in zip(Self.cases, got) {
            XCTAssertEqual(e.droppedTokens, c.dropped, "dropped word pieces for \(c.text.prefix(60).debugDescription)")
        }
        XCTAssertEqual(Self.cases.map { Self.embedder.tokenizer.encode($0.text).ids }, Self.cases.map(\.ids))
        assertMatchesReference(got.map(\.vector), "texts")
    }

    /// Each way of using the cores gives the same vectors.
    func testParallelismModesAgree() throws {
        let texts = stride(from: 0, to: Self.cases.count, by: 6).map { Self.cases[$0].text }
        let base = Self.embedder.embedWithInfo(texts).map(\.vector)
        for mode in [MiniLMEmbedder.Parallelism.split, .blas] {
            let other = try MiniLMEmbedder(modelDirectory: ModelFolder.url, workers: 2, parallelism: mode)
            let got = try other.embed(texts)
            for (a, b) in zip(base, got) { XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) }.max() ?? 1, 1e-5, "\(mode)") }
        }
    }

    func testBatchingDoesNotChangeVectorsAndLongTextsReportDroppedTokens() throws {
        let e = Self.embedder
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
            try FileManager.default.copyItem(at: ModelFolder.url.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let weights = dir.appendingPathComponent("model.safetensors")
        // Truncated: the real header, but the data cut short.
        let real = try Data(contentsOf: ModelFolder.url.appendingPathComponent("model.safetensors"), options: .alwaysMapped)
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
        XCTAssertEqual(BLASRuntime.supportedCoreType(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx2", "fma"]), "SkylakeX")
        XCTAssertEqual(BLASRuntime.supportedCoreType(cpuFlags: ["avx2", "fma"]), "Haswell")
        XCTAssertNil(BLASRuntime.supportedCoreType(cpuFlags: ["sse2"]))
        XCTAssertTrue(BLASRuntime.isFallback(kernel: "Prescott", supported: "SkylakeX"))
        XCTAssertFalse(BLASRuntime.isFallback(kernel: "SkylakeX", supported: "SkylakeX"))
        XCTAssertFalse(BLASRuntime.isFallback(kernel: "Prescott", supported: nil))
    }
}

/// The model folder (`$KB_MODEL_DIR`, else `.models/all-MiniLM-L6-v2` above this file).
enum ModelFolder {
    static let url: URL = try! ModelLocator.directory(searchingUpFrom: #filePath)
}

/// Cache keys: SHA-256 against published test vectors and against `sha256sum`.
final class HashTests: XCTestCase {
    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256Hasher.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(MiniLMEmbedder.textHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(MiniLMEmbedder.textHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Across block boundaries and in uneven pieces.
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(SHA256Hasher.hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var h = SHA256Hasher()
        var rest = million[...]
        var step = 1
        while !rest.isEmpty { h.update(Array(rest.prefix(step))); rest = rest.dropFirst(step); step = step % 97 + 13 }
        XCTAssertEqual(h.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        XCTAssertNotEqual(MiniLMEmbedder.textHash("café"), MiniLMEmbedder.textHash("cafe"))
    }

    func testModelHashCoversTheWholeFile() throws {
        let path = ModelFolder.url.appendingPathComponent("model.safetensors").path
        let hash = EmbedderTests.embedder.modelHash
        XCTAssertEqual(hash.count, 16)
        XCTAssertEqual(hash, try MiniLMEmbedder.fileHash(path))
        // One flipped byte deep inside the weights changes it.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kb-weights-\(UUID().uuidString)")
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count / 2] ^= 1
        try data.write(to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        XCTAssertNotEqual(try MiniLMEmbedder.fileHash(copy.path), hash)
    }
}
