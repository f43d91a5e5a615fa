import Foundation
import KBChunking
import KBMarkdown

/// all-MiniLM-L6-v2 in Swift over OpenBLAS: the same vectors as sentence-transformers
/// with the model's `modules.json` (BERT, mean pooling, L2 normalisation).
///
/// Texts are tokenised, cut to the 256-token window like sentence-transformers, ordered by
/// length and batched at equal lengths, so no padding is ever computed. Whole batches go
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
    /// Texts are cut to this many ids, `[CLS]`/`[SEP]` included (the model window).
    public let maxLength: Int
    /// Cores used.
    public let workers: Int
    public let parallelism: Parallelism
    let weights: BertWeights
    /// At most this many token rows go through the model at once (bounds the buffers:
    /// 4,096 rows need about 60 MB of scratch per worker).
    let maxBatchTokens = 4096
    private let pool = WorkspacePool()
    private let hashLock = NSLock()
    nonisolated(unsafe) private var cachedModelHash: String?

    /// Loads the model folder (`config.json`, `model.safetensors`, `vocab.txt`); every
    /// tensor's dtype and shape is checked against `config.json`.
    public init(modelDirectory: URL, workers: Int = min(2, ProcessInfo.processInfo.activeProcessorCount),
                parallelism: Parallelism = .workers) throws {
        let safetensors = modelDirectory.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: safetensors) else { throw EmbeddingError.modelMissing(path: safetensors) }
        self.modelDirectory = modelDirectory
        tokenizer = try WordPieceTokenizer(directory: modelDirectory)
        weights = try BertWeights(directory: modelDirectory)
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

    /// SHA-256 (hex) of `model.safetensors`, the model half of every embedding-cache key;
    /// equal to `sha256sum model.safetensors`. Computed on first use (about 0.3 s).
    public var modelHash: String {
        hashLock.lock(); defer { hashLock.unlock() }
        if let cachedModelHash { return cachedModelHash }
        let path = modelDirectory.appendingPathComponent("model.safetensors").path
        let hash = (try? SHA256Hasher.hex(fileAt: path)) ?? "unreadable:\(path)"
        cachedModelHash = hash
        return hash
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
        let batches = Self.batches(lengths: encodings.map { min($0.ids.count, maxLength) }, maxTokens: maxBatchTokens)
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
                let n = batch.members.count, L = batch.length
                ws.reserve(rows: n * L, batch: n, hidden: H, intermediate: weights.intermediate, seqLen: L, heads: weights.heads)
                for (k, i) in batch.members.enumerated() {
                    // An over-long encoding keeps its first L − 1 ids and its last ([SEP]).
                    encodings[i].ids.withUnsafeBufferPointer { src in
                        (ws.ids.pointer + k * L).update(from: src.baseAddress!, count: L - 1)
                        ws.ids.pointer[k * L + L - 1] = src[src.count - 1]
                    }
                }
                weights.forward(batch: n, seqLen: L, ws: ws, parts: parts)
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
        var length: Int
        var members: [Int]
    }

    /// Groups indices by sequence length (longest first, so the workers finish together)
    /// into batches of at most `maxTokens` rows.
    static func batches(lengths: [Int], maxTokens: Int) -> [Batch] {
        var byLength: [Int: [Int]] = [:]
        for (i, n) in lengths.enumerated() { byLength[n, default: []].append(i) }
        var result: [Batch] = []
        for length in byLength.keys.sorted(by: >) {
            let members = byLength[length]!
            let per = max(1, maxTokens / max(1, length))
            var start = 0
            while start < members.count {
                result.append(Batch(length: length, members: Array(members[start..<min(start + per, members.count)])))
                start += per
            }
        }
        return result
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
