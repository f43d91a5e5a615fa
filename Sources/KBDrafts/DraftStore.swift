import Foundation
import Yams

/// One draft as listed for editors.
public struct DraftSummary: Sendable, Codable, Hashable {
    public var id: String
    public var path: String
    public var title: String
    public var status: String
    public var category: String?
    public var ticketCount: Int
    public var priority: String?
    public var generatedAt: String?
    /// Days since generation (or since the last review move).
    public var ageDays: Int?
    public var edited: Bool
    public var sourceTickets: [String]
    public var flags: [String]
    /// A newly generated version waits beside the draft (`kb review diff`, `accept`, `discard`).
    public var hasProposal: Bool
    /// Where a published draft's article was written (relative to the articles folder).
    public var publishedPath: String?
}

/// What writing a generated draft did.
public enum DraftWrite: Sendable, Equatable {
    case created(path: String)
    case updated(path: String)
    case unchanged(path: String)
    /// The file was edited by an editor (or is under review): it was left as it is and the
    /// new version written beside it for review.
    /// `readable` is false when the editor's file could not be read (it is kept as it is).
    case proposedBeside(path: String, proposal: String, readable: Bool)
}

/// The drafts folder (`kb/drafts/`): reads, writes and moves drafts through review.
public struct DraftStore: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    func url(for id: String) -> URL { folder.appendingPathComponent(id + ".md") }
    func proposalURL(for id: String) -> URL { folder.appendingPathComponent(id + ".proposed.md") }
    func hasProposal(_ id: String) -> Bool { FileManager.default.fileExists(atPath: proposalURL(for: id).path) }

    public func ids() throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter {
                $0.hasSuffix(".md") && !$0.hasSuffix(".proposed.md") && !$0.hasPrefix(".")
                    && $0.lowercased() != "readme.md"
            }
            .map { String($0.dropLast(3)) }.sorted()
    }

    public func load(_ id: String) throws(DraftError) -> DraftDocument {
        let url = url(for: id)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DraftError.notFound(id: id, folder: folder.path)
        }
        return try DraftDocument(text: String(decoding: data, as: UTF8.self), path: url.path)
    }

    public func save(_ doc: DraftDocument, id: String) throws {
        try write(try doc.render(), to: url(for: id))
    }

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Every draft with its review facts; unreadable files are returned as errors beside.
    public func list(now: Date = Date()) throws -> (drafts: [DraftSummary], errors: [DraftError]) {
        var drafts: [DraftSummary] = []
        var errors: [DraftError] = []
        for id in try ids() {
            do {
                let doc = try load(id)
                let generated = doc["generated_at"]
                let lastMove = doc.frontMatter["review_log"]?.sequence?.last?["at"]?.string
                let since = (lastMove ?? generated).flatMap { try? Date($0, strategy: .iso8601) }
                drafts.append(
                    DraftSummary(
                        id: id, path: url(for: id).path, title: doc["title"] ?? id, status: doc["status"] ?? "draft",
                        category: doc["category"], ticketCount: doc.sourceTickets.count, priority: doc["priority"],
                        generatedAt: generated, ageDays: since.map { Int(now.timeIntervalSince($0) / 86_400) },
                        edited: doc.isEdited, sourceTickets: doc.sourceTickets,
                        flags: doc.frontMatter["flags"]?.sequence?.compactMap(\.string) ?? [],
                        hasProposal: hasProposal(id), publishedPath: doc["published_path"]))
            } catch {
                errors.append(error)
            }
        }
        return (drafts, errors)
    }

    /// Moves a draft nobody has touched (still `draft`, unedited, no proposal beside it) to
    /// `newID`, review log and all; returns false, changing nothing, for any other draft or
    /// when `newID` is taken.
    public func renameUntouched(_ id: String, to newID: String) throws -> Bool {
        guard id != newID, !FileManager.default.fileExists(atPath: url(for: newID).path),
            !hasProposal(id),
            let doc = try? load(id), doc.status == .draft || doc.status == nil, !doc.isEdited
        else { return false }
        try FileManager.default.moveItem(at: url(for: id), to: url(for: newID))
        return true
    }

    /// Removes a draft nobody has touched (still `draft`, unedited, no proposal beside it);
    /// returns false, changing nothing, for any other draft.
    public func removeUntouched(_ id: String) throws -> Bool {
        guard !hasProposal(id),
            let doc = try? load(id), doc.status == .draft || doc.status == nil, !doc.isEdited
        else { return false }
        try FileManager.default.removeItem(at: url(for: id))
        return true
    }

    /// Writes a freshly generated draft without ever overwriting an editor's work: a file
    /// that was edited, has moved past `draft`, or cannot be read (saved as invalid YAML) is
    /// left alone, and the new version goes to `<id>.proposed.md` beside it, only when what is
    /// generated changed since the draft was written (or since its last proposal was
    /// discarded).
    public func writeGenerated(_ generated: DraftDocument, id: String) throws -> DraftWrite {
        var generated = generated
        let hash = generated.contentHash
        generated["generated_hash"] = hash
        let path = url(for: id).path
        guard FileManager.default.fileExists(atPath: path) else {
            try save(generated, id: id)
            return .created(path: path)
        }
        let existing: DraftDocument?
        do { existing = try load(id) } catch { existing = nil }
        if let existing, existing.status == .draft || existing.status == nil, !existing.isEdited {
            if existing["generated_hash"] == hash { return .unchanged(path: path) }
            // Keep the review history of the untouched draft.
            if let log = existing.frontMatter["review_log"] { generated.frontMatter["review_log"] = log }
            try save(generated, id: id)
            return .updated(path: path)
        }
        let proposal = proposalURL(for: id)
        if let existing,
            existing.status == .published || hash == existing["generated_hash"] || hash == existing["discarded_hash"]
        {
            return .unchanged(path: path)
        }
        if let old = try? DraftDocument(text: String(contentsOf: proposal, encoding: .utf8), path: proposal.path),
            old["generated_hash"] == hash
        {
            return .unchanged(path: path)
        }
        try write(try generated.render(), to: proposal)
        return .proposedBeside(path: path, proposal: proposal.path, readable: existing != nil)
    }
}

/// Lower-case ASCII slugs for file and folder names, cut only between words.
public enum Slug {
    public static func make(_ text: String, maxLength: Int = 60) -> String {
        var words: [String] = []
        var word = ""
        // An apostrophe joins ("doesn't" → "doesnt"); anything else not alphanumeric separates.
        for s in text.lowercased().unicodeScalars {
            if s.isASCII, CharacterSet.alphanumerics.contains(s) {
                word.unicodeScalars.append(s)
            } else if s != "'" && s != "\u{2019}" {
                if !word.isEmpty { words.append(word); word = "" }
            }
        }
        if !word.isEmpty { words.append(word) }
        var out = ""
        for w in words {
            let next = out.isEmpty ? w : out + "-" + w
            if next.count > maxLength { break }
            out = next
        }
        // A first word longer than the limit is the only one cut.
        if out.isEmpty, let w = words.first { out = String(w.prefix(maxLength)) }
        return out.isEmpty ? "untitled" : out
    }
}
