import Foundation
import HTTPTypes
import Hummingbird
import KBChunking
import KBMCP
import Logging
import MCP

/// `POST /mcp`: the knowledge base for AI assistants over the Model Context Protocol's
/// Streamable HTTP transport (stateless JSON responses), the same tools as `kb mcp`. It is
/// always the **external** audience — whoever is signed in — so it never returns an internal
/// article, a draft, ticket text or a customer id; a team's internal assistant runs
/// `kb mcp --audience internal` over stdio instead. Read-only, so it needs no CSRF token.
public struct MCPEndpoint: Sendable {
    let transport: StatelessHTTPServerTransport
    let maxBodyBytes: Int

    public static func start(site: Site) async throws -> MCPEndpoint {
        let c = site.configuration
        let configuration = MCPServerConfiguration(
            indexPath: c.index, ticketsPath: c.tickets, draftsFolder: c.drafts, reportsFolder: c.reports,
            modelDirectory: try ModelLocator.directory(explicit: c.modelDirectory), audience: .external,
            version: "0.1.0", embeddingThreads: 1)
        return MCPEndpoint(
            transport: try await KBMCPServer.startHTTP(configuration, logger: site.logger),
            maxBodyBytes: c.maxBodyBytes)
    }

    func add(to router: Router<EditorContext>) {
        router.post("/mcp") { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await transport.handleRequest(
                MCP.HTTPRequest(
                    method: "POST", headers: headers,
                    body: Data(buffer: body), path: "/mcp"))
            var fields = HTTPFields()
            for (name, value) in answer.headers { if let n = HTTPField.Name(name) { fields[n] = value } }
            return Response(
                status: .init(code: answer.statusCode), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(data: answer.bodyData ?? Data())))
        }
    }
}
