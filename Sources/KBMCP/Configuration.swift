import Foundation
import KBIndex
import KBTickets

/// Who the server answers: the wall every tool and resource goes through.
public enum MCPAudience: String, Sendable, CaseIterable, Codable {
    /// Customer-facing (the default): external articles only; no internal article, draft,
    /// ticket text or customer id is ever returned, and the internal tools do not exist.
    case external
    /// Support staff: every article, plus past resolutions, gaps and drafts.
    case `internal`

    /// The articles search and reads may return.
    var articles: Audience { self == .external ? .external : .all }
}

/// What `kb mcp` serves, every path already resolved from the project.
public struct MCPServerConfiguration: Sendable {
    public var indexPath: String
    public var ticketsPath: String
    public var draftsFolder: String
    public var reportsFolder: String
    public var modelDirectory: URL
    public var audience: MCPAudience
    public var version: String
    /// Threads embedding a query. 1 (the default) keeps latency steady when the machine is
    /// busy: the two-thread embedder's partner thread spins, and on an oversubscribed machine
    /// waiting for it cost 10× the query (measured: bench/mcp_latency.py, README).
    public var embeddingThreads: Int
    /// The ticket store's pseudonym key (customers are looked up by pseudonym).
    public var pseudonymKey: PseudonymKey

    public init(
        indexPath: String, ticketsPath: String, draftsFolder: String, reportsFolder: String,
        modelDirectory: URL, audience: MCPAudience = .external, version: String = "0.1.0", embeddingThreads: Int = 1,
        pseudonymKey: PseudonymKey = .besideStore
    ) {
        self.pseudonymKey = pseudonymKey
        self.indexPath = indexPath; self.ticketsPath = ticketsPath; self.draftsFolder = draftsFolder
        self.reportsFolder = reportsFolder; self.modelDirectory = modelDirectory; self.audience = audience;
        self.version = version
        self.embeddingThreads = max(1, embeddingThreads)
    }

    var gapsReport: String { (reportsFolder as NSString).appendingPathComponent("gaps.json") }
}

/// Why a tool or resource request failed, in words a model (and its user) can act on. Each
/// becomes an MCP error: bad arguments and unknown names as "invalid params", missing data
/// and failed reads as "internal error" with the cause.
public enum KBMCPError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownTool(String, available: [String])
    case unknownArgument(tool: String, name: String, expected: [String])
    case missingArgument(tool: String, name: String)
    case badArgument(tool: String, name: String, reason: String)
    /// Said the same for an internal article on an external server as for a missing one.
    case noArticle(String)
    case unknownResource(String)
    case noDraft(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case .unknownTool(let name, let available):
            "unknown tool '\(name)'; this server has: \(available.joined(separator: ", "))"
        case .unknownArgument(let tool, let name, let expected):
            "\(tool): unknown argument '\(name)'; expected \(expected.joined(separator: ", "))"
        case .missingArgument(let tool, let name): "\(tool): missing required argument '\(name)'"
        case .badArgument(let tool, let name, let reason): "\(tool): argument '\(name)' \(reason)"
        case .noArticle(let path):
            "no article at '\(path)' in the knowledge base; use a path from search_kb results (article_path) or resources/list"
        case .unknownResource(let uri): "unknown resource '\(uri)'; article resources look like kb://articles/{path}"
        case .noDraft(let id): "no draft with id '\(id)'; call draft_status without an id to list the drafts"
        case .unavailable(let reason): reason
        }
    }

    /// The MCP (JSON-RPC) error code's family: the caller's mistake, or the server's state.
    var isInvalidParams: Bool {
        switch self {
        case .unavailable: false
        default: true
        }
    }
}
