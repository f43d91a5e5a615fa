import MCP

/// The tools `kb mcp` offers, with JSON schemas and descriptions written for a model
/// choosing among them. An external server lists (and answers) only the external tools.
enum ToolCatalog {
    static let searchKB = "search_kb"
    static let getArticle = "get_article"
    static let similarResolutions = "similar_resolutions"
    static let listGaps = "list_gaps"
    static let draftStatus = "draft_status"

    /// Argument names each tool accepts (anything else is refused with the list).
    static let arguments: [String: [String]] = [
        searchKB: ["query", "category", "tag", "top"],
        getArticle: ["path"],
        similarResolutions: ["text", "customer", "top"],
        listGaps: ["top"],
        draftStatus: ["id"],
    ]

    static func names(for audience: MCPAudience) -> [String] {
        audience == .external
            ? [searchKB, getArticle] : [searchKB, getArticle, similarResolutions, listGaps, draftStatus]
    }

    static func tools(for audience: MCPAudience) -> [Tool] {
        let all = [search(audience), article(audience), similar, gaps, drafts]
        let names = Set(names(for: audience))
        return all.filter { names.contains($0.name) }
    }

    static let readOnly = Tool.Annotations(
        readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false)

    static func schema(_ properties: [String: Value], required: [String] = []) -> Value {
        .object([
            "type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ])
    }

    static func search(_ audience: MCPAudience) -> Tool {
        Tool(
            name: searchKB, title: "Search the help center",
            description: """
                Search the support knowledge base (\(audience == .external ? "customer-facing articles only" : "customer-facing and internal articles")) \
                with hybrid keyword + meaning search. Use it first for any product or how-to question, phrased as the customer would ask it. \
                Returns up to `top` articles, best first, each with its path, title, category, scores and its best passages \
                (chunks, each with its heading path). Each hit carries the knowledge base's own answered test: `answer_score` \
                (0–1) and `confident` (true when the article very likely answers the question). If `answered` is false (no hit \
                is confident), say the help center has no article on this rather than guessing from the closest hits. \
                Call get_article with a hit's `article_path` for the full text.
                """,
            inputSchema: schema(
                [
                    "query": .object([
                        "type": "string", "description": "The question or keywords, in natural language.",
                    ]),
                    "category": .object([
                        "type": "string",
                        "description": "Only articles in this category (case-insensitive), e.g. \"Payments\".",
                    ]),
                    "tag": .object([
                        "description": "Only articles with this tag; a list means every tag must be present.",
                        "anyOf": .array([
                            .object(["type": "string"]),
                            .object(["type": "array", "items": .object(["type": "string"])]),
                        ]),
                    ]),
                    "top": .object([
                        "type": "integer", "minimum": 1, "maximum": 50, "default": 5,
                        "description": "How many articles to return (1–50, default 5).",
                    ]),
                ], required: ["query"]),
            annotations: readOnly)
    }

    static func article(_ audience: MCPAudience) -> Tool {
        Tool(
            name: getArticle, title: "Read a help-center article",
            description: """
                The full Markdown of one knowledge-base article as it was indexed (shared snippets/includes already rendered), \
                with its title, category and tags. `path` is an `article_path` from search_kb (e.g. \"payments/card-declined.md\") \
                or its resource URI kb://articles/{path}. Use it when a search passage is not enough to answer\
                \(audience == .external ? "; only customer-facing articles can be read" : "").
                """,
            inputSchema: schema(
                [
                    "path": .object([
                        "type": "string",
                        "description": "The article's path relative to the articles folder, as search_kb returns it.",
                    ])
                ], required: ["path"]),
            annotations: readOnly)
    }

    static let similar = Tool(
        name: similarResolutions, title: "Find how similar tickets were resolved",
        description: """
            Internal (support staff only). Past RESOLVED support tickets whose problem means the same as `text`, with the fix \
            that worked (resolution summary and steps), best first. Ticket text is redacted (no names, e-mails, phone or card \
            numbers). Use it when the help center has no confident answer, or to see how agents actually fixed a problem. \
            `similarity` is the cosine of the problems; `confident` is true from this ticket store's same-problem threshold. \
            `customer` (their e-mail or export id) limits the results to that customer's tickets.
            """,
        inputSchema: schema(
            [
                "text": .object(["type": "string", "description": "The problem, in any words (redacted before use)."]),
                "customer": .object([
                    "type": "string", "description": "Only this customer's tickets: their e-mail or export id.",
                ]),
                "top": .object([
                    "type": "integer", "minimum": 1, "maximum": 50, "default": 5,
                    "description": "How many tickets (1–50, default 5).",
                ]),
            ], required: ["text"]),
        annotations: readOnly)

    static let gaps = Tool(
        name: listGaps, title: "List knowledge gaps",
        description: """
            Internal (support staff only). The topics customers ask about that the published help center does not answer, \
            from the last `kb gaps` run (reports/gaps.json), largest first: title, key phrases, volume and share of questions, \
            trend, redacted example questions, the nearest (insufficient) article, and the command that opens a draft. \
            Use it to decide what to write next or to tell whether a question is a known gap.
            """,
        inputSchema: schema([
            "top": .object([
                "type": "integer", "minimum": 1, "maximum": 100, "default": 10,
                "description": "How many topics (1–100, default 10).",
            ])
        ]),
        annotations: readOnly)

    static let drafts = Tool(
        name: draftStatus, title: "Draft review status",
        description: """
            Internal (support staff only). Article drafts mined from tickets and where each stands in review \
            (draft, in_review, approved, published or rejected): without `id`, every draft with its status, title, ticket count, \
            age, flags and whether a newer proposal waits; with `id`, that draft's status and its full Markdown. Read-only: \
            reviews happen with `kb review`.
            """,
        inputSchema: schema([
            "id": .object(["type": "string", "description": "A draft id from the list (its file name without .md)."])
        ]),
        annotations: readOnly)
}
