import Foundation
import KBDrafts
import KBGaps
import KBIndex
import KBTickets
import MCP

/// What each tool returns, as JSON with snake_case keys: the same text in the result's
/// `content` (for clients that read text) and in `structuredContent`.
enum ToolResults {
    struct Search: Encodable {
        struct Hit: Encodable {
            struct Passage: Encodable {
                var headingPath: String
                var text: String
            }
            var articlePath: String
            var uri: String
            var title: String
            var category: String
            var external: Bool
            var score: Double
            var keywordScore: Double?
            var semanticScore: Double?
            var answerScore: Double?
            var confident: Bool?
            var chunks: [Passage]
        }
        var query: String
        var audience: String
        /// Whether any hit passed the answered test (nil: this index has no fitted test).
        var answered: Bool?
        var hits: [Hit]
    }

    struct Article: Encodable {
        var path: String
        var uri: String
        var title: String
        var description: String?
        var category: String
        var tags: [String]
        var external: Bool
        var updated: String?
        var markdown: String
    }

    struct Similar: Encodable {
        struct Match: Encodable {
            var ticket: String
            var similarity: Double
            var confident: Bool
            var subject: String
            var channel: String?
            var createdAt: String?
            var resolution: String?
            var steps: [String]
        }
        var threshold: Double?
        var matches: [Match]
    }

    struct Gaps: Encodable {
        struct Topic: Encodable {
            var id: Int
            var title: String
            var keyPhrases: [String]
            var volume: Int
            var share: Double
            var lastWeekChange: Int
            var examples: [String]
            var nearestArticle: String?
            var draftCommand: String
        }
        var generatedAt: Date
        var questions: Int
        var answered: Int
        var unanswered: Int
        var topicsTotal: Int
        var topics: [Topic]
    }

    struct Drafts: Encodable {
        var drafts: [DraftSummary]
        var unreadable: [String]
    }

    struct Draft: Encodable {
        var draft: DraftSummary
        var markdown: String
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    /// `value` as a successful tool result: JSON text plus the same as structured content.
    static func result<T: Encodable>(_ value: T) throws -> CallTool.Result {
        let data = try encoder.encode(value)
        let structured: Value? = try JSONDecoder().decode(Value.self, from: data)
        return CallTool.Result(
            content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
            structuredContent: structured, isError: false)
    }

    static func articleURI(_ path: String) -> String { "kb://articles/" + path }

    /// An article path from a path or a `kb://articles/…` URI; nil for another URI.
    static func articlePath(fromURI uri: String) -> String? {
        let prefix = "kb://articles/"
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = String(uri.dropFirst(prefix.count))
        return rest.removingPercentEncoding ?? rest
    }
}
