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

    /// 8 bytes, so the 65,536-slot table stays in the L2 cache: the high half of the mixed
    /// hash as a tag, and `id << 1 | continuation` (`UInt32.max` when empty).
    struct Slot: Sendable {
        var tag: UInt32 = 0
        var entry: UInt32 = .max
    }

    private(set) var slots: [Slot]
    /// Token bytes, concatenated in id order.
    private(set) var bytes: [UInt8]
    /// Per id: `offset << 8 | length` of the token in `bytes` (tokens over 255 bytes never match).
    private(set) var spans: [UInt32]
    let mask: Int
    /// Bytes of the continuation prefix, skipped when comparing continuation keys.
    let prefixLength: Int
    /// Longest word-initial / continuation key in bytes: longer candidates cannot match.
    let maxInitialLength: Int
    let maxContinuationLength: Int
    /// Longest word WordPiece hashes (the word-length limit times 4 bytes, with margin).
    let maxWordBytes: Int
    /// `P^k` for `k` in `0...maxWordBytes`.
    let powers: [UInt64]

    init(tokens: [String], continuationPrefix: String, maxWordBytes: Int) {
        self.maxWordBytes = maxWordBytes
        let prefix = Array(continuationPrefix.utf8)
        prefixLength = prefix.count
        bytes = [0]  // never empty, so the buffer always has a base address
        spans = []
        spans.reserveCapacity(tokens.count)
        var keys: [(hash: UInt64, continuation: Bool, id: Int)] = []
        keys.reserveCapacity(tokens.count * 2)
        for (id, token) in tokens.enumerated() {
            let utf8 = Array(token.utf8)
            let length = min(utf8.count, 255)
            spans.append(UInt32(bytes.count) << 8 | UInt32(length))
            bytes.append(contentsOf: utf8.prefix(length))
            if utf8.count > 255 { continue }
            keys.append((Self.hash(utf8[...]), false, id))
            if !prefix.isEmpty, utf8.count > prefix.count, utf8.starts(with: prefix) {
                keys.append((Self.hash(utf8[prefix.count...]) ^ Self.continuationSalt, true, id))
            }
        }
        var capacity = 16
        while capacity < keys.count * 3 / 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Slot](repeating: Slot(), count: capacity)
        var maxInitial = 0, maxContinuation = 0
        for key in keys {
            let mixed = Self.mix(key.hash)
            let tag = UInt32(truncatingIfNeeded: mixed >> 32)
            let entry = UInt32(key.id) << 1 | (key.continuation ? 1 : 0)
            let keyBytes = Array(tokens[key.id].utf8.dropFirst(key.continuation ? prefix.count : 0))
            var i = Int(truncatingIfNeeded: mixed) & mask
            var replaced = false
            while slots[i].entry != .max {
                // A duplicate token: the later line wins, as in `tokenizers`.
                let other = slots[i].entry
                if slots[i].tag == tag, other & 1 == entry & 1,
                   Array(tokens[Int(other >> 1)].utf8.dropFirst(key.continuation ? prefix.count : 0)) == keyBytes {
                    slots[i].entry = entry
                    replaced = true
                    break
                }
                i = (i + 1) & mask
            }
            if replaced { continue }
            slots[i] = Slot(tag: tag, entry: entry)
            if key.continuation {
                maxContinuation = max(maxContinuation, keyBytes.count)
            } else {
                maxInitial = max(maxInitial, keyBytes.count)
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

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0, step) }

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
            utf8.withUnsafeBufferPointer { lookup.find(Self.hash(utf8[...]), continuation: false, $0.baseAddress!, utf8.count) }
        }
    }

    /// Runs `body` with raw-pointer access to the table (no bounds checks, no retains in the hot loop).
    func withLookup<R>(_ body: (Lookup) -> R) -> R {
        slots.withUnsafeBufferPointer { s in
            bytes.withUnsafeBufferPointer { b in
                spans.withUnsafeBufferPointer { sp in
                    powers.withUnsafeBufferPointer { p in
                        body(Lookup(slots: s.baseAddress!, bytes: b.baseAddress!, spans: sp.baseAddress!,
                                    powers: p.baseAddress!, mask: mask, prefixLength: prefixLength))
                    }
                }
            }
        }
    }

    struct Lookup {
        let slots: UnsafePointer<Slot>
        let bytes: UnsafePointer<UInt8>
        let spans: UnsafePointer<UInt32>
        let powers: UnsafePointer<UInt64>
        let mask: Int
        let prefixLength: Int

        /// The id of the `length` bytes at `start` whose (unsalted) hash is `hash`, or -1.
        @inline(__always)
        func find(_ hash: UInt64, continuation: Bool, _ start: UnsafePointer<UInt8>, _ length: Int) -> Int32 {
            let mixed = VocabularyTable.mix(continuation ? hash ^ VocabularyTable.continuationSalt : hash)
            let tag = UInt32(truncatingIfNeeded: mixed >> 32)
            let flag: UInt32 = continuation ? 1 : 0
            let skip = continuation ? prefixLength : 0
            var i = Int(truncatingIfNeeded: mixed) & mask
            while true {
                let slot = slots[i]
                if slot.entry == .max { return -1 }
                if slot.tag == tag, slot.entry & 1 == flag {
                    let id = Int(slot.entry >> 1)
                    let span = spans[id]
                    if Int(span & 0xFF) - skip == length {
                        let stored = bytes + Int(span >> 8) + skip
                        var k = 0
                        while k < length, stored[k] == start[k] { k += 1 }
                        if k == length { return Int32(id) }
                    }
                }
                i = (i + 1) & mask
            }
        }
    }
}
