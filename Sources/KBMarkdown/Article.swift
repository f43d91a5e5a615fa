import Foundation

/// One help-center article: its front matter and its body as typed blocks.
///
/// Produced by ``ArticleParser``; consumed by the chunker and the index.
public struct Article: Sendable, Hashable, Codable {
    /// Path relative to the knowledge-base folder, with `/` separators.
    public var path: String
    /// URL-safe identifier derived from the file name (without extension).
    public var slug: String
    /// Front matter `title`, else the first H1, else the file name.
    public var title: String
    public var description: String?
    /// Front matter `category`, else the top level of the first `ms.custom` `sap:` item,
    /// else the top folder.
    public var category: String
    public var tags: [String]
    /// `false` when front matter says `external: false` (an internal article).
    public var external: Bool
    /// Last update (front matter `updated`, `date` or `ms.date`; ISO or US `MM/DD/YYYY`).
    public var updated: Date?
    /// Front matter `status` when present (drafts and published drafts carry one).
    public var status: String?
    public var blocks: [Block]

    public init(
        path: String, slug: String, title: String, description: String? = nil,
        category: String, tags: [String] = [], external: Bool = true,
        updated: Date? = nil, status: String? = nil, blocks: [Block] = []
    ) {
        self.path = path; self.slug = slug; self.title = title; self.description = description
        self.category = category; self.tags = tags; self.external = external
        self.updated = updated; self.status = status; self.blocks = blocks
    }
}

/// A block of an article body, in document order.
public struct Block: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// A heading of level 1–6.
        case heading(level: Int)
        case paragraph
        /// One item of a list; `depth` is 1 for a top-level list. `task` is set for
        /// task-list items (`true` when checked).
        case listItem(depth: Int, ordered: Bool, task: Bool?)
        /// A fenced or indented code block with its info-string language (may be empty).
        case code(language: String)
        /// A GFM pipe table; `text` holds the Markdown rows.
        case table
        /// A block quote that is not an alert.
        case quote
        /// A DocFX/GitHub alert (`> [!NOTE]`, `> [!WARNING]` …); the kind in upper case.
        case callout(kind: String)
        /// Raw HTML block.
        case html
        /// An image description (`:::image … alt-text="…":::`), kept for its alt text.
        case image
    }

    public var kind: Kind
    /// Markdown source of the block as it should be shown to a reader or RAG consumer.
    public var markdown: String
    /// Plain text of the block (inline markup removed), used for search and embedding.
    public var text: String
    /// 1-based source lines (from cmark's source positions) in the article file.
    public var line: Int
    public var endLine: Int

    public init(kind: Kind, markdown: String, text: String, line: Int, endLine: Int) {
        self.kind = kind; self.markdown = markdown; self.text = text
        self.line = line; self.endLine = endLine
    }
}
