import Foundation

/// BERT's normaliser and pre-tokeniser as Hugging Face `tokenizers` applies them for this
/// model (`BertNormalizer` with clean_text, handle_chinese_chars, strip_accents and
/// lowercase; then `BertPreTokenizer`): control characters removed, whitespace splits,
/// CJK ideographs and punctuation become words of their own, accents are stripped (NFD,
/// non-spacing marks dropped) and letters lower-cased character by character.
enum BasicTokenizer {
    /// Calls `body` with the UTF-8 bytes and scalar count of each normalised word, in order.
    /// The buffer is reused: copy what you keep.
    static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(128)
        var scalars = 0

        func flush() {
            guard !word.isEmpty else { return }
            word.withUnsafeBufferPointer { body($0, scalars) }
            word.removeAll(keepingCapacity: true)
            scalars = 0
        }
        func alone(_ s: Unicode.Scalar) {
            flush()
            appendUTF8(s, to: &word)
            scalars = 1
            flush()
        }

        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { flush(); continue }
                if b < 0x20 || b == 0x7F { continue }  // control: removed
                if asciiPunctuation[Int(b)] { alone(scalar); continue }
                word.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                scalars += 1
                continue
            }
            if v == 0xFFFD || isControl(scalar) { continue }
            if scalar.properties.isWhitespace { flush(); continue }
            if isCJK(v) { alone(scalar); continue }
            for d in decomposed(scalar) where d.properties.generalCategory != .nonspacingMark {
                for l in lowercased(d) {
                    if l.value < 0x80 ? asciiPunctuation[Int(l.value)] : isPunctuation(l) {
                        alone(l)
                    } else if l.properties.isWhitespace {
                        flush()
                    } else {
                        appendUTF8(l, to: &word)
                        scalars += 1
                    }
                }
            }
        }
        flush()
    }

    /// `!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`: Rust's ASCII punctuation, which BERT splits off.
    static let asciiPunctuation: [Bool] = (0..<128).map { b in
        (33...47).contains(b) || (58...64).contains(b) || (91...96).contains(b) || (123...126).contains(b)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse: return true
        default: return false
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT isolates (not Hangul, Hiragana or Katakana).
    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    /// Canonical decomposition (NFD) of one scalar.
    static func decomposed(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        if s.value < 0xC0 { return [s] }
        let d = String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars
        return Array(d)
    }

    /// Full lower-case mapping of one scalar, without context (no final-sigma rule),
    /// as Rust's `char::to_lowercase`.
    static func lowercased(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        guard s.properties.changesWhenLowercased else { return [s] }
        return Array(s.properties.lowercaseMapping.unicodeScalars)
    }

    static func appendUTF8(_ s: Unicode.Scalar, to bytes: inout [UInt8]) {
        UTF8.encode(s) { bytes.append($0) }
    }
}
