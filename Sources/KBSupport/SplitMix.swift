/// SplitMix64: a small seeded generator, the same on every machine — for synthetic data,
/// the planted redaction set and the fuzz corpus.
public struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<n` (0 when `n` is not positive).
    public mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    public mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
    public mutating func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(int(10))) }) }
}
