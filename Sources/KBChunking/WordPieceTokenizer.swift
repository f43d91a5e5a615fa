import Foundation

/// The all-MiniLM-L6-v2 (BERT uncased) tokenizer: Hugging Face `tokenizers`' `BertNormalizer`
/// (clean text, spaces around CJK ideographs, NFD with nonspacing marks removed, lowercase),
/// `BertPreTokenizer` (split on whitespace and punctuation) and greedy longest-match-first
/// `WordPiece` with the `##` continuation prefix, producing exactly the same ids.
///
/// It works on UTF-8 bytes in one pass, with no per-word or per-token allocation; ASCII and BMP
/// characters go through precomputed tables.
public struct WordPieceTokenizer: Sendable {
    /// The model's window: at most this many tokens, `[CLS]` and `[SEP]` included.
    public static let modelWindow = 256

    public let clsID: Int32
    public let sepID: Int32
    public let padID: Int32
    public let unkID: Int32

    /// Vocabulary strings by id, for `token(for:)`.
    private let tokens: [String]
    private let table: VocabularyTable
    /// Special tokens matched verbatim in raw text, longest first.
    private let specials: [SpecialToken]
    private let specialStart: [Bool]
    /// Id of each ASCII character as a word of its own (`[UNK]` if absent).
    private let asciiIDs: [Int32]
    private let maxInputCharsPerWord: Int

    /// Loads `vocab.txt` from a model folder. When the folder also has a `tokenizer.json`, its
    /// settings are checked (they must describe this BERT pipeline) and its unknown token,
    /// continuation prefix, word-length limit and added tokens are used.
    /// - Throws: `TokenizerError` naming the file that is missing or bad.
    public init(directory: URL) throws {
        let vocabURL = directory.appendingPathComponent("vocab.txt")
        let tokens = try Self.readVocabulary(at: vocabURL)
        let configURL = directory.appendingPathComponent("tokenizer.json")
        var settings = TokenizerSettings.bert
        if FileManager.default.fileExists(atPath: configURL.path) {
            settings = try TokenizerSettings(contentsOf: configURL)
        }
        try self.init(tokens: tokens, settings: settings, source: vocabURL.path)
    }

    /// Builds a tokenizer from vocabulary strings in id order (line `n` of `vocab.txt` is id `n`),
    /// with the standard BERT settings.
    /// - Throws: `TokenizerError.missingSpecialToken` if `[UNK]`, `[CLS]`, `[SEP]` or `[PAD]` is absent.
    public init(vocabulary: [String]) throws {
        try self.init(tokens: vocabulary, settings: .bert, source: "<vocabulary array>")
    }

