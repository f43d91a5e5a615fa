import Foundation
import KBChunking
import KBMarkdown

/// all-MiniLM-L6-v2 in Swift over OpenBLAS: the same vectors as sentence-transformers
/// with the model's `modules.json` (BERT, mean pooling, L2 normalisation).
///
/// Texts are tokenised, cut to the 256-token window like sentence-transformers, ordered by
/// length and packed into ragged batches, so no padding is ever computed. Whole batches go
/// to the workers (OpenBLAS single-threaded in each); a lone batch, such as one query, is
/// split across the workers instead. Safe to call from several threads.
public final class MiniLMEmbedder: TextEmbedder, @unchecked Sendable {
    /// One embedded text: its unit vector and how many word pieces truncation dropped.
    public struct Embedding: Sendable {
        public var vector: [Float]
        public var droppedTokens: Int
    }

    /// How the embedder spreads work over cores.
    public enum Parallelism: String, Sendable, CaseIterable {
        /// Own workers: whole batches to each worker when there are several, a single
        /// batch split across the workers; OpenBLAS single-threaded. The default.
        case workers
        /// Own workers, every batch split across them (never whole batches).
        case split
        /// Batches one after another; OpenBLAS splits each product over its own threads.
        case blas
    }

    public let tokenizer: WordPieceTokenizer
    /// The model folder.
    public let modelDirectory: URL
    public var dimension: Int { weights.hidden }
    /// The OpenBLAS kernel in use (`openblas_get_corename`), e.g. `SkylakeX`.
    public let kernelName: String
    /// Same as ``kernelName``.
    public var kernel: String { kernelName }
    /// A 64-bit hash (hex) of all of `model.safetensors`, the model half of every
    /// embedding-cache key; reading the mapped file takes tens of milliseconds.
    public let modelHash: String
    /// Texts are cut to this many ids, `[CLS]`/`[SEP]` included (the model window).
    public let maxLength: Int
    /// Cores used.
    public let workers: Int
    public let parallelism: Parallelism
    let weights: BertWeights
    /// At most this many token rows go through the model at once (bounds the buffers:
    /// 2,048 rows need about 30 MB of scratch per worker). `KB_EMBED_BATCH_TOKENS`
    /// overrides it for measurements.
    let maxBatchTokens = Int(ProcessInfo.processInfo.environment["KB_EMBED_BATCH_TOKENS"] ?? "") ?? 2048
    private let pool = WorkspacePool()

