import Foundation
import Hummingbird
import KBEmbedding
import Logging

/// `kb serve`: the editors' web app over the project's files (see docs/ARCHITECTURE.md, KBServe).
public struct KBServer: Sendable {
    public let site: Site

    /// Checks the configuration (a non-loopback address without a users file is refused) and
    /// opens the project.
    public init(configuration: ServeConfiguration, embedder: MiniLMEmbedder?, logger: Logger) throws {
        site = try Site(configuration: configuration, embedder: embedder, logger: logger)
    }

    /// Every route: pages, the JSON API, and the session middleware in front of them.
    /// `mcp`: the Model Context Protocol endpoint at `/mcp` (``MCPEndpoint``), when started.
    public func router(mcp: MCPEndpoint? = nil) -> Router<EditorContext> {
        let router = Router(context: EditorContext.self)
        router.add(
            middleware: SessionMiddleware(
                signer: site.signer, localEditor: site.localEditor,
                lifetime: site.configuration.sessionSeconds))
        PageRoutes(site: site).add(to: router)
        DraftRoutes(site: site).add(to: router)
        APIRoutes(site: site).add(to: router)
        mcp?.add(to: router)
        return router
    }

    public func application(mcp: MCPEndpoint? = nil) -> some ApplicationProtocol {
        Application(
            router: router(mcp: mcp),
            configuration: .init(
                address: .hostname(site.configuration.host, port: site.configuration.port),
                serverName: "kb-serve"),
            logger: site.logger)
    }

    /// Serves until SIGINT/SIGTERM.
    public func run() async throws {
        site.logger.info(
            "kb serve",
            metadata: [
                "url": "http://\(site.configuration.host):\(site.configuration.port)/",
                "editors":
                    "\(site.accounts == nil ? "the local user (\(site.configuration.localEditor))" : "signed-in users")",
            ])
        try await application(mcp: try await MCPEndpoint.start(site: site)).runService()
    }
}
