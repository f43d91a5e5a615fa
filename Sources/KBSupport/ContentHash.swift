import Foundation

/// The one content hash of the package: 64-bit FNV-1a. Stable across runs and machines, fast,
/// and for identity only (cache keys, change detection, fingerprints), never for security
/// (pseudonyms use HMAC-SHA256 from swift-crypto).
public struct ContentHash: Sendable, Hashable {
    public private(set) var value: UInt64 = 0xcbf29ce4_84222325
    private let prime: UInt64

    public init() { prime = 0x100_0000_01b3 }

    /// A second, independent lane (another basis and prime) for 128-bit keys: the embedding
    /// cache's text hash is `ContentHash()` and this lane side by side.
    public init(secondLane: Void) {
        value = 0x84222325_cbf29ce4
        prime = 0x1000193a3b1c5
    }

    public mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* prime }

    public mutating func add(_ text: String) { for b in text.utf8 { add(b) } }

    public mutating func add(_ data: Data) {
        var h = value
        data.withUnsafeBytes { raw in for b in raw { h = (h ^ UInt64(b)) &* prime } }
        value = h
    }

    /// Each float's bit pattern as one 32-bit word (not byte by byte).
    public mutating func add(bitsOf vectors: [[Float]]) {
        var h = value
        for v in vectors { for x in v { h = (h ^ UInt64(x.bitPattern)) &* prime } }
        value = h
    }

    /// 16 hex digits, zero-padded.
    public var hex: String { String(format: "%016llx", value) }

    /// Hex without padding (the form pipeline fingerprints were first stored in).
    public var compactHex: String { String(value, radix: 16) }

    /// The padded hex hash of a text.
    public static func hex(_ text: String) -> String {
        var h = ContentHash()
        h.add(text)
        return h.hex
    }
}
