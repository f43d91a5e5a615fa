import Foundation

/// Finds the embedding model folder: an explicit path (`kb` passes `--model`, `$KB_MODEL_DIR`
/// or the project's), else `.models/all-MiniLM-L6-v2` in the current folder or above the
/// running executable. Reads no environment.
public enum ModelLocator {
    public static let defaultRelativePath = ".models/all-MiniLM-L6-v2"

    /// The model folder for code that knows where it lives (tests): the first
    /// `.models/all-MiniLM-L6-v2` in `path`'s folder or above it.
    public static func directory(searchingUpFrom path: String) throws(ModelLocatorError) -> URL {
        var dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent(defaultRelativePath)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("vocab.txt").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        throw ModelLocatorError.missing(searched: [path])
    }

    public static func directory(explicit: String? = nil) throws(ModelLocatorError) -> URL {
        let fm = FileManager.default
        func valid(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("vocab.txt").path) }
        if let explicit {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            guard valid(url) else { throw ModelLocatorError.missing(searched: [url.path]) }
            return url
        }
        var searched: [String] = []
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(defaultRelativePath)
        if valid(cwd) { return cwd }
        searched.append(cwd.path)
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            let candidate = dir.appendingPathComponent(defaultRelativePath)
            if valid(candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw ModelLocatorError.missing(searched: searched)
    }
}

/// The model folder could not be found.
public enum ModelLocatorError: Error, CustomStringConvertible, Sendable {
    case missing(searched: [String])

    public var description: String {
        switch self {
        case .missing(let searched):
            "embedding model not found (looked in \(searched.joined(separator: ", "))); run `make setup` to fetch it"
        }
    }
}