    /// Loads the model folder (`config.json`, `model.safetensors`, `vocab.txt`); every
    /// tensor's dtype and shape is checked against `config.json`.
    /// `workers` defaults to `KB_EMBED_WORKERS`, else up to two cores.
    public init(modelDirectory: URL,
                workers: Int = Int(ProcessInfo.processInfo.environment["KB_EMBED_WORKERS"] ?? "")
                    ?? min(2, ProcessInfo.processInfo.activeProcessorCount),
                parallelism: Parallelism = .workers) throws {
        let safetensors = modelDirectory.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: safetensors) else { throw EmbeddingError.modelMissing(path: safetensors) }
        self.modelDirectory = modelDirectory
        tokenizer = try WordPieceTokenizer(directory: modelDirectory)
        weights = try BertWeights(directory: modelDirectory)
        modelHash = try Self.fileHash(safetensors)
        maxLength = min(WordPieceTokenizer.modelWindow, weights.maxPositions)
        self.workers = max(1, workers)
        self.parallelism = parallelism
        kernelName = BLASRuntime.kernel
    }

    /// Loads the default model folder (`$KB_MODEL_DIR`, else `.models/all-MiniLM-L6-v2`
    /// in the current folder or above the executable).
    public convenience init() throws {
        try self.init(modelDirectory: ModelLocator.directory())
    }

    /// SHA-256 (hex) of the text's UTF-8 bytes: the text half of an embedding-cache key.
    public static func textHash(_ text: String) -> String {
        SHA256Hasher.hex(Array(text.utf8))
    }

    /// L2-normalised vectors, one per text, in input order.
    public func embed(_ texts: [String]) throws -> [[Float]] {
        embedWithInfo(texts).map(\.vector)
    }

    /// Vectors with the number of word pieces truncation dropped from each text.
    public func embedWithInfo(_ texts: [String]) -> [Embedding] {
        let encodings = encode(texts)
        return zip(embed(encodings: encodings), encodings).map { Embedding(vector: $0, droppedTokens: $1.droppedTokens) }
    }

    /// `[CLS] … [SEP]` ids for each text, cut to the window (on all cores for many texts).
    public func encode(_ texts: [String]) -> [Encoding] {
        texts.count > 64 ? texts.parallelMap { [tokenizer, maxLength] in tokenizer.encode($0, maxLength: maxLength) }
                         : texts.map { tokenizer.encode($0, maxLength: maxLength) }
    }

    /// Vectors for already-encoded texts (`[CLS] … [SEP]` ids, at most ``maxLength``), in
    /// input order.
    public func embed(encodings: [Encoding]) -> [[Float]] {
        let H = weights.hidden
        precondition(encodings.allSatisfy { !$0.ids.isEmpty }, "an encoding holds at least [CLS] and [SEP]")
        let lengths = encodings.map { min($0.ids.count, maxLength) }
        let batches = Self.batches(lengths: lengths, maxTokens: maxBatchTokens)
        var output = [[Float]](repeating: [], count: encodings.count)
        let wholeBatches = parallelism == .workers && workers > 1 && batches.count >= workers
        let parts = (parallelism == .blas || wholeBatches) ? 1 : workers
        // OpenBLAS's thread count is process-wide: set it for this call's mode.
        let blasThreads = parallelism == .blas ? workers : 1
        if BLASRuntime.threads != blasThreads { BLASRuntime.setThreads(blasThreads) }
        output.withUnsafeMutableBufferPointer { outBuffer in
            nonisolated(unsafe) let out = outBuffer
            let run = { [self] (batch: Batch) in
                let ws = pool.take()
                defer { pool.put(ws) }
                let memberLengths = batch.members.map { lengths[$0] }
                ws.reserve(rows: batch.tokens, batch: memberLengths.count, hidden: H, intermediate: weights.intermediate,
                           maxLength: memberLengths.max() ?? 0, heads: weights.heads)
                var row = 0
                for (i, L) in zip(batch.members, memberLengths) {
                    // An over-long encoding keeps its first L − 1 ids and its last ([SEP]).
                    encodings[i].ids.withUnsafeBufferPointer { src in
                        (ws.ids.pointer + row).update(from: src.baseAddress!, count: L - 1)
                        ws.ids.pointer[row + L - 1] = src[src.count - 1]
                    }
                    row += L
                }
                weights.forward(lengths: memberLengths, ws: ws, parts: parts)
                for (k, i) in batch.members.enumerated() {
                    out[i] = Array(UnsafeBufferPointer(start: ws.vectors.pointer + k * H, count: H))
                }
            }
            if wholeBatches {
                nonisolated(unsafe) let run = run
                let next = Counter()
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let b = next.increment()
                        if b >= batches.count { break }
                        run(batches[b])
                    }
                }
            } else {
                batches.forEach(run)
            }
        }
        return output
    }

    struct Batch: Sendable {
        var members: [Int]
        var tokens: Int
    }

    /// Orders texts by length (longest first, so the workers finish together) and packs
    /// them into ragged batches of at most `maxTokens` rows: no padding, and batches large
    /// enough for efficient matrix products whatever the spread of lengths.
    static func batches(lengths: [Int], maxTokens: Int) -> [Batch] {
        let order = lengths.indices.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        var result: [Batch] = []
        var current = Batch(members: [], tokens: 0)
        for i in order {
            if current.tokens + lengths[i] > maxTokens, !current.members.isEmpty {
                result.append(current)
                current = Batch(members: [], tokens: 0)
            }
            current.members.append(i)
            current.tokens += lengths[i]
        }
        if !current.members.isEmpty { result.append(current) }
        return result
    }

    /// A fast 64-bit hash of the whole weights file, read 8 bytes at a time.
    static func fileHash(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        var h: UInt64 = 0x9E3779B97F4A7C15 ^ UInt64(data.count)
        data.withUnsafeBytes { raw in
            let words = raw.count / 8
            let p = raw.baseAddress!
            for i in 0..<words {
                h = (h ^ p.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0xff51afd7ed558ccd
                h ^= h >> 33
            }
            for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* 0xc4ceb9fe1a85ec53 }
        }
        return String(format: "%016llx", h)
    }
}

/// Reusable worker buffers.
private final class WorkspacePool: @unchecked Sendable {
    private var free: [Workspace] = []
    private let lock = NSLock()

    func take() -> Workspace {
        lock.lock(); defer { lock.unlock() }
        return free.popLast() ?? Workspace()
    }

    func put(_ ws: Workspace) {
        lock.lock(); defer { lock.unlock() }
        free.append(ws)
    }
}

/// Hands out batch numbers to workers.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
