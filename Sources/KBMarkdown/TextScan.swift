/// Byte-level string helpers for the parser's hot paths (no Foundation bridging).
extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    var trimmed: SubSequence {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return self[start..<end]
    }

    /// Whether the UTF-8 bytes contain `needle` (ASCII needles; plain byte search).
    func containsBytes(_ needle: String) -> Bool {
        firstByteRange(of: needle) != nil
    }

    /// Range of the first occurrence of `needle`, searched on UTF-8 bytes.
    func firstByteRange(of needle: String) -> Range<Index>? {
        let hay = utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        var i = hay.startIndex
        while let start = hay[i...].firstIndex(of: first) {
            var h = start, k = 0
            while k < pattern.count, h < hay.endIndex, hay[h] == pattern[k] { h = hay.index(after: h); k += 1 }
            if k == pattern.count { return start..<h }
            i = hay.index(after: start)
        }
        return nil
    }
}
