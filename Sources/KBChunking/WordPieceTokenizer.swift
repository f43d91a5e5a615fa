import Foundation

/// The all-MiniLM-L6-v2 tokenizer: BERT normalisation and pre-tokenisation followed by
/// greedy longest-match-first WordPiece, giving the same ids as Hugging Face `tokenizers`
/// with the model's `tokenizer.json` (padding and truncation off).
///
/// Vocabulary lookups walk a byte trie, so matching a word costs one table probe per byte
/// and no strings are built per candidate sub-word.
public struct WordPieceTokenizer: Sendable {
    /// The model window: at most this many ids, `[CLS]` and `[SEP]` included.
    public static let modelWindow = 256
    /// Words longer than this (in Unicode scalars) become `[UNK]`.
    public static let maxInputCharsPerWord = 100

    public let clsID: Int32
    public let sepID: Int32
    public let padID: Int32
    public let unkID: Int32

    private let vocabulary: [String]
    /// Trie for word-initial pieces and for `##` continuation pieces.
    private let initial: ByteTrie
    private let continuation: ByteTrie

    /// Loads `vocab.txt` from a model folder.
    public init(directory: URL) throws(TokenizerError) {
        let url = directory.appendingPathComponent("vocab.txt")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TokenizerError.vocabularyMissing(path: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.vocabularyInvalid(path: url.path, reason: "not UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines, source: url.path)
    }

    /// Builds a tokenizer from the vocabulary lines (token `i` has id `i`).
    public init(vocabulary: [String]) throws(TokenizerError) {
        try self.init(vocabulary: vocabulary, source: "vocabulary")
    }

    private init(vocabulary: [String], source: String) throws(TokenizerError) {
        func id(_ token: String) throws(TokenizerError) -> Int32 {
            guard let i = vocabulary.firstIndex(of: token) else {
                throw TokenizerError.vocabularyInvalid(path: source, reason: "no \(token) token")
            }
            return Int32(i)
        }
        clsID = try id("[CLS]")
        sepID = try id("[SEP]")
        padID = try id("[PAD]")
        unkID = try id("[UNK]")
        self.vocabulary = vocabulary
        var initial = ByteTrie()
        var continuation = ByteTrie()
        for (i, token) in vocabulary.enumerated() {
            if token.utf8.starts(with: "##".utf8) {  // bytes: "##" + a combining mark is one Character
                continuation.insert(token.utf8.dropFirst(2), id: Int32(i))
            } else {
                initial.insert(token.utf8[...], id: Int32(i))
            }
        }
        self.initial = initial
        self.continuation = continuation
    }

    /// WordPiece ids of `text`, without `[CLS]`/`[SEP]` and without truncation.
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3)
        BasicTokenizer.forEachWord(in: text) { word, scalarCount in
            appendPieces(of: word, scalarCount: scalarCount, to: &ids)
        }
        return ids
    }

    /// Number of ids the model reads for `text` with `[CLS]` and `[SEP]`, before truncation.
    public func countTokens(_ text: String) -> Int {
        var count = 2
        var scratch: [Int32] = []
        BasicTokenizer.forEachWord(in: text) { word, scalarCount in
            scratch.removeAll(keepingCapacity: true)
            appendPieces(of: word, scalarCount: scalarCount, to: &scratch)
            count += scratch.count
        }
        return count
    }

    /// `[CLS] ids [SEP]`, cut to `maxLength` as sentence-transformers does; the encoding
    /// says how many word pieces were dropped.
    public func encode(_ text: String, maxLength: Int = WordPieceTokenizer.modelWindow) -> Encoding {
        let pieces = tokenize(text)
        let room = max(0, maxLength - 2)
        var ids: [Int32] = [clsID]
        ids.reserveCapacity(min(pieces.count, room) + 2)
        ids.append(contentsOf: pieces.prefix(room))
        ids.append(sepID)
        return Encoding(ids: ids, droppedTokens: max(0, pieces.count - room))
    }

    /// The vocabulary entry for an id (for debugging and tests).
    public func token(for id: Int32) -> String {
        vocabulary.indices.contains(Int(id)) ? vocabulary[Int(id)] : "[?]"
    }

    /// Greedy longest-match-first over the word's UTF-8 bytes; a word with an unmatched
    /// remainder, or over 100 scalars, is a single `[UNK]`.
    private func appendPieces(of word: UnsafeBufferPointer<UInt8>, scalarCount: Int, to ids: inout [Int32]) {
        if scalarCount > Self.maxInputCharsPerWord {
            ids.append(unkID)
            return
        }
        let mark = ids.count
        var start = 0
        while start < word.count {
            let trie = start == 0 ? initial : continuation
            guard let (id, end) = trie.longestMatch(word, from: start) else {
                ids.removeSubrange(mark...)
                ids.append(unkID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}

/// `[CLS] … [SEP]` ids for the model and what truncation dropped.
public struct Encoding: Sendable, Hashable {
    public var ids: [Int32]
    /// Word pieces cut off by truncation (0 when the text fit).
    public var droppedTokens: Int

    public init(ids: [Int32], droppedTokens: Int) {
        self.ids = ids
        self.droppedTokens = droppedTokens
    }
}

/// Problems loading a tokenizer, naming the file.
public enum TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    case vocabularyMissing(path: String)
    case vocabularyInvalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .vocabularyMissing(let path): "\(path): vocabulary not found (run `make setup` to fetch the model)"
        case .vocabularyInvalid(let path, let reason): "\(path): not a WordPiece vocabulary (\(reason))"
        }
    }
}

/// A byte trie with child links in one flat hash table keyed by (node, byte).
struct ByteTrie: Sendable {
    private var children: [Int: Int32] = [:]
    /// Token id ending at each node, or -1.
    private var terminal: [Int32] = [-1]

    mutating func insert<C: Collection>(_ bytes: C, id: Int32) where C.Element == UInt8 {
        var node = 0
        for b in bytes {
            let key = node << 8 | Int(b)
            if let next = children[key] {
                node = Int(next)
            } else {
                terminal.append(-1)
                let next = terminal.count - 1
                children[key] = Int32(next)
                node = next
            }
        }
        if terminal[node] < 0 { terminal[node] = id }
    }

    /// The longest vocabulary entry starting at `start`: its id and end offset.
    func longestMatch(_ word: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int32, Int)? {
        var node = 0
        var best: (Int32, Int)?
        var i = start
        while i < word.count, let next = children[node << 8 | Int(word[i])] {
            node = Int(next)
            i += 1
            if terminal[node] >= 0 { best = (terminal[node], i) }
        }
        return best
    }
}
