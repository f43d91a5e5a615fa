/// Anything that turns texts into unit-length vectors. The BERT model implements it;
/// the index, tickets, drafts and gaps stages depend only on this.
public protocol TextEmbedder: Sendable {
    /// Identifies the model weights (a hash of the whole safetensors file); part of every cache key.
    var modelHash: String { get }
    /// Vector length (384 for all-MiniLM-L6-v2).
    var dimension: Int { get }
    /// L2-normalised vectors, one per text, in input order.
    func embed(_ texts: [String]) throws -> [[Float]]
}
