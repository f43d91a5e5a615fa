import COpenBLAS
import Foundation

/// BERT encoder weights, checked against `config.json`, with the query/key/value
/// projections of each layer packed into one matrix so they run as a single product.
struct BertWeights: Sendable {
    /// Weight matrices are stored transposed, `[in, out]` row-major, so products are
    /// `X · W` with both operands untransposed (OpenBLAS packs that layout several times
    /// faster), plus a column-block copy for single queries (see `Dense`).
    struct Layer: Sendable {
        var qkv: Dense  // [H, 3·H]
        var attnOut: Dense  // [H, H]
        var ln1Gamma: [Float], ln1Beta: [Float]
        var ffnIn: Dense  // [H, I]
        var ffnOut: Dense  // [I, H]
        var ln2Gamma: [Float], ln2Beta: [Float]
    }

    let hidden: Int, heads: Int, intermediate: Int, maxPositions: Int, eps: Float
    let wordEmbeddings: [Float], positionEmbeddings: [Float], tokenType0: [Float]
    let embGamma: [Float], embBeta: [Float]
    let layers: [Layer]

    init(directory: URL, settings: EmbedderSettings) throws(EmbeddingError) {
        let configPath = directory.appendingPathComponent("config.json").path
        guard let data = FileManager.default.contents(atPath: configPath),
            let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw EmbeddingError.modelMissing(path: configPath)
        }
        func int(_ key: String) throws(EmbeddingError) -> Int {
            guard let v = config[key] as? Int, v > 0 else {
                throw EmbeddingError.badConfig(path: configPath, reason: "missing '\(key)'")
            }
            return v
        }
        guard (config["hidden_act"] as? String) == "gelu" else {
            throw EmbeddingError.badConfig(path: configPath, reason: "hidden_act must be gelu (erf)")
        }
        hidden = try int("hidden_size")
        heads = try int("num_attention_heads")
        intermediate = try int("intermediate_size")
        maxPositions = try int("max_position_embeddings")
        let vocab = try int("vocab_size"), typeVocab = try int("type_vocab_size"), count = try int("num_hidden_layers")
        eps = Float((config["layer_norm_eps"] as? Double) ?? 1e-12)
        guard hidden % heads == 0, hidden % 16 == 0 else {
            throw EmbeddingError.badConfig(
                path: configPath, reason: "hidden_size \(hidden) must split into \(heads) heads and be a multiple of 16"
            )
        }
        let st = try SafeTensors(path: directory.appendingPathComponent("model.safetensors").path)
        let prefix = st.entries["embeddings.word_embeddings.weight"] != nil ? "" : "bert."
        let H = hidden, I = intermediate
        wordEmbeddings = try st.floats(prefix + "embeddings.word_embeddings.weight", shape: [vocab, H])
        positionEmbeddings = try st.floats(prefix + "embeddings.position_embeddings.weight", shape: [maxPositions, H])
        tokenType0 = Array(
            try st.floats(prefix + "embeddings.token_type_embeddings.weight", shape: [typeVocab, H]).prefix(H))
        embGamma = try st.floats(prefix + "embeddings.LayerNorm.weight", shape: [H])
        embBeta = try st.floats(prefix + "embeddings.LayerNorm.bias", shape: [H])
        var layers: [Layer] = []
        for l in 0..<count {
            let p = prefix + "encoder.layer.\(l)."
            func w(_ name: String, _ shape: [Int]) throws(EmbeddingError) -> [Float] {
                try st.floats(p + name, shape: shape)
            }
            layers.append(
                Layer(
                    qkv: Dense(
                        torchWeight: try w("attention.self.query.weight", [H, H])
                            + w("attention.self.key.weight", [H, H])
                            + w("attention.self.value.weight", [H, H]),
                        bias: try w("attention.self.query.bias", [H]) + w("attention.self.key.bias", [H])
                            + w("attention.self.value.bias", [H]),
                        inputs: H, outputs: 3 * H, settings: settings),
                    attnOut: Dense(
                        torchWeight: try w("attention.output.dense.weight", [H, H]),
                        bias: try w("attention.output.dense.bias", [H]),
                        inputs: H, outputs: H, settings: settings),
                    ln1Gamma: try w("attention.output.LayerNorm.weight", [H]),
                    ln1Beta: try w("attention.output.LayerNorm.bias", [H]),
                    ffnIn: Dense(
                        torchWeight: try w("intermediate.dense.weight", [I, H]),
                        bias: try w("intermediate.dense.bias", [I]),
                        inputs: H, outputs: I, settings: settings),
                    ffnOut: Dense(
                        torchWeight: try w("output.dense.weight", [H, I]), bias: try w("output.dense.bias", [H]),
                        inputs: I, outputs: H, settings: settings),
                    ln2Gamma: try w("output.LayerNorm.weight", [H]), ln2Beta: try w("output.LayerNorm.bias", [H])))
        }
        self.layers = layers
    }
}

/// Scratch buffers for one worker, grown on demand and reused across batches. One forward
/// pass uses a workspace at a time; between passes it rests in the embedder's pool (behind a
/// `Mutex`), which is the only way it moves between threads.
final class Workspace: @unchecked Sendable {
    var x: [Float] = [], qkv: [Float] = [], ctx: [Float] = [], tmp: [Float] = [], ffn: [Float] = [],
        scores: [Float] = []

    func reserve(rows: Int, hidden: Int, intermediate: Int, seqLen: Int) {
        func grow(_ a: inout [Float], _ n: Int) { if a.count < n { a = [Float](repeating: 0, count: n) } }
        grow(&x, rows * hidden); grow(&qkv, rows * 3 * hidden); grow(&ctx, rows * hidden)
        grow(&tmp, rows * hidden); grow(&ffn, rows * intermediate); grow(&scores, seqLen * seqLen)
    }
}

