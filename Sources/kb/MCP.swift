import ArgumentParser
import Foundation
import KBChunking
import KBMCP
import Logging

/// `kb mcp`: the knowledge base as a Model Context Protocol server over stdio (``KBMCPServer``).
struct MCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the knowledge base to AI assistants over the Model Context Protocol (stdio), read-only.",
        discussion: """
            Tools: search_kb, get_article; with --audience internal also similar_resolutions, list_gaps and \
            draft_status. Resources: articles as kb://articles/{path}. An external server (the default) never \
            returns an internal article, a draft, ticket text or a customer id. Standard output carries only \
            the protocol; logs go to standard error.
            """)

    @Option(
        help:
            "external (customer-facing, default) or internal (support staff: internal articles, tickets, gaps, drafts)."
    )
    var audience: MCPAudience = .external

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var ticketStore: TicketStoreOptions

    @OptionGroup var model: ModelOptions

    @Option(
        help:
            "Threads embedding a query: 1 (default) keeps latency steady on a busy machine; 2 is faster on an idle one."
    )
    var threads: Int = 1

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...8).contains(threads) else { throw ValidationError("--threads must be between 1 and 8") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "kb.mcp")
        let configuration = MCPServerConfiguration(
            indexPath: database.db, ticketsPath: ticketStore.db, draftsFolder: Paths.drafts,
            reportsFolder: Paths.reports,
            modelDirectory: try ModelLocator.directory(explicit: model.directory), audience: audience,
            version: KB.configuration.version, embeddingThreads: threads,
            pseudonymKey: ProjectContext.pseudonymKey)
        try await KBMCPServer.runStdio(configuration, logger: logger)
    }
}

extension MCPAudience: ExpressibleByArgument {}
