/// An open-addressing hash table from UTF-8 byte strings to vocabulary ids, looked up by
/// polynomial hashes of byte slices so WordPiece never builds a `String` per candidate.
///
/// Hash of bytes `b0 … bk`: `h = ((b0 + 1) * P + (b1 + 1)) * P …` (wrapping). With prefix
/// hashes `H` of a word, the hash of `word[i..<j]` is `H[j] - H[i] * P^(j-i)`.
/// Word-initial tokens and continuation tokens (`##…`, stored without the prefix) share the
/// table; continuation keys have their hash xor-ed with a salt.
struct VocabularyTable: Sendable {
    static let multiplier: UInt64 = 0x100000001B3
    static let continuationSalt: UInt64 = 0x9E37_79B9_7F4A_7C15

    struct Slot: Sendable {
        var key: UInt64 = 0
        var offset: UInt32 = 0
        var length: UInt32 = 0
        var id: Int32 = -1
    }

    private(set) var slots: [Slot]
    private(set) var bytes: [UInt8]
    let mask: Int
    /// Longest word-initial / continuation key in bytes: longer candidates cannot match.
    let maxInitialLength: Int
    let maxContinuationLength: Int
    /// Longest word WordPiece hashes (the word-length limit times 4 bytes, with margin).
    let maxWordBytes: Int
    /// `P^k` for `k` in `0...maxWordBytes`.
    let powers: [UInt64]

    init(tokens: [String], continuationPrefix: String, maxWordBytes: Int) {
        self.maxWordBytes = maxWordBytes
        var keys: [(bytes: [UInt8], continuation: Bool, id: Int32)] = []
        keys.reserveCapacity(tokens.count * 2)
        let prefix = Array(continuationPrefix.utf8)
        for (index, token) in tokens.enumerated() {
            let utf8 = Array(token.utf8)
            keys.append((utf8, false, Int32(index)))
            if !prefix.isEmpty, utf8.count > prefix.count, utf8.starts(with: prefix) {
                keys.append((Array(utf8[prefix.count...]), true, Int32(index)))
            }
        }
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Slot](repeating: Slot(), count: capacity)
        bytes = [0]  // never empty, so the buffer always has a base address
        var maxInitial = 0, maxContinuation = 0
        for key in keys {
            let h = Self.hash(key.bytes) ^ (key.continuation ? Self.continuationSalt : 0)
            var i = Int(truncatingIfNeeded: Self.mix(h)) & mask
            var replaced = false
            while slots[i].id >= 0 {
                // A duplicate token: the later line wins, as in `tokenizers`.
                if slots[i].key == h, Array(bytes[Int(slots[i].offset)..<Int(slots[i].offset + slots[i].length)]) == key.bytes {
                    slots[i].id = key.id
                    replaced = true
                    break
                }
                i = (i + 1) & mask
            }
            if replaced { continue }
            slots[i] = Slot(key: h, offset: UInt32(bytes.count), length: UInt32(key.bytes.count), id: key.id)
            bytes.append(contentsOf: key.bytes)
            if key.continuation {
                maxContinuation = max(maxContinuation, key.bytes.count)
            } else {
                maxInitial = max(maxInitial, key.bytes.count)
            }
        }
        maxInitialLength = maxInitial
        maxContinuationLength = maxContinuation
        var powers = [UInt64](repeating: 1, count: maxWordBytes + 1)
        for k in 1..<powers.count { powers[k] = powers[k - 1] &* Self.multiplier }
        self.powers = powers
    }

    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 { h &* multiplier &+ UInt64(byte) &+ 1 }

    static func hash(_ bytes: [UInt8]) -> UInt64 { bytes.reduce(0, step) }

    @inline(__always)
    static func mix(_ h: UInt64) -> UInt64 {
        var x = h
        x ^= x >> 33; x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33; x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    /// The id of `token` as a word-initial token, or -1.
    func id(of token: String) -> Int32 {
        let utf8 = Array(token.utf8)
        return withLookup { lookup in
            utf8.withUnsafeBufferPointer { lookup.find(Self.hash(utf8), continuation: false, $0.baseAddress!, utf8.count) }
        }
    }

    /// Runs `body` with raw-pointer access to the table (no bounds checks, no retains in the hot loop).
    func withLookup<R>(_ body: (Lookup) -> R) -> R {
        slots.withUnsafeBufferPointer { s in
            bytes.withUnsafeBufferPointer { b in
                powers.withUnsafeBufferPointer { p in
                    body(Lookup(slots: s.baseAddress!, bytes: b.baseAddress!,
                                powers: p.baseAddress!, mask: mask))
                }
            }
        }
    }

    struct Lookup {
        let slots: UnsafePointer<Slot>
        let bytes: UnsafePointer<UInt8>
        let powers: UnsafePointer<UInt64>
        let mask: Int

        /// The id of the `length` bytes at `start` whose (unsalted) hash is `hash`, or -1.
        @inline(__always)
        func find(_ hash: UInt64, continuation: Bool, _ start: UnsafePointer<UInt8>, _ length: Int) -> Int32 {
            let key = continuation ? hash ^ VocabularyTable.continuationSalt : hash
            var i = Int(truncatingIfNeeded: VocabularyTable.mix(key)) & mask
            while true {
                let slot = slots[i]
                if slot.id < 0 { return -1 }
                if slot.key == key, Int(slot.length) == length {
                    let stored = bytes + Int(slot.offset)
                    var k = 0
                    while k < length, stored[k] == start[k] { k += 1 }
                    if k == length { return slot.id }
                }
                i = (i + 1) & mask
            }
        }
    }
}
