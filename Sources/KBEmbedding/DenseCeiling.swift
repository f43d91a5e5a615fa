import Foundation
import KBSupport

/// What the machine's OpenBLAS allows: the model's dense products alone (no attention, no
/// element-wise work), on full batches, one per worker. `kb bench embed` prints it beside
/// the measured speed, so a figure can be read as a share of what this CPU can do.
public struct DenseCeiling: Sendable {
    /// Floating-point operations per second in the dense products.
    public var gflops: Double
    /// Tokens per second if a forward pass were nothing but those products.
    public var tokensPerSecond: Double
}

extension MiniLMEmbedder {
    /// Runs every layer's four products on `rows`-row batches in each worker for about
    /// `seconds`.
    public func denseCeiling(rows: Int = 2048, seconds: Double = 3) -> DenseCeiling {
        let layers = weights.layers
        let flopsPerToken = layers.reduce(0.0) { sum, l in
            sum + [l.qkv, l.attnOut, l.ffnIn, l.ffnOut].reduce(0.0) { $0 + 2 * Double($1.inputs * $1.outputs) }
        }
        let widest =
            layers.flatMap { [$0.qkv, $0.attnOut, $0.ffnIn, $0.ffnOut] }.map { max($0.inputs, $0.outputs) }.max() ?? 0
        let passes = WorkCounter()
        let clock = ContinuousClock(), start = clock.now
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var a = [Float](repeating: 0, count: rows * widest)
            for i in a.indices { a[i] = Float((i &* 2_654_435_761 &+ w) % 1000) / 1000 - 0.5 }
            var out = [Float](repeating: 0, count: rows * widest)
            a.withUnsafeBufferPointer { ap in
                out.withUnsafeMutableBufferPointer { op in
                    while (clock.now - start) < .seconds(seconds) {
                        for layer in layers {
                            for dense in [layer.qkv, layer.attnOut, layer.ffnIn, layer.ffnOut] {
                                dense.apply(ap.baseAddress!, rows: rows, into: op.baseAddress!)
                            }
                        }
                        _ = passes.take()
                    }
                }
            }
        }
        let elapsed = (clock.now - start) / .seconds(1)
        let tokens = Double(passes.current * rows)
        return DenseCeiling(gflops: tokens * flopsPerToken / elapsed / 1e9, tokensPerSecond: tokens / elapsed)
    }
}
