/// What Hugging Face's `BertNormalizer` (clean text, Chinese characters, strip accents,
/// lowercase) followed by `BertPreTokenizer` does with one input scalar, precomputed.
///
/// Every scalar turns into a short list of *events*: a word boundary, a punctuation scalar
/// (a word of its own), or a scalar appended to the current word. The events are packed into
/// `UInt32`s: the kind in the top four bits, a scalar (or, in the BMP table, an index into the
/// expansion list) in the low 28 bits.
///
/// Unicode versions: `tokenizers` takes the general categories used for "control", "nonspacing
/// mark" and "punctuation" from the `unicode_categories` crate, whose tables stop at Unicode 8.0;
/// scalars assigned later count as unassigned there (neither removed, stripped nor split). This
/// type reproduces that by looking at a scalar's `age` (and restores the 8.0 category of the
/// seven scalars whose category changed since). Whitespace and lowercase follow current
/// Unicode (Rust's standard library). Canonical reordering of NFD is not reproduced: it only
/// matters for two adjacent combining marks that survive accent stripping (spacing marks with
/// non-zero combining class, e.g. musical symbols), which no help-center text contains.
enum BertNormalization {
    static let kindShift: UInt32 = 28
    static let payloadMask: UInt32 = (1 << 28) - 1
    /// Scalar removed (control, format, private use, NUL, U+FFFD, stripped mark).
    static let removed: UInt32 = 0
    /// Scalar appended to the current word (payload: the scalar).
    static let word: UInt32 = 1
    /// Punctuation: a word of its own (payload: the scalar).
    static let punct: UInt32 = 2
    /// Word boundary (whitespace).
    static let boundary: UInt32 = 3
    /// Several events (BMP table only; payload: `index << 4 | count` into `expansions`).
    static let multiple: UInt32 = 4

    static func event(_ kind: UInt32, _ scalar: UInt32 = 0) -> UInt32 { kind << kindShift | scalar }

    /// `tokenizers`' `is_chinese_char`: the CJK ideograph blocks (not kana, not Hangul).
    static func isChinese(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The scalar's general category as the Unicode 8.0 tables of `unicode_categories` have it:
    /// `nil` for scalars assigned later; the few scalars whose category changed since then get
    /// their 8.0 category back (found by comparing every scalar with `tokenizers`).
    @inline(__always)
    static func unicode8Category(_ s: Unicode.Scalar) -> Unicode.GeneralCategory? {
        switch s.value {
        case 0x166D, 0x111C9: return .otherPunctuation
        case 0x1734, 0x1171E: return .nonspacingMark
        case 0x1885, 0x1886: return .otherLetter
        case 0xA9BD: return .spacingMark
        default:
            let p = s.properties
            guard let age = p.age, age.major <= 8 else { return nil }
            return p.generalCategory
        }
    }

    /// Rust's `char::is_whitespace` (the White_Space property), which includes tab, LF, CR.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace
    }

    /// `clean_text` removal: NUL, U+FFFD and "other" (Cc, Cf, Co) except tab, LF, CR.
    static func isRemovedByCleaning(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0 || v == 0xFFFD { return true }
        if v == 9 || v == 10 || v == 13 { return false }
        switch unicode8Category(s) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isNonspacingMark(_ s: Unicode.Scalar) -> Bool {
        unicode8Category(s) == .nonspacingMark
    }

    /// `BertPreTokenizer`'s punctuation: ASCII punctuation or a Unicode P* scalar.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
        }
        switch unicode8Category(s) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Calls `body` with the scalar's full canonical decomposition.
    static func decompose(_ s: Unicode.Scalar, _ body: (Unicode.Scalar) -> Void) {
        let v = s.value
        if (0xAC00...0xD7A3).contains(v) {  // Hangul syllable: L V (T)
            let index = v - 0xAC00
            body(Unicode.Scalar(0x1100 + index / 588)!)
            body(Unicode.Scalar(0x1161 + (index % 588) / 28)!)
            if index % 28 != 0 { body(Unicode.Scalar(0x11A7 + index % 28)!) }
            return
        }
        if v >= 0xC0, let parts = decompositions[v] {
            for part in parts { body(Unicode.Scalar(part)!) }
        } else {
            body(s)
        }
    }

    /// The parsed `UnicodeDecompositions.table`.
    static let decompositions: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        table.reserveCapacity(2100)
        for entry in UnicodeDecompositions.table.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let halves = entry.split(separator: ":")
            guard halves.count == 2, let key = UInt32(halves[0], radix: 16) else { continue }
            table[key] = halves[1].split(separator: ",").compactMap { UInt32($0, radix: 16) }
        }
        return table
    }()

    /// The events of one scalar, in order.
    static func events(of s: Unicode.Scalar, _ emit: (UInt32) -> Void) {
        if isRemovedByCleaning(s) { return }
        if isWhitespace(s) { emit(event(boundary)); return }
        let chinese = isChinese(s.value)
        if chinese { emit(event(boundary)) }
        decompose(s) { d in
            if isNonspacingMark(d) { return }
            if d.properties.changesWhenLowercased {
                for l in d.properties.lowercaseMapping.unicodeScalars { emit(classify(l)) }
            } else {
                emit(classify(d))
            }
        }
        if chinese { emit(event(boundary)) }
    }

    /// The pre-tokenizer's view of one normalized scalar.
    static func classify(_ s: Unicode.Scalar) -> UInt32 {
        if isWhitespace(s) { return event(boundary) }
        if isPunctuation(s) { return event(punct, s.value) }
        return event(word, s.value)
    }

    /// Events for every BMP scalar, plus the expansion list `multiple` entries point into.
    struct Table: Sendable {
        var bmp: [UInt32]
        var expansions: [UInt32]
    }

    /// Built once per process on first use (about 65,000 property look-ups).
    static let bmpTable: Table = {
        var bmp = [UInt32](repeating: event(removed), count: 0x10000)
        var expansions: [UInt32] = []
        var scratch: [UInt32] = []
        for v in UInt32(0)..<0x10000 {
            guard let s = Unicode.Scalar(v) else { continue }  // surrogates never occur in a String
            scratch.removeAll(keepingCapacity: true)
            events(of: s) { scratch.append($0) }
            switch scratch.count {
            case 0: bmp[Int(v)] = event(removed)
            case 1: bmp[Int(v)] = scratch[0]
            default:
                precondition(scratch.count < 16, "expansion too long for U+\(String(v, radix: 16))")
                bmp[Int(v)] = event(multiple, UInt32(expansions.count) << 4 | UInt32(scratch.count))
                expansions.append(contentsOf: scratch)
            }
        }
        return Table(bmp: bmp, expansions: expansions)
    }()
}
