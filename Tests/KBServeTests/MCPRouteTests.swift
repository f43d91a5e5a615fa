import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KBServe
import NIOCore
import XCTest

/// `POST /mcp`: the MCP server over Streamable HTTP beside the pages, external audience only.
final class MCPRouteTests: XCTestCase {
    var root: URL!

    override func setUp() async throws { root = try await ServeFixture.copy() }
    override func tearDown() async throws { try? FileManager.default.removeItem(at: root) }

    func testMCPOverHTTPSearchesAndNeverLeaksInternal() async throws {
        let server = try ServeFixture.server(root)
        let mcp = try await MCPEndpoint.start(site: server.site)
        try await server.application(mcp: mcp).test(.router) { client in
            func call(_ id: Int, _ method: String, _ params: [String: Any]) async throws -> [String: Any] {
                let body = try JSONSerialization.data(withJSONObject: [
                    "jsonrpc": "2.0", "id": id, "method": method, "params": params,
                ])
                return try await client.execute(
                    uri: "/mcp", method: .post,
                    headers: [
                        .contentType: "application/json", .accept: "application/json, text/event-stream",
                        HTTPField.Name("MCP-Protocol-Version")!: "2025-06-18",
                    ],
                    body: ByteBuffer(data: body)
                ) { response in
                    XCTAssertEqual(response.status, .ok, String(buffer: response.body))
                    return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                        ?? [:]
                }
            }
            let initialized = try await call(
                1, "initialize",
                [
                    "protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
                    "clientInfo": ["name": "test", "version": "1"],
                ])
            XCTAssertNotNil((initialized["result"] as? [String: Any])?["serverInfo"], "\(initialized)")
            let tools = try await call(2, "tools/list", [:])
            let names =
                ((tools["result"] as? [String: Any])?["tools"] as? [[String: Any]])?.compactMap {
                    $0["name"] as? String
                } ?? []
            XCTAssertEqual(Set(names), ["search_kb", "get_article"], "external tools only: \(tools)")
            let found = try await call(
                3, "tools/call", ["name": "search_kb", "arguments": ["query": "my card was declined at checkout"]])
            XCTAssertTrue("\(found)".contains("payments/card-declined.md"), "\(found)")
            let internalText = try await call(
                4, "tools/call", ["name": "search_kb", "arguments": ["query": "Refund approval limits"]])
            XCTAssertFalse("\(internalText)".contains("internal/refund-limits.md"), "\(internalText)")
            let internalPath = try await call(
                5, "tools/call", ["name": "get_article", "arguments": ["path": "internal/refund-limits.md"]])
            XCTAssertFalse("\(internalPath)".contains("500"), "\(internalPath)")
            let internalTool = try await call(
                6, "tools/call", ["name": "similar_resolutions", "arguments": ["text": "csv dates"]])
            XCTAssertTrue(
                "\(internalTool)".contains("error") || "\(internalTool)".contains("isError"), "\(internalTool)")
        }
    }
}
