import Foundation
import KBSupport
import Yams

/// A draft article file: YAML front matter and a Markdown body. The front matter is kept
/// as a YAML node tree, so fields an editor adds survive every change the tool makes.
/// (Not `Sendable`: Yams nodes are not; a document lives within one task.)
public struct DraftDocument {
    public var frontMatter: Node.Mapping
    public var body: String
    /// The file was saved in a form the tool never writes (CRLF line endings, a byte-order
    /// mark): only an editor did that, so the draft counts as edited.
    public private(set) var savedByEditor = false

    /// Fields the tool changes on its own; they never count as an editor's edit.
    static let bookkeepingKeys: Set<String> = [
        "status", "review_log", "generated_at", "generated_hash",
        "rejected_reason", "rejected_ticket_count", "updated",
        "discarded_hash", "published_path",
    ]

    public init(frontMatter: Node.Mapping, body: String) {
        self.frontMatter = frontMatter
        self.body = body
    }

    /// Parses a draft file's text; `path` names the file in errors.
    public init(text raw: String, path: String) throws(DraftError) {
        var text = raw
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        savedByEditor = text != raw
        guard text.hasPrefix("---\n") else { throw DraftError.noFrontMatter(path: path) }
        let rest = text.dropFirst(4)
        guard
            let end = rest.range(of: "\n---\n")
                ?? (rest.hasSuffix("\n---") ? rest.range(of: "\n---", options: .backwards) : nil)
        else {
            throw DraftError.noFrontMatter(path: path)
        }
        let yaml = String(rest[..<end.lowerBound])
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw DraftError.badFrontMatter(path: path, reason: "\(error)")
        }
        guard let mapping = node?.mapping else { throw DraftError.badFrontMatter(path: path, reason: "not a mapping") }
        frontMatter = mapping
        body = String(rest[end.upperBound...])
    }

    /// The file's text.
    public func render() throws -> String {
        let yaml = try Yams.serialize(node: .mapping(frontMatter), allowUnicode: true, sortKeys: false)
        return "---\n" + yaml + "---\n" + body
    }

    public subscript(key: String) -> String? {
        get { frontMatter[key]?.string }
        set { frontMatter[key] = newValue.map { Node($0) } }
    }

    public var status: ReviewState? { self["status"].flatMap(ReviewState.init(rawValue:)) }

    public var sourceTickets: [String] {
        frontMatter["source_tickets"]?.sequence?.compactMap(\.string) ?? []
    }

    /// A hash of everything but bookkeeping fields: the title, category, tags, notes and
    /// body as generated or as an editor left them.
    public var contentHash: String {
        var text = ""
        for (k, v) in frontMatter where !Self.bookkeepingKeys.contains(k.string ?? "") {
            text += (k.string ?? "") + "=" + ((try? Yams.serialize(node: v)) ?? "") + "\n"
        }
        text += body
        return ContentHash.hex(text)
    }

    /// True when the content no longer matches what the tool generated.
    public var isEdited: Bool {
        if savedByEditor { return true }
        guard let generated = self["generated_hash"] else { return true }
        return generated != contentHash
    }

    /// Appends one entry to `review_log`.
    mutating func log(
        at date: Date, by who: String, from: ReviewState, to: ReviewState, reason: String?, note: String? = nil
    ) {
        var entry: [(Node, Node)] = [
            (Node("at"), Node(ISO8601DateFormatter().string(from: date))),
            (Node("by"), Node(who)),
            (Node("from"), Node(from.rawValue)),
            (Node("to"), Node(to.rawValue)),
        ]
        if let reason { entry.append((Node("reason"), Node(reason))) }
        if let note { entry.append((Node("note"), Node(note))) }
        var log = frontMatter["review_log"]?.sequence ?? Node.Sequence()
        log.append(.mapping(Node.Mapping(entry)))
        frontMatter["review_log"] = .sequence(log)
    }
}

/// Problems with draft files and review moves, naming the file.
public enum DraftError: Error, CustomStringConvertible, Sendable, Equatable {
    case noFrontMatter(path: String)
    case badFrontMatter(path: String, reason: String)
    case notFound(id: String, folder: String)
    case illegalMove(id: String, from: String, action: String, allowed: [String])
    case reasonRequired(id: String)
    case targetExists(path: String)
    case noProposal(id: String)
    case io(path: String, reason: String)
    /// A save or move that started from `expected` found the file at `current`: someone
    /// else changed the draft in between; nothing was written.
    case stale(id: String, expected: String, current: String)

    public var description: String {
        switch self {
        case .noFrontMatter(let path): "\(path):1: draft has no front matter (--- … ---)"
        case .badFrontMatter(let path, let reason): "\(path):2: draft front matter is not valid YAML: \(reason)"
        case .notFound(let id, let folder): "no draft '\(id)' in \(folder) (see `kb review list`)"
        case .illegalMove(let id, let from, let action, let allowed):
            "cannot \(action) draft '\(id)': it is \(from); allowed from \(from): \(allowed.isEmpty ? "nothing" : allowed.joined(separator: ", "))"
        case .reasonRequired(let id): "rejecting draft '\(id)' needs --reason"
        case .targetExists(let path): "\(path) already exists; not overwriting a published article"
        case .noProposal(let id): "draft '\(id)' has no proposed new version (see `kb review list`)"
        case .io(let path, let reason): "\(path): \(reason)"
        case .stale(let id, let expected, let current):
            "draft '\(id)' changed since version \(expected) was read (now \(current)); nothing was written"
        }
    }
}
