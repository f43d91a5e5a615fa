import COpenBLAS
import Foundation

/// The forward pass: embeddings, encoder layers, mean pooling, L2 normalisation, the
/// same computation as sentence-transformers with this model's `modules.json`.
extension BertWeights {
    /// Embeds a ragged batch: sequences of the given `lengths` whose ids the caller has
    /// laid out one after another in `ws.ids` (after ``Workspace/reserve``); leaves one
    /// unit vector per sequence in `ws.vectors`.
    ///
    /// There is no padding anywhere, so nothing needs masking: every per-token step runs
    /// over all rows at once, and only attention and pooling look at sequence boundaries
    /// (each sequence attends to itself; mean pooling divides by its own length).
    ///
    /// With `parts > 1` every step is split over that many threads (products by output
    /// columns, attention by heads, the rest by rows), which is how a single short query
    /// uses both cores; OpenBLAS itself runs single-threaded in each part.
    func forward(lengths: [Int], ws: Workspace, parts: Int) {
        let H = hidden, I = intermediate, M = lengths.reduce(0, +), batch = lengths.count
        let dh = H / heads
        let scale = 1 / Float(dh).squareRoot()
        let x = ws.x.pointer, qkv = ws.qkv.pointer, ctx = ws.ctx.pointer, tmp = ws.tmp.pointer
        let ffn = ws.ffn.pointer, scores = ws.scores.pointer, ids = ws.ids.pointer, out = ws.vectors.pointer
        let offsets = ws.offsets.pointer, positions = ws.positions.pointer
        var acc = 0
        for (b, n) in lengths.enumerated() {
            offsets[b] = acc
            for t in 0..<n { positions[acc + t] = Int32(t) }
            acc += n
        }
        let maxLength = lengths.max() ?? 0

        // Embeddings: word + position + token type 0, then LayerNorm.
        team(parts) { p in
            let rows = slice(M, p, parts, align: 1)
            for r in rows {
                let id = min(max(0, Int(ids[r])), vocabulary - 1)
                VectorMath.sum3(x + r * H, wordEmbeddings + id * H, positionEmbeddings + Int(positions[r]) * H, tokenType0, count: H)
            }
            VectorMath.layerNorm(x + rows.lowerBound * H, rows: rows.count, cols: H, gamma: embGamma, beta: embBeta, eps: eps)
        }
        for layer in layers {
            // Q, K and V in one product: [M, H] · [3H, H]ᵀ.
            team(parts) { p in
                Self.linear(x, m: M, k: H, weight: layer.qkv, bias: layer.qkvBias, n: 3 * H, columns: slice(3 * H, p, parts, align: 32), into: qkv)
            }
            // Attention per sequence and head, on strided views of Q, K and V.
            team(parts) { p in
                for h in slice(heads, p, parts, align: 1) {
                    let s = scores + h * maxLength * maxLength
                    for (b, L) in lengths.enumerated() {
                        let q = qkv + offsets[b] * 3 * H + h * dh
                        let k = q + H, v = q + 2 * H
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(L), Int32(L), Int32(dh),
                                    scale, q, Int32(3 * H), k, Int32(3 * H), 0, s, Int32(L))
                        VectorMath.softmaxRows(s, rows: L, cols: L)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(L), Int32(dh), Int32(L),
                                    1, s, Int32(L), v, Int32(3 * H), 0, ctx + offsets[b] * H + h * dh, Int32(H))
                    }
                }
            }
            team(parts) { p in
                Self.linear(ctx, m: M, k: H, weight: layer.attnOut, bias: layer.attnOutBias, n: H, columns: slice(H, p, parts, align: 32), into: tmp)
            }
            team(parts) { p in
                let rows = slice(M, p, parts, align: 1)
                VectorMath.add(tmp + rows.lowerBound * H, x + rows.lowerBound * H, count: rows.count * H)
                VectorMath.layerNorm(tmp + rows.lowerBound * H, rows: rows.count, cols: H, gamma: layer.ln1Gamma, beta: layer.ln1Beta, eps: eps)
            }
            team(parts) { p in
                Self.linear(tmp, m: M, k: H, weight: layer.ffnIn, bias: layer.ffnInBias, n: I, columns: slice(I, p, parts, align: 32),
                            into: ffn, gelu: true)
            }
            team(parts) { p in
                Self.linear(ffn, m: M, k: I, weight: layer.ffnOut, bias: layer.ffnOutBias, n: H, columns: slice(H, p, parts, align: 32), into: x)
            }
            team(parts) { p in
                let rows = slice(M, p, parts, align: 1)
                VectorMath.add(x + rows.lowerBound * H, tmp + rows.lowerBound * H, count: rows.count * H)
                VectorMath.layerNorm(x + rows.lowerBound * H, rows: rows.count, cols: H, gamma: layer.ln2Gamma, beta: layer.ln2Beta, eps: eps)
            }
        }
        // Mean pooling over the tokens, then L2 normalisation.
        team(parts) { p in
            for b in slice(batch, p, parts, align: 1) {
                VectorMath.meanPoolAndNormalise(x + offsets[b] * H, rows: lengths[b], cols: H, into: out + b * H)
            }
        }
    }

    /// `out[:, columns] = a[M, K] · weight[K, columns] + bias[columns]`, then GELU if asked;
    /// `weight` is `[K, N]` and `out` `[M, N]`, row-major.
    ///
    /// For a few rows (a single query) one product would spend most of its time packing the
    /// weight block; 32-column strips instead take OpenBLAS's small-matrix kernel, which
    /// reads the weights in place.
    private static func linear(_ a: UnsafePointer<Float>, m: Int, k: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               n: Int, columns: Range<Int>, into out: UnsafeMutablePointer<Float>, gelu: Bool = false) {
        guard !columns.isEmpty else { return }
        let c0 = columns.lowerBound, width = columns.count
        if m <= smallRows, width % 32 == 0 {
            for j in stride(from: c0, to: columns.upperBound, by: 32) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), 32, Int32(k),
                            1, a, Int32(k), weight + j, Int32(n), 0, out + j, Int32(n))
            }
        } else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(width), Int32(k),
                        1, a, Int32(k), weight + c0, Int32(n), 0, out + c0, Int32(n))
        }
        for r in 0..<m {
            let row = out + r * n + c0
            VectorMath.add(row, bias + c0, count: width)
            if gelu { VectorMath.gelu(row, count: width) }
        }
    }

    /// Up to this many rows, products go 32 columns at a time (measured with `kb bench embed`;
    /// `KB_EMBED_SMALL_ROWS` overrides it for such measurements).
    static let smallRows = Int(ProcessInfo.processInfo.environment["KB_EMBED_SMALL_ROWS"] ?? "") ?? 64
}
