import Foundation
import KBSupport

/// The article files of a knowledge-base folder.
public enum KnowledgeBaseFiles {
    /// Folders that hold no articles of their own: include snippets, editor drafts, media.
    public static let excludedFolders: Set<String> = ["includes", "drafts", "media", "node_modules"]

    /// Relative paths (with `/`) of every `.md` article under `root`, sorted. Hidden
    /// entries and ``excludedFolders`` are skipped.
    public static func list(root: URL) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw KnowledgeBaseError.notAFolder(root.path)
        }
        guard
            let walker = fm.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey],
                options: [.skipsHiddenFiles])
        else {
            throw KnowledgeBaseError.notAFolder(root.path)
        }
        let rootPath = root.standardizedFileURL.path
        var paths: [String] = []
        for case let url as URL in walker {
            let name = url.lastPathComponent
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                if excludedFolders.contains(name.lowercased()) { walker.skipDescendants() }
                continue
            }
            guard name.lowercased().hasSuffix(".md") else { continue }
            var full = url.standardizedFileURL.path
            if full.hasPrefix(rootPath) { full.removeFirst(rootPath.count) }
            paths.append(full.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
        }
        return paths.sorted()
    }

    /// A fingerprint of every include snippet under `root` (name, size, modification
    /// time): when it changes, articles are re-read because any of them may include one.
    public static func includesFingerprint(root: URL) -> String {
        let fm = FileManager.default
        guard
            let walker = fm.enumerator(
                at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey])
        else { return "" }
        var parts: [String] = []
        for case let url as URL in walker where url.pathComponents.contains("includes") && url.pathExtension == "md" {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            parts.append(
                "\(url.lastPathComponent):\(values?.fileSize ?? 0):\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)"
            )
        }
        return parts.sorted().joined(separator: ";")
    }
}

/// Errors about the knowledge-base folder itself (an article's own problems are diagnostics).
public enum KnowledgeBaseError: Error, CustomStringConvertible, Sendable {
    case notAFolder(String)

    public var description: String {
        switch self {
        case .notAFolder(let path): return "\(path): not a knowledge-base folder (no such directory)"
        }
    }
}

/// Everything read from a knowledge-base folder.
public struct KnowledgeBaseScan: Sendable {
    /// Parsed articles, sorted by path.
    public var articles: [Article]
    /// Every warning and error, in path order.
    public var diagnostics: [Diagnostic]
    /// Number of article files found.
    public var filesSeen: Int
    /// Files skipped entirely (their diagnostics have severity `.error`).
    public var skipped: [String]
    /// Bytes read.
    public var bytes: Int
}

/// Reads and parses a whole knowledge-base folder on all cores.
public struct KnowledgeBaseReader: Sendable {
    public var parser = ArticleParser()

    public init() {}

    public func read(root: URL) throws -> KnowledgeBaseScan {
        let paths = try KnowledgeBaseFiles.list(root: root)
        let results: [(ParseResult, Int)] = paths.parallelMap { path in
            switch ContainedPath.read(path, under: root) {
            case .failure(let d): return (ParseResult(article: nil, diagnostics: [d]), 0)
            case .success(let data): return (parser.parse(data: data, path: path, root: root), data.count)
            }
        }
        var scan = KnowledgeBaseScan(articles: [], diagnostics: [], filesSeen: paths.count, skipped: [], bytes: 0)
        for (index, (result, size)) in results.enumerated() {
            scan.bytes += size
            scan.diagnostics += result.diagnostics
            if let article = result.article { scan.articles.append(article) } else { scan.skipped.append(paths[index]) }
        }
        return scan
    }
}
