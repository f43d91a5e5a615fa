import KBMarkdown

/// A piece of an article small enough for the embedding model to read whole.
public struct Chunk: Sendable, Hashable, Codable {
    /// Article path relative to the knowledge-base folder.
    public var article: String
    public var slug: String
    /// Position of the chunk within its article, from 0.
    public var index: Int
    /// Headings above the chunk, starting with the article title
    /// (`["Title", "Resolution", "Method 2"]`).
    public var headingPath: [String]
    /// Markdown source of the chunk's blocks (fences and tables intact).
    public var text: String
    /// Exactly what the model reads: heading path, then the chunk's plain text.
    public var embedText: String
    /// Token count of `embedText` with `[CLS]` and `[SEP]`; never above the model window.
    public var tokens: Int
    public var external: Bool
    public var category: String
    public var tags: [String]
    /// First and last source line of the chunk's blocks.
    public var line: Int
    public var endLine: Int

    public init(
        article: String, slug: String, index: Int, headingPath: [String], text: String,
        embedText: String, tokens: Int, external: Bool, category: String, tags: [String],
        line: Int, endLine: Int
    ) {
        self.article = article; self.slug = slug; self.index = index; self.headingPath = headingPath
        self.text = text; self.embedText = embedText; self.tokens = tokens; self.external = external
        self.category = category; self.tags = tags; self.line = line; self.endLine = endLine
    }

    /// The heading path joined for display: `Title > Resolution > Method 2`.
    public var headingPathString: String { headingPath.joined(separator: " > ") }
}
