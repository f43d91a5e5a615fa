import Foundation

/// BERT encoder weights, checked against `config.json`, copied once out of the mapped
/// safetensors file into one aligned allocation. The query/key/value projections of each
/// layer are packed into one matrix so they run as a single product.
///
/// Weight matrices are stored transposed, `[in, out]` row-major, so products are `X · W`
/// with both operands untransposed: OpenBLAS packs that layout several times faster, and
/// narrow column strips of it go through its small-matrix kernel in place (short queries).
final class BertWeights: @unchecked Sendable {
    /// Pointers into ``storage``; immutable after `init`, so safe to share across threads.
    struct Layer {
        var qkv: UnsafePointer<Float>, qkvBias: UnsafePointer<Float>           // [H, 3H], [3H]
        var attnOut: UnsafePointer<Float>, attnOutBias: UnsafePointer<Float>   // [H, H], [H]
        var ln1Gamma: UnsafePointer<Float>, ln1Beta: UnsafePointer<Float>
        var ffnIn: UnsafePointer<Float>, ffnInBias: UnsafePointer<Float>       // [H, I], [I]
        var ffnOut: UnsafePointer<Float>, ffnOutBias: UnsafePointer<Float>     // [I, H], [H]
        var ln2Gamma: UnsafePointer<Float>, ln2Beta: UnsafePointer<Float>
    }

    let hidden: Int, heads: Int, intermediate: Int, maxPositions: Int, vocabulary: Int, eps: Float
    let wordEmbeddings: UnsafePointer<Float>, positionEmbeddings: UnsafePointer<Float>, tokenType0: UnsafePointer<Float>
    let embGamma: UnsafePointer<Float>, embBeta: UnsafePointer<Float>
    let layers: [Layer]
    private let storage: UnsafeMutableRawPointer

    init(directory: URL) throws(EmbeddingError) {
        let configPath = directory.appendingPathComponent("config.json").path
        guard let data = FileManager.default.contents(atPath: configPath) else { throw EmbeddingError.modelMissing(path: configPath) }
        guard let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EmbeddingError.badConfig(path: configPath, reason: "not a JSON object")
        }
        func int(_ key: String) throws(EmbeddingError) -> Int {
            guard let v = config[key] as? Int, v > 0 else { throw EmbeddingError.badConfig(path: configPath, reason: "missing or bad '\(key)'") }
            return v
        }
        guard (config["hidden_act"] as? String) == "gelu" else {
            throw EmbeddingError.badConfig(path: configPath, reason: "hidden_act must be gelu (erf)")
        }
        if let kind = config["position_embedding_type"] as? String, kind != "absolute" {
            throw EmbeddingError.badConfig(path: configPath, reason: "position_embedding_type '\(kind)' is not supported (absolute only)")
        }
        let H = try int("hidden_size"), I = try int("intermediate_size")
        hidden = H; intermediate = I
        heads = try int("num_attention_heads")
        maxPositions = try int("max_position_embeddings")
        vocabulary = try int("vocab_size")
        let typeVocab = try int("type_vocab_size"), count = try int("num_hidden_layers")
        eps = Float((config["layer_norm_eps"] as? Double) ?? 1e-12)
        guard H % heads == 0, H % 16 == 0, I % 16 == 0 else {
            throw EmbeddingError.badConfig(path: configPath, reason: "hidden_size \(H) must split into \(heads) heads and be a multiple of 16")
        }

