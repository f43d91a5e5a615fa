import Foundation
import KBChunking
import KBMarkdown
import KBSupport
import Synchronization

/// all-MiniLM-L6-v2 in Swift over OpenBLAS: the same vectors as sentence-transformers
/// with the model's `modules.json` (BERT, mean pooling, L2 normalisation).
///
/// Texts are tokenised, ordered by length and batched at equal lengths, so no padding is
/// ever computed; two workers (OpenBLAS single-threaded in each) share the batches.
public final class MiniLMEmbedder: TextEmbedder, Sendable {
    public let tokenizer: WordPieceTokenizer
    public let modelHash: String
    public var dimension: Int { weights.hidden }
    /// The OpenBLAS kernel in use.
    public let kernel: String
    /// Texts are cut to this many ids, `[CLS]`/`[SEP]` included (the model window).
    public let maxLength: Int
    let weights: BertWeights
    /// Threads, batch size and kernel sizes (``EmbedderSettings``).
    public let settings: EmbedderSettings
    /// Threads sharing the batches (OpenBLAS runs single-threaded in each).
    public var workers: Int { settings.workers }
    private let pool = WorkspacePool()
    private let lane = SpinLane()

    /// Loads the model folder (`config.json`, `model.safetensors`, `vocab.txt`).
    public init(modelDirectory: URL, settings: EmbedderSettings = EmbedderSettings()) throws {
        self.settings = settings
        let safetensors = modelDirectory.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: safetensors) else {
            throw EmbeddingError.modelMissing(path: safetensors)
        }
        tokenizer = try WordPieceTokenizer(directory: modelDirectory)
        weights = try BertWeights(directory: modelDirectory, settings: settings)
        modelHash = try Self.fileHash(safetensors)
        maxLength = min(WordPieceTokenizer.modelWindow, weights.maxPositions)
        if settings.workers > 1 { BLASRuntime.useSingleThreadedBLAS() }
        kernel = BLASRuntime.kernel
    }

    /// ``init(modelDirectory:settings:)`` with `workers` threads and the measured sizes.
    public convenience init(modelDirectory: URL, workers: Int) throws {
        try self.init(modelDirectory: modelDirectory, settings: EmbedderSettings(workers: workers))
    }

    /// Loads the default model folder (`.models/all-MiniLM-L6-v2` here or above the executable).
    public convenience init() throws {
        try self.init(modelDirectory: ModelLocator.directory())
    }

    public func embed(_ texts: [String]) throws -> [[Float]] {
        embedWithInfo(texts).map(\.vector)
    }

    /// Vectors for `texts`, telling `progress` how many texts are done (of `texts.count`)
    /// after each batch, from whichever worker finished it.
    public func embed(_ texts: [String], progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void) -> [[Float]]
    {
        let encodings =
            texts.count > 64
            ? texts.parallelEncode(tokenizer, maxLength: maxLength)
            : texts.map { tokenizer.encode($0, maxLength: maxLength) }
        return embed(encodings: encodings, progress: progress)
    }

    /// Vectors with the number of word pieces truncation dropped from each text.
    public func embedWithInfo(_ texts: [String]) -> [(vector: [Float], droppedTokens: Int)] {
        let encodings =
            texts.count > 64
            ? texts.parallelEncode(tokenizer, maxLength: maxLength)
            : texts.map { tokenizer.encode($0, maxLength: maxLength) }
        let vectors = embed(encodings: encodings)
        return zip(vectors, encodings).map { ($0, $1.droppedTokens) }
    }

    /// Vectors for already-encoded texts (`[CLS] … [SEP]` ids), in input order.
    public func embed(
        encodings: [Encoding], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> [[Float]] {
        let H = weights.hidden
        let lengths = encodings.map(\.ids.count)
        // Enough batches to keep every worker busy; a lone small batch (a query) instead
        // shares each of its products between the workers.
        let total = lengths.reduce(0, +)
        let share = total >= 2 * settings.smallRows ? (total + workers - 1) / workers : total
        let batches = Self.batches(lengths: lengths, maxTokens: max(1, min(settings.maxBatchTokens, share)))
        var output = [Float](repeating: 0, count: encodings.count * H)
        output.withUnsafeMutableBufferPointer { outBuffer in
            nonisolated(unsafe) let out = outBuffer.baseAddress!
            // A lone batch (a query) shares each product between the workers instead.
            let shared = batches.count == 1 && workers > 1 && lane.acquire()
            defer { if shared { lane.release() } }
            let finished = WorkCounter()
            let run: @Sendable (Batch) -> Void = { [self] batch in
                let ws = pool.take()
                defer { pool.put(ws) }
                var ids: [Int32] = []
                ids.reserveCapacity(batch.tokens)
                for i in batch.members { ids += encodings[i].ids }
                var vectors = [Float](repeating: 0, count: batch.members.count * H)
                ids.withUnsafeBufferPointer { idp in
                    vectors.withUnsafeMutableBufferPointer { vp in
                        weights.forward(
                            ids: idp, lengths: batch.members.map { encodings[$0].ids.count }, ws: ws,
                            out: vp.baseAddress!, lane: shared ? lane : nil)
                    }
                }
                for (k, i) in batch.members.enumerated() {
                    for c in 0..<H { out[i * H + c] = vectors[k * H + c] }
                }
                if let progress { progress(finished.take(batch.members.count) + batch.members.count, encodings.count) }
            }
            if workers == 1 || batches.count == 1 {
                batches.forEach(run)
            } else {
                let next = WorkCounter()
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let b = next.take()
                        if b >= batches.count { break }
                        run(batches[b])
                    }
                }
            }
        }
        return (0..<encodings.count).map { Array(output[$0 * H..<($0 + 1) * H]) }
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

    /// A fast 64-bit hash of the whole weights file, read 8 bytes at a time: the model
    /// half of every embedding-cache key.
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

    /// A stable hash of a text, the other half of an embedding-cache key.
    public static func textHash(_ text: String) -> String {
        var h = ContentHash()
        var h2 = ContentHash(secondLane: ())
        for b in text.utf8 {
            h.add(b)
            h2.add(b)
        }
        return h.hex + h2.hex
    }
}

/// Reusable worker buffers.
private final class WorkspacePool: Sendable {
    private let free = Mutex<[Workspace]>([])

    func take() -> Workspace { free.withLock { $0.popLast() } ?? Workspace() }

    func put(_ ws: Workspace) { free.withLock { $0.append(ws) } }
}

extension Array where Element == String {
    /// Encodes on all cores, in order.
    func parallelEncode(_ tokenizer: WordPieceTokenizer, maxLength: Int) -> [Encoding] {
        parallelMap { tokenizer.encode($0, maxLength: maxLength) }
    }
}
