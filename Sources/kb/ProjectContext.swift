import Foundation
import KBPipeline
import KBTickets

/// The project this process works in (``Project``), found once at start-up from
/// `--project DIR` (taken out of the arguments before parsing, so every command accepts it),
/// `$KB_PROJECT`, or the first `kb.yml` at or above the current folder. Every default path
/// of every command comes from here, so `kb` works from any folder of the project.
enum ProjectContext {
    /// The arguments without `--project DIR`, and the folder it named.
    static func split(_ arguments: [String]) -> (rest: [String], project: String?) {
        var rest: [String] = [], project: String?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { rest += arguments[i...]; break }
            if a == "--project", i + 1 < arguments.count { project = arguments[i + 1]; i += 2; continue }
            if a.hasPrefix("--project=") { project = String(a.dropFirst("--project=".count)); i += 1; continue }
            rest.append(a); i += 1
        }
        return (rest, project)
    }

    /// Found on first use; a `kb.yml` that cannot be read ends the process with status 65.
    static let current: Project = {
        let explicit = split(Array(CommandLine.arguments.dropFirst())).project
        do {
            return try Project.discover(
                explicit: explicit, environment: ProcessInfo.processInfo.environment,
                cwd: FileManager.default.currentDirectoryPath)
        } catch {
            FileHandle.standardError.write(Data("kb: \(error)\n".utf8))
            exit(RunExitCode.badConfiguration.rawValue)
        }
    }()

    /// The ticket stores' pseudonym key: `$KB_PSEUDONYM_SALT` when set (read here, once), else
    /// the key file beside each store.
    static var pseudonymKey: PseudonymKey {
        guard let env = ProcessInfo.processInfo.environment["KB_PSEUDONYM_SALT"], !env.isEmpty else {
            return .besideStore
        }
        return .given(Array(env.utf8))
    }

    /// `$KB_MODEL_DIR` when set, else the model folder the project names when it holds a
    /// model (`nil`: ``ModelLocator`` searches the usual places). The tool reads the variable
    /// here; the libraries take the folder.
    static var modelDirectory: String? {
        if let env = ProcessInfo.processInfo.environment["KB_MODEL_DIR"], !env.isEmpty { return env }
        let p = current.path(current.model)
        return FileManager.default.fileExists(atPath: (p as NSString).appendingPathComponent("vocab.txt")) ? p : nil
    }
}

/// Default paths of every command: the project's (``ProjectContext``).
enum Paths {
    static var articles: String { ProjectContext.current.path(ProjectContext.current.articles) }
    static var index: String { ProjectContext.current.path(ProjectContext.current.index) }
    static var tickets: String { ProjectContext.current.path(ProjectContext.current.ticketsDatabase) }
    static var drafts: String { ProjectContext.current.path(ProjectContext.current.drafts) }
    static var reports: String { ProjectContext.current.path(ProjectContext.current.reports) }
    /// A file beside the index.
    static func sibling(_ name: String) -> String {
        ((index as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }
    /// A file in the vector cache folder beside the index.
    static func cache(_ name: String) -> String { sibling("cache/" + name) }
}