        let st = try SafeTensors(path: directory.appendingPathComponent("model.safetensors").path)
        let prefix = st.entries["embeddings.word_embeddings.weight"] != nil ? "" : "bert."
        let perLayer = 3 * H * H + 3 * H + H * H + H + 2 * H + I * H + I + H * I + H + 2 * H
        let total = vocabulary * H + maxPositions * H + H + 2 * H + count * perLayer
        storage = UnsafeMutableRawPointer.allocate(byteCount: total * 4, alignment: 64)
        let base = storage.bindMemory(to: Float.self, capacity: total)
        var cursor = base
        var failure: EmbeddingError?
        /// Copies one tensor (or the first `take` floats of it) to the cursor; returns where it went.
        func put(_ name: String, _ shape: [Int], take: Int? = nil) -> UnsafePointer<Float> {
            let at = cursor
            do {
                let n = try st.copy(prefix + name, shape: shape, to: cursor, count: take)
                cursor += n
            } catch {
                if failure == nil { failure = error }
            }
            return UnsafePointer(at)
        }
        /// Copies `[rows, cols]` matrices stacked as one `[Σrows, cols]` matrix, transposed to
        /// `[cols, Σrows]`, to the cursor.
        func putTransposed(_ names: [String], _ shapes: [[Int]]) -> UnsafePointer<Float> {
            let rows = shapes.reduce(0) { $0 + $1[0] }, cols = shapes[0][1]
            let stacked = UnsafeMutablePointer<Float>.allocate(capacity: rows * cols)
            defer { stacked.deallocate() }
            var r = 0
            for (name, shape) in zip(names, shapes) {
                do { _ = try st.copy(prefix + name, shape: shape, to: stacked + r * cols) } catch { if failure == nil { failure = error } }
                r += shape[0]
            }
            let at = cursor
            for i in 0..<rows { for j in 0..<cols { at[j * rows + i] = stacked[i * cols + j] } }
            cursor += rows * cols
            return UnsafePointer(at)
        }
        wordEmbeddings = put("embeddings.word_embeddings.weight", [vocabulary, H])
        positionEmbeddings = put("embeddings.position_embeddings.weight", [maxPositions, H])
        tokenType0 = put("embeddings.token_type_embeddings.weight", [typeVocab, H], take: H)
        embGamma = put("embeddings.LayerNorm.weight", [H])
        embBeta = put("embeddings.LayerNorm.bias", [H])
        var layers: [Layer] = []
        for l in 0..<count {
            let p = "encoder.layer.\(l)."
            let qkv = putTransposed([p + "attention.self.query.weight", p + "attention.self.key.weight",
                                     p + "attention.self.value.weight"], [[H, H], [H, H], [H, H]])
            let qkvBias = put(p + "attention.self.query.bias", [H])
            _ = put(p + "attention.self.key.bias", [H]); _ = put(p + "attention.self.value.bias", [H])
            layers.append(Layer(
                qkv: qkv, qkvBias: qkvBias,
                attnOut: putTransposed([p + "attention.output.dense.weight"], [[H, H]]), attnOutBias: put(p + "attention.output.dense.bias", [H]),
                ln1Gamma: put(p + "attention.output.LayerNorm.weight", [H]), ln1Beta: put(p + "attention.output.LayerNorm.bias", [H]),
                ffnIn: putTransposed([p + "intermediate.dense.weight"], [[I, H]]), ffnInBias: put(p + "intermediate.dense.bias", [I]),
                ffnOut: putTransposed([p + "output.dense.weight"], [[H, I]]), ffnOutBias: put(p + "output.dense.bias", [H]),
                ln2Gamma: put(p + "output.LayerNorm.weight", [H]), ln2Beta: put(p + "output.LayerNorm.bias", [H])))
        }
        self.layers = layers
        if let failure {
            storage.deallocate()
            throw failure
        }
        precondition(cursor - base == total, "weight layout size mismatch")
    }

    deinit { storage.deallocate() }
}

/// Scratch buffers for one forward pass, grown on demand and reused across batches, so
/// embedding allocates nothing per token or per batch once the largest batch has run.
final class Workspace {
    private(set) var x = Scratch<Float>(), qkv = Scratch<Float>(), ctx = Scratch<Float>(), tmp = Scratch<Float>()
    private(set) var ffn = Scratch<Float>(), scores = Scratch<Float>(), vectors = Scratch<Float>()
    private(set) var ids = Scratch<Int32>(), positions = Scratch<Int32>(), offsets = Scratch<Int>()

    /// Room for `rows` tokens in `batch` sequences of at most `maxLength` tokens.
    func reserve(rows: Int, batch: Int, hidden: Int, intermediate: Int, maxLength: Int, heads: Int) {
        x.reserve(rows * hidden); qkv.reserve(rows * 3 * hidden); ctx.reserve(rows * hidden); tmp.reserve(rows * hidden)
        ffn.reserve(rows * intermediate); scores.reserve(heads * maxLength * maxLength); vectors.reserve(batch * hidden)
        ids.reserve(rows); positions.reserve(rows); offsets.reserve(batch)
    }

    deinit {
        x.free(); qkv.free(); ctx.free(); tmp.free(); ffn.free(); scores.free(); vectors.free()
        ids.free(); positions.free(); offsets.free()
    }
}

/// A growable, 64-byte aligned buffer whose old contents are not kept when it grows.
struct Scratch<T> {
    private(set) var pointer = UnsafeMutablePointer<T>(bitPattern: 64)!
    private(set) var capacity = 0

    mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        free()
        pointer = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<T>.stride, alignment: 64)
            .bindMemory(to: T.self, capacity: n)
        capacity = n
    }

    mutating func free() {
        if capacity > 0 { pointer.deallocate() }
        capacity = 0
    }
}

/// Runs `body(part)` for every part in `0..<parts`, on `parts` threads when above one.
/// The parts write disjoint ranges of shared buffers and read only what earlier calls
/// finished, which is what makes sharing the raw pointers between them safe.
@inline(__always) func team(_ parts: Int, _ body: (Int) -> Void) {
    if parts == 1 { body(0); return }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: parts) { body($0) }
    }
}

/// Part `part` of `0..<n` cut into `parts` pieces whose bounds are multiples of `align`.
@inline(__always) func slice(_ n: Int, _ part: Int, _ parts: Int, align: Int = 16) -> Range<Int> {
    let size = ((n + parts - 1) / parts + align - 1) / align * align
    let lower = min(n, part * size)
    return lower..<(part == parts - 1 ? n : min(n, lower + size))
}
