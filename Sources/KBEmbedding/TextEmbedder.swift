/// Anything that turns texts into unit-length vectors. The BERT model implements it;
/// the index, tickets, drafts and gaps stages depend only on this.
public protocol TextEmbedder: Sendable {
    /// Identifies the model weights (a fast 64-bit mixing hash of the safetensors file, `MiniLMEmbedder.fileHash`); part of every cache key.
    var modelHash: String { get }
    /// Vector length (384 for all-MiniLM-L6-v2).
    var dimension: Int { get }
    /// L2-normalised vectors, one per text, in input order.
    func embed(_ texts: [String]) throws -> [[Float]]
    /// The same, telling `progress` how many texts are done so far (of `texts.count`).
    func embed(_ texts: [String], progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void) throws -> [[Float]]
}

extension TextEmbedder {
    /// Embeds everything, then reports it done: for embedders without batches.
    public func embed(
        _ texts: [String], progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void
    ) throws -> [[Float]] {
        let vectors = try embed(texts)
        progress(texts.count, texts.count)
        return vectors
    }
}