    private init(tokens: [String], settings: TokenizerSettings, source: String) throws {
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary(path: source) }
        let maxWordBytes = max(16, settings.maxInputCharsPerWord * 4 + 4)
        let table = VocabularyTable(tokens: tokens, continuationPrefix: settings.continuationPrefix,
                                    maxWordBytes: maxWordBytes)
        func id(_ token: String) throws -> Int32 {
            let id = table.id(of: token)
            guard id >= 0 else { throw TokenizerError.missingSpecialToken(token: token, path: source) }
            return id
        }
        unkID = try id(settings.unkToken)
        clsID = try id("[CLS]")
        sepID = try id("[SEP]")
        padID = try id("[PAD]")
        var specials: [SpecialToken] = []
        for (content, explicitID) in settings.addedTokens where !content.isEmpty {
            let resolved = explicitID ?? table.id(of: content)
            if resolved >= 0 { specials.append(SpecialToken(bytes: Array(content.utf8), id: resolved)) }
        }
        specials.sort { $0.bytes.count > $1.bytes.count }
        var specialStart = [Bool](repeating: false, count: 256)
        for special in specials { specialStart[Int(special.bytes[0])] = true }
        let unk = unkID
        asciiIDs = (0..<128).map { byte in
            let id = table.id(of: String(UnicodeScalar(UInt8(byte))))
            return id >= 0 ? id : unk
        }
        self.tokens = tokens
        self.table = table
        self.specials = specials
        self.specialStart = specialStart
        self.maxInputCharsPerWord = settings.maxInputCharsPerWord
    }

    /// WordPiece ids of `text`, without `[CLS]`/`[SEP]` and without truncation.
    public func tokenize(_ text: String) -> [Int32] {
        var sink = IDCollector()
        sink.ids.reserveCapacity(text.utf8.count / 4 + 4)
        scan(text, into: &sink)
        return sink.ids
    }

    /// The number of tokens the model would see for `text` untruncated, `[CLS]` and `[SEP]`
    /// included: `tokenize(text).count + 2`, computed without building the id array.
    public func countTokens(_ text: String) -> Int {
        var sink = TokenCounter()
        scan(text, into: &sink)
        return sink.count + 2
    }

    /// `[CLS] … [SEP]` for the model, truncated to `maxLength` ids (at least 2).
    public func encode(_ text: String, maxLength: Int = WordPieceTokenizer.modelWindow) -> Encoding {
        let limit = max(2, maxLength)
        var sink = TruncatingCollector(ids: [clsID], limit: limit - 1)
        sink.ids.reserveCapacity(min(limit, text.utf8.count / 2 + 4))
        scan(text, into: &sink)
        sink.ids.append(sepID)
        return Encoding(ids: sink.ids, droppedTokens: sink.dropped)
    }

    /// The vocabulary string of `id` (for debugging), or `"<invalid id N>"`.
    public func token(for id: Int32) -> String {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : "<invalid id \(id)>"
    }

    /// The number of entries in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    private func scan<S: TokenSink>(_ text: String, into sink: inout S) {
        var text = text
        let normalization = BertNormalization.bmpTable
        let capacity = table.maxWordBytes
        // One stack buffer for the word's prefix hashes, its pieces and its bytes.
        let scratchBytes = (capacity + 1) * 8 + capacity * 4 + capacity
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return }
            table.withLookup { lookup in
                normalization.bmp.withUnsafeBufferPointer { bmp in
                    normalization.expansions.withUnsafeBufferPointer { expansions in
                        specialStart.withUnsafeBufferPointer { specialStart in
                            asciiIDs.withUnsafeBufferPointer { asciiIDs in
                                withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: 8) { scratch in
                                    let raw = scratch.baseAddress!
                                    let hashes = raw.bindMemory(to: UInt64.self, capacity: capacity + 1)
                                    let pieces = (raw + (capacity + 1) * 8).bindMemory(to: Int32.self, capacity: capacity)
                                    let word = (raw + (capacity + 1) * 8 + capacity * 4).bindMemory(to: UInt8.self, capacity: capacity)
                                    var scanner = WordPieceScanner(
                                        lookup: lookup, bmp: bmp.baseAddress!,
                                        expansions: expansions.baseAddress ?? bmp.baseAddress!,
                                        word: word, hashes: hashes, pieces: pieces, asciiIDs: asciiIDs.baseAddress!,
                                        maxCharacters: maxInputCharsPerWord, maxInitial: table.maxInitialLength,
                                        maxContinuation: table.maxContinuationLength, unkID: unkID)
                                    scanner.run(base, utf8.count, specials: specials,
                                                specialStart: specialStart.baseAddress!, &sink)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Lines of `vocab.txt`, trailing whitespace trimmed (as `tokenizers` reads it).
    static func readVocabulary(at url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TokenizerError.vocabularyNotFound(path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.unreadableFile(path: url.path, reason: "not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let tokens = lines.map { line -> String in
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)].isWhitespace { end = line.index(before: end) }
            return String(line[..<end])
        }
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary(path: url.path) }
        return tokens
    }
}

/// Model input for one text.
public struct Encoding: Sendable, Hashable {
    /// `[CLS] … [SEP]`, at most the requested maximum length.
    public var ids: [Int32]
    /// WordPiece tokens cut off by truncation (0 if the text fit).
    public var droppedTokens: Int

    public init(ids: [Int32], droppedTokens: Int) {
        self.ids = ids
        self.droppedTokens = droppedTokens
    }
}
