import COpenBLAS
import Foundation

/// One dense layer, `y = x · W + b`, with `W` kept twice: `[in, out]` row-major for batches,
/// and cut into column blocks for a few rows at a time (a single query).
///
/// A general product copies ("packs") the whole weight matrix before multiplying, which
/// for a few rows costs more than the arithmetic. OpenBLAS multiplies small products
/// (M·N·K ≤ 10⁶, `sgemm_small_matrix_permit`) in place instead, so a few rows go through
/// in column strips cut to that size. Strips read from a matrix `out` columns wide touch one
/// cache line per row and defeat the prefetcher; the block copy keeps each strip contiguous
/// (`[out / blockWidth][in][blockWidth]`), which halves a query's time on this machine's
/// memory. Every product is still `cblas_sgemm`.
struct Dense: Sendable {
    let inputs: Int, outputs: Int
    let weight: [Float]  // [inputs, outputs]
    let blocks: [Float]  // [outputs / blockWidth][inputs][blockWidth]
    let bias: [Float]  // [outputs]

    /// Column-block width of the copy used for a few rows (``EmbedderSettings/blockWidth``).
    /// A layer whose width it does not divide uses the plain product.
    let blockWidth: Int
    /// Up to this many rows products may go in strips (``EmbedderSettings/smallRows``).
    let smallRows: Int

    /// From PyTorch's `[out, in]` weight.
    init(torchWeight w: [Float], bias: [Float], inputs: Int, outputs: Int, settings: EmbedderSettings) {
        blockWidth = settings.blockWidth
        smallRows = settings.smallRows
        self.inputs = inputs
        self.outputs = outputs
        self.bias = bias
        var t = [Float](repeating: 0, count: w.count)
        for r in 0..<outputs { for c in 0..<inputs { t[c * outputs + r] = w[r * inputs + c] } }
        weight = t
        let B = blockWidth
        var blocked = [Float](repeating: 0, count: w.count)
        if outputs % B == 0 {
            for j in 0..<(outputs / B) {
                for r in 0..<inputs {
                    for c in 0..<B { blocked[(j * inputs + r) * B + c] = t[r * outputs + j * B + c] }
                }
            }
            blocks = blocked
        } else {
            blocks = []
        }
    }

    /// `out[m, outputs] = a[m, inputs] · W + b (+ residual)`; a small product is shared with
    /// `lane`. `out` is first filled with the bias (plus the residual) and the product added
    /// onto it (`beta = 1`): one pass over `out` instead of OpenBLAS zeroing it, a bias pass
    /// and a residual pass.
    func apply(
        _ a: UnsafePointer<Float>, rows m: Int, into out: UnsafeMutablePointer<Float>,
        adding residual: UnsafePointer<Float>? = nil, lane: SpinLane? = nil
    ) {
        let k = inputs, n = outputs, B = blockWidth
        bias.withUnsafeBufferPointer {
            VectorMath.fillBias(out, rows: m, cols: n, bias: $0.baseAddress!, residual: residual)
        }
        let strip = stripWidth(rows: m, inner: k)
        if strip == 0 || blocks.isEmpty {
            weight.withUnsafeBufferPointer { w in
                nonisolated(unsafe) let (wp, ap, op) = (w.baseAddress!, a, out)
                let product: @Sendable (Range<Int>) -> Void = { cols in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(cols.count), Int32(k),
                        1, ap, Int32(k), wp + cols.lowerBound, Int32(n), 1, op + cols.lowerBound, Int32(n))
                }
                // A shared product (a lone query) is split by columns between the two threads.
                let half = (n / 2) & ~15
                if let lane, half > 0 {
                    lane.run({ product(half..<n) }, alongside: { product(0..<half) })
                } else {
                    product(0..<n)
                }
            }
        } else {
            blocks.withUnsafeBufferPointer { wb in
                nonisolated(unsafe) let (wp, ap, op) = (wb.baseAddress!, a, out)
                let count = n / B
                let run: @Sendable (Range<Int>) -> Void = { range in
                    for j in range {
                        let block = wp + j * k * B
                        for s in stride(from: 0, to: B, by: strip) {
                            cblas_sgemm(
                                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(strip), Int32(k),
                                1, ap, Int32(k), block + s, Int32(B), 1, op + j * B + s, Int32(n))
                        }
                    }
                }
                if let lane, count > 1 {
                    lane.run({ run((count / 2)..<count) }, alongside: { run(0..<(count / 2)) })
                } else {
                    run(0..<count)
                }
            }
        }
    }

    /// The widest strip of a block (16, 32 or 64 columns) that OpenBLAS multiplies in place
    /// for `rows × inner` inputs, or 0 when the rows are too many for strips to pay.
    func stripWidth(rows m: Int, inner k: Int) -> Int {
        guard m > 0, m <= smallRows, k > 0 else { return 0 }
        for width in [64, 32, 16] where blockWidth % width == 0 && m * width * k <= Self.smallProductLimit {
            return width
        }
        return 0
    }

    /// OpenBLAS's in-place limit on M·N·K for single precision on AVX-512 kernels.
    static let smallProductLimit = 1_000_000
}
