import Foundation

/// What `kb serve` serves and how: the project's folders, the address, and who may edit.
public struct ServeConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The project folder: every file the app reads or writes must resolve inside it.
    public var projectRoot: String
    public var articles: String
    public var index: String
    public var tickets: String
    public var drafts: String
    public var reports: String
    /// The model folder (`nil`: ``ModelLocator`` searches).
    public var modelDirectory: String?
    /// The users file (`--auth`): one `name:bcrypt-hash` per line. Without it, only loopback is
    /// allowed and the local user is the editor (`localEditor`).
    public var authFile: String?
    /// The name the review log records for the local user when there is no users file.
    public var localEditor: String
    /// Request bodies larger than this are refused (413).
    public var maxBodyBytes = 1 << 20
    /// How long a sign-in lasts.
    public var sessionSeconds: TimeInterval = 12 * 3600

    public init(
        host: String = "127.0.0.1", port: Int = 8080, projectRoot: String, articles: String, index: String,
        tickets: String, drafts: String, reports: String, modelDirectory: String?, authFile: String?,
        localEditor: String
    ) {
        self.host = host; self.port = port; self.projectRoot = projectRoot; self.articles = articles; self.index = index
        self.tickets = tickets; self.drafts = drafts; self.reports = reports; self.modelDirectory = modelDirectory
        self.authFile = authFile; self.localEditor = localEditor
    }

    /// Loopback names and addresses: the only ones served without a users file.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Refuses to serve a non-loopback address without a users file, and checks the folders.
    public func validate() throws(ServeError) {
        guard (1...65535).contains(port) else { throw .badOption("--port \(port) is not a TCP port (1–65535)") }
        if !Self.isLoopback(host), authFile == nil {
            throw .notLoopbackWithoutAuth(host: host)
        }
        if let authFile, !FileManager.default.fileExists(atPath: authFile) {
            throw .authFile(path: authFile, line: 0, reason: "no such file")
        }
    }
}

/// Why the app did not start or a request could not be served, with what it concerns.
public enum ServeError: Error, CustomStringConvertible, Sendable, Equatable {
    case notLoopbackWithoutAuth(host: String)
    case authFile(path: String, line: Int, reason: String)
    case badOption(String)
    case outsideProject(path: String)

    public var description: String {
        switch self {
        case .notLoopbackWithoutAuth(let host):
            "refusing to serve \(host) without --auth FILE: only loopback (127.0.0.1, ::1, localhost) is served without sign-in; give a users file (`kb serve --hash-password` makes its lines)"
        case .authFile(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .badOption(let message): message
        case .outsideProject(let path): "\(path): outside the project; refused"
        }
    }
}
