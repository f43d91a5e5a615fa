/// Receives the ids the scanner produces; specialised per sink so counting allocates nothing.
protocol TokenSink {
    mutating func add(_ id: Int32)
}

struct IDCollector: TokenSink {
    var ids: [Int32] = []
    mutating func add(_ id: Int32) { ids.append(id) }
}

struct TokenCounter: TokenSink {
    var count = 0
    mutating func add(_ id: Int32) { count += 1 }
}

/// Keeps the first `limit` ids and counts the rest.
struct TruncatingCollector: TokenSink {
    var ids: [Int32]
    let limit: Int
    var dropped = 0
    mutating func add(_ id: Int32) {
        if ids.count < limit { ids.append(id) } else { dropped += 1 }
    }
}

/// A special token matched verbatim in the raw text (like `tokenizers`' non-normalized added tokens).
struct SpecialToken: Sendable {
    var bytes: [UInt8]
    var id: Int32
}

/// One pass over UTF-8 bytes: normalization, pre-tokenization and WordPiece, fused.
/// Words are accumulated (lowercased, accents stripped) in `word` together with their prefix
/// hashes, then matched greedily longest-first against the vocabulary table.
struct WordPieceScanner {
    let lookup: VocabularyTable.Lookup
    let bmp: UnsafePointer<UInt32>
    let expansions: UnsafePointer<UInt32>
    let word: UnsafeMutablePointer<UInt8>
    /// `hashes[k]` is the hash of `word[0..<k]`.
    let hashes: UnsafeMutablePointer<UInt64>
    let pieces: UnsafeMutablePointer<Int32>
    /// Id of each ASCII character as a word of its own (used for ASCII punctuation).
    let asciiIDs: UnsafePointer<Int32>
    let maxCharacters: Int
    let maxInitial: Int
    let maxContinuation: Int
    let unkID: Int32
    var length = 0
    var characters = 0

    @inline(__always)
    mutating func appendByte(_ b: UInt8) {
        word[length] = b
        hashes[length + 1] = VocabularyTable.step(hashes[length], b)
        length += 1
    }

    @inline(__always)
    mutating func appendScalar(_ v: UInt32) {
        characters += 1
        if characters > maxCharacters { return }  // the word will be [UNK]; stop storing it
        if v < 0x80 {
            appendByte(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            appendByte(UInt8(truncatingIfNeeded: 0xC0 | v >> 6))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v & 0x3F))
        } else if v < 0x10000 {
            appendByte(UInt8(truncatingIfNeeded: 0xE0 | v >> 12))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v & 0x3F))
        } else {
            appendByte(UInt8(truncatingIfNeeded: 0xF0 | v >> 18))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v >> 12 & 0x3F))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v >> 6 & 0x3F))
            appendByte(UInt8(truncatingIfNeeded: 0x80 | v & 0x3F))
        }
    }

    /// Ends the current word: WordPiece over its bytes.
    @inline(__always)
    mutating func flush<S: TokenSink>(_ sink: inout S) {
        if characters == 0 { return }
        if characters > maxCharacters {
            sink.add(unkID)
        } else {
            wordPiece(&sink)
        }
        length = 0
        characters = 0
    }

    /// Greedy longest-match-first; a word with an unmatchable rest is a single [UNK].
    mutating func wordPiece<S: TokenSink>(_ sink: inout S) {
        let n = length
        let whole = lookup.find(hashes[n], continuation: false, word, n)
        if whole >= 0 { sink.add(whole); return }
        var start = 0
        var count = 0
        while start < n {
            let continuation = start > 0
            var end = min(n, start + (continuation ? maxContinuation : maxInitial))
            if start == 0 && end == n { end -= 1 }  // the whole word was tried above
            let startHash = hashes[start]
            var found: Int32 = -1
            while end > start {
                if end == n || word[end] & 0xC0 != 0x80 {  // only at character boundaries
                    let h = hashes[end] &- startHash &* lookup.powers[end - start]
                    let id = lookup.find(h, continuation: continuation, word + start, end - start)
                    if id >= 0 { found = id; break }
                }
                end -= 1
            }
            if found < 0 { sink.add(unkID); return }
            pieces[count] = found
            count += 1
            start = end
        }
        for k in 0..<count { sink.add(pieces[k]) }
    }

    /// Applies one normalization event (see `BertNormalization`).
    @inline(__always)
    mutating func apply<S: TokenSink>(_ event: UInt32, _ sink: inout S) {
        let payload = event & BertNormalization.payloadMask
        switch event >> BertNormalization.kindShift {
        case BertNormalization.word:
            appendScalar(payload)
        case BertNormalization.punct:
            flush(&sink)
            appendScalar(payload)
            flush(&sink)
        case BertNormalization.boundary:
            flush(&sink)
        case BertNormalization.multiple:
            let first = Int(payload >> 4)
            for k in 0..<Int(payload & 0xF) { apply(expansions[first + k], &sink) }
        default:
            break  // removed
        }
    }

    /// Scans `count` bytes of valid UTF-8. `specials` are matched verbatim before normalization.
    mutating func run<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ count: Int, specials: [SpecialToken],
                                    specialStart: UnsafePointer<Bool>, _ sink: inout S) {
        var i = 0
        hashes[0] = 0
        scan: while i < count {
            let b = p[i]
            if specialStart[Int(b)] {
                for special in specials where special.bytes.count <= count - i {
                    var k = 0
                    while k < special.bytes.count, special.bytes[k] == p[i + k] { k += 1 }
                    if k == special.bytes.count {
                        flush(&sink)
                        sink.add(special.id)
                        i += k
                        continue scan
                    }
                }
            }
            if b < 0x80 {
                let event = bmp[Int(b)]
                if event >> BertNormalization.kindShift == BertNormalization.punct {
                    flush(&sink)
                    sink.add(asciiIDs[Int(b)])
                } else {
                    apply(event, &sink)
                }
                i += 1
                continue
            }
            var v: UInt32
            if b < 0xE0 {
                v = UInt32(b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                i += 2
            } else if b < 0xF0 {
                v = UInt32(b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                i += 3
            } else {
                v = UInt32(b & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12
                v |= UInt32(p[i + 2] & 0x3F) << 6 | UInt32(p[i + 3] & 0x3F)
                i += 4
            }
            if v < 0x10000 {
                apply(bmp[Int(v)], &sink)
            } else {
                BertNormalization.events(of: Unicode.Scalar(v)!) { apply($0, &sink) }
            }
        }
        flush(&sink)
    }
}