/// The forward pass: embeddings, encoder layers, mean pooling, L2 normalisation.
extension BertWeights {
    /// Embeds sequences of the given `lengths` whose ids are laid out one after another in
    /// `ids` (a ragged batch: no padding anywhere); writes one unit vector of length
    /// `hidden` per sequence to `out`. Every per-token step runs over all rows at once;
    /// only attention and pooling look at sequence boundaries.
    /// `lane`, when given, shares each product of a small batch (a lone query).
    func forward(
        ids: UnsafeBufferPointer<Int32>, lengths: [Int], ws: Workspace,
        out: UnsafeMutablePointer<Float>, lane: SpinLane? = nil
    ) {
        let H = hidden, I = intermediate, M = lengths.reduce(0, +)
        let dh = H / heads
        let scale = 1 / Float(dh).squareRoot()
        var offsets: [Int] = []
        offsets.reserveCapacity(lengths.count)
        var positions = [Int](repeating: 0, count: M)
        var acc = 0
        for n in lengths {
            offsets.append(acc)
            for t in 0..<n { positions[acc + t] = t }
            acc += n
        }
        ws.reserve(rows: M, hidden: H, intermediate: I, seqLen: lengths.max() ?? 0)
        ws.x.withUnsafeMutableBufferPointer { xb in
            ws.qkv.withUnsafeMutableBufferPointer { qkvb in
                ws.ctx.withUnsafeMutableBufferPointer { ctxb in
                    ws.tmp.withUnsafeMutableBufferPointer { tmpb in
                        ws.ffn.withUnsafeMutableBufferPointer { ffnb in
                            ws.scores.withUnsafeMutableBufferPointer { sb in
                                let x = xb.baseAddress!, qkv = qkvb.baseAddress!, ctx = ctxb.baseAddress!
                                let tmp = tmpb.baseAddress!, ffn = ffnb.baseAddress!, s = sb.baseAddress!
                                // Embeddings: word + position + token type 0, then LayerNorm.
                                wordEmbeddings.withUnsafeBufferPointer { we in
                                    positionEmbeddings.withUnsafeBufferPointer { pe in
                                        tokenType0.withUnsafeBufferPointer { te in
                                            for r in 0..<M {
                                                let row = x + r * H
                                                let id = Int(ids[r]), pos = positions[r]
                                                for c in 0..<H { row[c] = we[id * H + c] + pe[pos * H + c] + te[c] }
                                            }
                                        }
                                    }
                                }
                                embGamma.withUnsafeBufferPointer { g in
                                    embBeta.withUnsafeBufferPointer { b in
                                        VectorMath.layerNorm(
                                            x, rows: M, cols: H, gamma: g.baseAddress!, beta: b.baseAddress!, eps: eps)
                                    }
                                }
                                for layer in layers {
                                    // Q, K, V in one product: [M, H] · [3H, H]ᵀ.
                                    layer.qkv.apply(x, rows: M, into: qkv, lane: lane)
                                    // Attention per sequence and head on strided views of Q, K and V.
                                    for (b, L) in lengths.enumerated() {
                                        for h in 0..<heads {
                                            let q = qkv + offsets[b] * 3 * H + h * dh
                                            let k = q + H, v = q + 2 * H
                                            cblas_sgemm(
                                                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(L), Int32(L), Int32(dh),
                                                scale, q, Int32(3 * H), k, Int32(3 * H), 0, s, Int32(L))
                                            VectorMath.softmaxRows(s, rows: L, cols: L)
                                            cblas_sgemm(
                                                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(L), Int32(dh),
                                                Int32(L),
                                                1, s, Int32(L), v, Int32(3 * H), 0, ctx + offsets[b] * H + h * dh,
                                                Int32(H))
                                        }
                                    }
                                    layer.attnOut.apply(ctx, rows: M, into: tmp, adding: x, lane: lane)
                                    layer.ln1Gamma.withUnsafeBufferPointer { g in
                                        layer.ln1Beta.withUnsafeBufferPointer { bt in
                                            VectorMath.layerNorm(
                                                tmp, rows: M, cols: H, gamma: g.baseAddress!, beta: bt.baseAddress!,
                                                eps: eps)
                                        }
                                    }
                                    layer.ffnIn.apply(tmp, rows: M, into: ffn, lane: lane)
                                    VectorMath.gelu(ffn, count: M * I)
                                    layer.ffnOut.apply(ffn, rows: M, into: x, adding: tmp, lane: lane)
                                    layer.ln2Gamma.withUnsafeBufferPointer { g in
                                        layer.ln2Beta.withUnsafeBufferPointer { bt in
                                            VectorMath.layerNorm(
                                                x, rows: M, cols: H, gamma: g.baseAddress!, beta: bt.baseAddress!,
                                                eps: eps)
                                        }
                                    }
                                }
                                // Mean pooling over the (unpadded) tokens, then L2 normalisation.
                                for (b, L) in lengths.enumerated() {
                                    let o = out + b * H
                                    for c in 0..<H { o[c] = 0 }
                                    for t in 0..<L { VectorMath.add(o, x + (offsets[b] + t) * H, count: H) }
                                    var norm: Float = 0
                                    for c in 0..<H { o[c] /= Float(L); norm += o[c] * o[c] }
                                    let inv = 1 / max(norm.squareRoot(), 1e-12)
                                    for c in 0..<H { o[c] *= inv }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
