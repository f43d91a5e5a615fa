import Foundation

/// Why a tokenizer could not be loaded; every case names the file (or source) at fault.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The model folder has no `vocab.txt`.
    case vocabularyNotFound(path: String)
    /// The file exists but could not be read or is not UTF-8.
    case unreadableFile(path: String, reason: String)
    /// The vocabulary has no entries.
    case emptyVocabulary(path: String)
    /// A token the tokenizer needs (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`) is not in the vocabulary.
    case missingSpecialToken(token: String, path: String)
    /// `tokenizer.json` describes a pipeline this tokenizer does not implement.
    case unsupportedConfiguration(path: String, setting: String, value: String)

    public var description: String {
        switch self {
        case .vocabularyNotFound(let path):
            return "\(path): vocabulary file not found (expected the model's vocab.txt)"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .emptyVocabulary(let path):
            return "\(path): vocabulary is empty"
        case .missingSpecialToken(let token, let path):
            return "\(path): vocabulary has no \(token) token"
        case .unsupportedConfiguration(let path, let setting, let value):
            return "\(path): unsupported tokenizer setting \(setting) = \(value)"
        }
    }
}

/// The parts of `tokenizer.json` the tokenizer honours, checked against what it implements.
struct TokenizerSettings: Sendable {
    var unkToken = "[UNK]"
    var continuationPrefix = "##"
    var maxInputCharsPerWord = 100
    /// Tokens matched verbatim in raw text before normalization, with their ids when known.
    var addedTokens: [(String, Int32?)] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map { ($0, nil) }

    /// BERT uncased defaults (all-MiniLM-L6-v2).
    static let bert = TokenizerSettings()

    init() {}

    private struct File: Decodable {
        struct Normalizer: Decodable {
            var type: String
            var clean_text: Bool?
            var handle_chinese_chars: Bool?
            var strip_accents: Bool?
            var lowercase: Bool?
        }
        struct PreTokenizer: Decodable { var type: String }
        struct Model: Decodable {
            var type: String
            var unk_token: String?
            var continuing_subword_prefix: String?
            var max_input_chars_per_word: Int?
        }
        struct AddedToken: Decodable {
            var id: Int32
            var content: String
            var normalized: Bool?
        }
        var normalizer: Normalizer?
        var pre_tokenizer: PreTokenizer?
        var model: Model
        var added_tokens: [AddedToken]?
    }

    /// Reads and checks `tokenizer.json`.
    init(contentsOf url: URL) throws {
        let path = url.path
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        } catch {
            throw TokenizerError.unreadableFile(path: path, reason: "\(error)")
        }
        func require(_ ok: Bool, _ setting: String, _ value: Any?) throws {
            if !ok { throw TokenizerError.unsupportedConfiguration(path: path, setting: setting, value: "\(value ?? "null")") }
        }
        let n = file.normalizer
        try require(n?.type == "BertNormalizer", "normalizer.type", n?.type)
        try require(n?.clean_text ?? true, "normalizer.clean_text", n?.clean_text)
        try require(n?.handle_chinese_chars ?? true, "normalizer.handle_chinese_chars", n?.handle_chinese_chars)
        try require(n?.lowercase ?? true, "normalizer.lowercase", n?.lowercase)
        try require(n?.strip_accents ?? true, "normalizer.strip_accents", n?.strip_accents)
        try require(file.pre_tokenizer?.type == "BertPreTokenizer", "pre_tokenizer.type", file.pre_tokenizer?.type)
        try require(file.model.type == "WordPiece", "model.type", file.model.type)
        unkToken = file.model.unk_token ?? unkToken
        continuationPrefix = file.model.continuing_subword_prefix ?? continuationPrefix
        maxInputCharsPerWord = file.model.max_input_chars_per_word ?? maxInputCharsPerWord
        try require(maxInputCharsPerWord > 0 && maxInputCharsPerWord <= 10_000,
                    "model.max_input_chars_per_word", maxInputCharsPerWord)
        if let added = file.added_tokens {
            for token in added {
                try require(token.normalized != true, "added_tokens[\(token.content)].normalized", token.normalized)
            }
            addedTokens = added.map { ($0.content, $0.id) }
        }
    }
}
