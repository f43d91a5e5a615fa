import Foundation

/// How the embedder runs: threads and the sizes its kernels were measured with (`kb bench
/// embed`). The defaults are the measured choices; `kb` builds the settings once (from its
/// options, or the `KB_EMBED_*` variables for a measurement) and hands them down, so no
/// library reads the environment.
public struct EmbedderSettings: Sendable, Equatable {
    /// Threads sharing the batches (OpenBLAS runs single-threaded in each).
    public var workers: Int
    /// At most this many token rows go through the model at once.
    public var maxBatchTokens: Int
    /// Column-block width of the weight copy used for a few rows: a multiple of 16 (32
    /// measured best); another value falls back to 32.
    public var blockWidth: Int
    /// Up to this many rows a product goes in strips of the blocked copy.
    public var smallRows: Int

    public init(workers: Int? = nil, maxBatchTokens: Int = 2048, blockWidth: Int = 32, smallRows: Int = 40) {
        self.workers = max(1, workers ?? min(2, ProcessInfo.processInfo.activeProcessorCount))
        self.maxBatchTokens = max(1, maxBatchTokens)
        self.blockWidth = blockWidth > 0 && blockWidth % 16 == 0 ? blockWidth : 32
        self.smallRows = max(0, smallRows)
    }
}
