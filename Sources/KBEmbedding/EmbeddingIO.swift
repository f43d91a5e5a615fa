import Foundation
import KBChunking

/// Text in, vectors out, for `kb embed` and for scripts: JSON arrays of floats, one per
/// line, in input order.
public enum EmbeddingIO {
    /// `[0.0123,-0.0456,…]`: each float in its shortest form that reads back exactly.
    public static func jsonArray(_ vector: [Float]) -> String {
        var s = "["
        s.reserveCapacity(vector.count * 13)
        for (i, x) in vector.enumerated() {
            if i > 0 { s += "," }
            s += x.isFinite ? x.description : "0"
        }
        return s + "]"
    }

    /// Totals of a `--lines` run.
    public struct LineStats: Sendable {
        public var texts = 0
        public var tokens = 0
        /// Texts longer than the model window, and the word pieces cut from them.
        public var truncatedTexts = 0
        public var droppedTokens = 0
    }

    /// Embeds one text per line of `input` (a trailing `\r` is removed; an empty line is
    /// the empty text) and hands `write` one JSON array per line, in order. Reads and
    /// embeds `blockLines` lines at a time, so memory stays flat on large files.
    public static func embedLines(from input: FileHandle, embedder: MiniLMEmbedder, blockLines: Int = 4096,
                                  write: (String) -> Void) throws -> LineStats {
        var stats = LineStats()
        var carry = Data()
        var block: [String] = []
        func flush() {
            guard !block.isEmpty else { return }
            let encodings = embedder.encode(block)
            for (encoding, vector) in zip(encodings, embedder.embed(encodings: encodings)) {
                write(jsonArray(vector))
                stats.texts += 1
                stats.tokens += min(encoding.ids.count, embedder.maxLength)
                if encoding.droppedTokens > 0 { stats.truncatedTexts += 1; stats.droppedTokens += encoding.droppedTokens }
            }
            block.removeAll(keepingCapacity: true)
        }
        func take(_ line: Data) {
            var line = line
            if line.last == 0x0D { line.removeLast() }
            block.append(String(decoding: line, as: UTF8.self))
            if block.count == blockLines { flush() }
        }
        while true {
            let data = input.readData(ofLength: 1 << 20)
            if data.isEmpty { break }
            carry.append(data)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: 0x0A) {
                take(carry[start..<newline])
                start = carry.index(after: newline)
            }
            carry = Data(carry[start...])
        }
        if !carry.isEmpty { take(carry) }
        flush()
        return stats
    }
}
