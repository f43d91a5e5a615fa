import Foundation

/// Paths read because content names them (includes) or because the folder walk found them
/// (articles) must stay inside the knowledge base once `..` and symlinks are resolved.
public enum ContainedPath {
    public enum Resolution: Equatable, Sendable {
        /// The resolved absolute path, inside the root.
        case inside(String)
        /// Resolves outside the root (by `..` or a symlink).
        case outside
        /// Does not exist (or a link in it dangles).
        case missing
    }

    /// `realpath(3)`: the absolute path with every symlink, `.` and `..` resolved.
    public static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Resolves `relative` (a `/`-separated path from content) under `root`.
    public static func resolve(_ relative: String, under root: URL) -> Resolution {
        if relative.hasPrefix("/") || normalized(relative) == nil { return .outside }
        guard let base = real(root.path) else { return .missing }
        guard let target = real(root.appendingPathComponent(relative).path) else { return .missing }
        return isInside(target, base) ? .inside(target) : .outside
    }

    /// `a/./b/../c` → `a/c`; nil when a `..` climbs above the start.
    public static func normalized(_ relative: String) -> String? {
        var parts: [Substring] = []
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    static func isInside(_ path: String, _ base: String) -> Bool {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path == base || path.hasPrefix(prefix)
    }

    /// Reads a regular file inside `root`, or says why not (as a diagnostic on `path`).
    public static func read(_ path: String, under root: URL) -> Result<Data, Diagnostic> {
        switch resolve(path, under: root) {
        case .outside:
            return .failure(
                Diagnostic(
                    path: path, line: 0,
                    message: "resolves outside the knowledge base (a symlink or '..'); not read", severity: .error))
        case .missing:
            return .failure(
                Diagnostic(path: path, line: 0, message: "cannot read file (no such file)", severity: .error))
        case .inside(let real):
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: real, isDirectory: &isDir), isDir.boolValue {
                return .failure(
                    Diagnostic(path: path, line: 0, message: "is a directory, not a file", severity: .error))
            }
            do {
                return .success(try Data(contentsOf: URL(fileURLWithPath: real)))
            } catch {
                return .failure(
                    Diagnostic(
                        path: path, line: 0,
                        message: "cannot read file (\(error.localizedDescription))", severity: .error))
            }
        }
    }
}
