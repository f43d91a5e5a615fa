import Foundation
import Yams

/// A SupportKB project: the folder holding `kb.yml`, found the way git finds a repository
/// (`--project DIR`, else `$KB_PROJECT`, else the first `kb.yml` in the current folder or
/// above it). `kb.yml` names where things live, relative to itself:
///
/// ```yaml
/// articles: kb/articles
/// index: kb/index.sqlite
/// tickets_db: kb/tickets.sqlite
/// drafts: kb/drafts
/// reports: reports
/// model: .models/all-MiniLM-L6-v2
/// ```
///
/// Every key is optional (the defaults are above). Without a `kb.yml` the current folder is
/// the project, with the default layout. Paths come back relative when the project is the
/// current folder (short messages), absolute otherwise.
public struct Project: Sendable, Hashable {
    /// The project folder.
    public var root: String
    /// The `kb.yml` read, when there is one.
    public var file: String?
    public var articles = "kb/articles"
    public var index = "kb/index.sqlite"
    public var ticketsDatabase = "kb/tickets.sqlite"
    public var drafts = "kb/drafts"
    public var reports = "reports"
    public var model = ".models/all-MiniLM-L6-v2"

    public static let fileName = "kb.yml"
    static let keys: Set<String> = ["articles", "index", "tickets_db", "drafts", "reports", "model", "version"]

    public init(root: String, file: String? = nil) { self.root = root; self.file = file }

    /// `relative` resolved against the project folder.
    public func path(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let cwd = FileManager.default.currentDirectoryPath
        if URL(fileURLWithPath: root).standardizedFileURL.path == URL(fileURLWithPath: cwd).standardizedFileURL.path {
            return relative
        }
        return URL(fileURLWithPath: root, isDirectory: true).appendingPathComponent(relative).standardizedFileURL.path
    }

    /// Finds the project: `explicit` (a folder holding `kb.yml`, or the file itself), else
    /// `environment["KB_PROJECT"]`, else `kb.yml` in `cwd` or a folder above.
    public static func discover(
        explicit: String?, environment: [String: String], cwd: String
    ) throws(PipelineFileError) -> Project {
        func file(in dir: String) -> String { (dir as NSString).appendingPathComponent(fileName) }
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p) }
        if let given = explicit ?? environment["KB_PROJECT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let p = URL(fileURLWithPath: absolute(given)).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw PipelineFileError(path: given, line: 0, message: "no such project folder or kb.yml")
            }
            let yml = isDir.boolValue ? file(in: p) : p
            let root = isDir.boolValue ? p : (p as NSString).deletingLastPathComponent
            return FileManager.default.fileExists(atPath: yml) ? try load(yml, root: root) : Project(root: root)
        }
        var dir = URL(fileURLWithPath: cwd).standardizedFileURL
        while true {
            let candidate = file(in: dir.path)
            if FileManager.default.fileExists(atPath: candidate) { return try load(candidate, root: dir.path) }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path || dir.path == "/" { break }
            dir = up
        }
        return Project(root: cwd)
    }

    static func load(_ path: String, root: String) throws(PipelineFileError) -> Project {
        var project = Project(root: root, file: path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PipelineFileError(path: path, line: 0, message: "cannot read the project file")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw PipelineFileError(path: path, line: 1, message: "not valid YAML (\(error))")
        }
        guard let node else { return project }
        guard let map = node.mapping else {
            throw PipelineFileError(path: path, line: node.mark?.line ?? 1, message: "kb.yml must be a mapping")
        }
        for (k, v) in map {
            let line = k.mark?.line ?? 1
            guard let key = k.string, keys.contains(key) else {
                throw PipelineFileError(
                    path: path, line: line,
                    message: "unknown key '\(k.string ?? "?")' (allowed: \(keys.sorted().joined(separator: ", ")))")
            }
            if key == "version" { continue }
            guard let value = v.scalar?.string, !value.isEmpty else {
                throw PipelineFileError(path: path, line: line, message: "'\(key)' must be a non-empty path")
            }
            switch key {
            case "articles": project.articles = value
            case "index": project.index = value
            case "tickets_db": project.ticketsDatabase = value
            case "drafts": project.drafts = value
            case "reports": project.reports = value
            default: project.model = value
            }
        }
        return project
    }
}
