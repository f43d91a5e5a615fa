import Foundation
import KBIndex
import Logging
import MCP

/// `kb mcp`: the knowledge base over the Model Context Protocol (official Swift SDK), for
/// assistants beside agents or in front of customers. Tools: search_kb, get_article, and for
/// an internal audience similar_resolutions, list_gaps and draft_status; resources: articles
/// as `kb://articles/{path}`. Standard output carries only the protocol; logs go to the
/// logger the caller gives (standard error in `kb`).
public enum KBMCPServer {
    /// Builds the server with every handler registered (no transport yet).
    public static func make(_ configuration: MCPServerConfiguration, logger: Logger) async -> Server {
        let service = KnowledgeService(configuration: configuration, logger: logger)
        let audience = configuration.audience
        let server = Server(
            name: "supportkb", version: configuration.version, title: "SupportKB help center",
            instructions: instructions(audience),
            capabilities: .init(
                resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))

        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: ToolCatalog.tools(for: audience))
        }
        await server.withMethodHandler(CallTool.self) { params in
            do {
                return try await call(params, service: service, audience: audience)
            } catch {
                logger.notice("tool call refused", metadata: ["tool": "\(params.name)", "reason": "\(error)"])
                throw error.mcp
            }
        }
        await server.withMethodHandler(ListResources.self) { _ in
            do {
                let resources = try await service.articleList().map { a in
                    Resource(
                        name: a.path, uri: ToolResults.articleURI(a.path), title: a.title,
                        description: a.description ?? "\(a.category) article", mimeType: "text/markdown")
                }
                return ListResources.Result(resources: resources)
            } catch { throw error.mcp }
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: [
                Resource.Template(
                    uriTemplate: "kb://articles/{path}", name: "article", title: "Help-center article",
                    description: "An article's Markdown as indexed; {path} is an article_path from search_kb.",
                    mimeType: "text/markdown")
            ])
        }
        await server.withMethodHandler(ReadResource.self) { params in
            do {
                guard let path = ToolResults.articlePath(fromURI: params.uri), !path.isEmpty else {
                    throw KBMCPError.unknownResource(params.uri)
                }
                let a = try await service.article(path: path)
                return ReadResource.Result(contents: [.text(a.markdown, uri: params.uri, mimeType: "text/markdown")])
            } catch {
                logger.notice("resource read refused", metadata: ["uri": "\(params.uri)", "reason": "\(error)"])
                throw error.mcp
            }
        }
        await service.warmUp()
        await service.warmUpTickets()
        return server
    }

    /// Serves over standard input and output until the client closes the connection.
    public static func runStdio(_ configuration: MCPServerConfiguration, logger: Logger) async throws {
        let server = await make(configuration, logger: logger)
        let transport = StdioTransport(logger: logger)
        try await server.start(transport: transport)
        logger.info(
            "serving over stdio",
            metadata: [
                "audience": "\(configuration.audience.rawValue)",
                "index": "\(configuration.indexPath)",
            ])
        await server.waitUntilCompleted()
        await server.stop()
    }

    static func call(
        _ params: CallTool.Parameters, service: KnowledgeService, audience: MCPAudience
    ) async throws -> CallTool.Result {
        let available = ToolCatalog.names(for: audience)
        // The wall: an internal tool on an external server is as unknown as a made-up name.
        guard available.contains(params.name), let allowed = ToolCatalog.arguments[params.name] else {
            throw KBMCPError.unknownTool(params.name, available: available)
        }
        let args = try ToolArguments(tool: params.name, values: params.arguments, allowed: allowed)
        switch params.name {
        case ToolCatalog.searchKB:
            let query = try args.string("query", required: true, maxLength: 2_000)!
            let result = try await service.search(
                query: query, category: try args.string("category"), tags: try args.strings("tag"),
                top: try args.integer("top", in: 1...50, default: 5))
            return try ToolResults.result(result)
        case ToolCatalog.getArticle:
            var path = try args.string("path", required: true)!
            if let fromURI = ToolResults.articlePath(fromURI: path) { path = fromURI }
            let a = try await service.article(path: path)
            return try ToolResults.result(
                ToolResults.Article(
                    path: a.path, uri: ToolResults.articleURI(a.path), title: a.title, description: a.description,
                    category: a.category,
                    tags: a.tags, external: a.external, updated: a.updated, markdown: a.markdown))
        case ToolCatalog.similarResolutions:
            let text = try args.string("text", required: true)!
            return try ToolResults.result(
                try await service.similar(
                    text: text, customer: try args.string("customer"),
                    top: try args.integer("top", in: 1...50, default: 5)))
        case ToolCatalog.listGaps:
            return try ToolResults.result(
                try await service.gaps(top: try args.integer("top", in: 1...100, default: 10)))
        case ToolCatalog.draftStatus:
            if let id = try args.string("id") { return try ToolResults.result(try await service.draft(id: id)) }
            return try ToolResults.result(try await service.drafts())
        default:
            throw KBMCPError.unknownTool(params.name, available: available)
        }
    }

    static func instructions(_ audience: MCPAudience) -> String {
        switch audience {
        case .external:
            return """
                SupportKB help center (customer-facing articles only). Call search_kb with the customer's question; answer from \
                hits whose `confident` is true, citing the article title; when `answered` is false, say the help center has no \
                article on it. get_article returns an article's full text.
                """
        case .internal:
            return """
                SupportKB for support staff: every article (external and internal), past resolved tickets (redacted), knowledge \
                gaps and drafts. Start with search_kb; when no hit is confident, similar_resolutions shows how agents fixed the \
                same problem. Internal articles and ticket text must not be pasted to customers as they are.
                """
        }
    }
}

extension Error {
    /// This error as the MCP error the client receives: the message, never a stack trace.
    var mcp: MCPError {
        if let e = self as? MCPError { return e }
        if let e = self as? KBMCPError {
            return e.isInvalidParams ? .invalidParams(e.description) : .internalError(e.description)
        }
        return .internalError("\(self)")
    }
}

extension KBMCPServer {
    /// The same server over Streamable HTTP (stateless: one JSON response per POST, no
    /// sessions), for `kb serve` at `/mcp`. The caller passes each request to
    /// `StatelessHTTPServerTransport.handleRequest`.
    public static func startHTTP(
        _ configuration: MCPServerConfiguration, logger: Logger
    ) async throws -> StatelessHTTPServerTransport {
        let server = await make(configuration, logger: logger)
        let transport = StatelessHTTPServerTransport(logger: logger)
        try await server.start(transport: transport)
        return transport
    }
}
