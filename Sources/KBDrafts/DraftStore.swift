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
}

/// What writing a generated draft did.
public enum DraftWrite: Sendable, Equatable {
    case created(path: String)
    case updated(path: String)
    case unchanged(path: String)
    /// The file was edited by an editor (or is under review): it was left as it is and the
    /// new version written beside it for review.
    case proposedBeside(path: String, proposal: String)
}

/// The drafts folder (`kb/drafts/`): reads, writes and moves drafts through review.
public struct DraftStore: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    func url(for id: String) -> URL { folder.appendingPathComponent(id + ".md") }

    public func ids() throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".md") && !$0.hasSuffix(".proposed.md") && !$0.hasPrefix(".") && $0.lowercased() != "readme.md" }
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

    private func write(_ text: String, to url: URL) throws {
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
                drafts.append(DraftSummary(
                    id: id, path: url(for: id).path, title: doc["title"] ?? id, status: doc["status"] ?? "draft",
                    category: doc["category"], ticketCount: doc.sourceTickets.count, priority: doc["priority"],
                    generatedAt: generated, ageDays: since.map { Int(now.timeIntervalSince($0) / 86_400) },
                    edited: doc.isEdited, sourceTickets: doc.sourceTickets,
                    flags: doc.frontMatter["flags"]?.sequence?.compactMap(\.string) ?? []))
            } catch {
                errors.append(error)
            }
        }
        return (drafts, errors)
    }

    /// Applies a review action, recording who and when. `publish` moves the draft into
    /// `articles` (under its category folder) and returns the new path.
    @discardableResult
    public func apply(_ action: ReviewState.Action, to id: String, by who: String, reason: String? = nil,
                      articles: URL? = nil, now: Date = Date()) throws -> String {
        var doc = try load(id)
        let from = doc.status ?? .draft
        guard let to = from.after(action) else {
            throw DraftError.illegalMove(id: id, from: from.rawValue, action: action.rawValue,
                                         allowed: from.allowedActions.map(\.rawValue))
        }
        if action == .reject, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw DraftError.reasonRequired(id: id)
        }
        doc["status"] = to.rawValue
        if action == .reject {
            doc["rejected_reason"] = reason
            doc["rejected_ticket_count"] = String(doc.sourceTickets.count)
        }
        doc.log(at: now, by: who, from: from, to: to, reason: reason)
        guard action == .publish else {
            try save(doc, id: id)
            return url(for: id).path
        }
        guard let articles else { throw DraftError.io(path: id, reason: "publish needs the articles folder") }
        let folderName = Slug.make(doc["category"] ?? "general")
        let target = articles.appendingPathComponent(folderName).appendingPathComponent(id + ".md")
        if FileManager.default.fileExists(atPath: target.path) { throw DraftError.targetExists(path: target.path) }
        doc["updated"] = String(ISO8601DateFormatter().string(from: now).prefix(10))
        doc["draft_id"] = id
        try write(try doc.render(), to: target)
        try FileManager.default.removeItem(at: url(for: id))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(id + ".proposed.md"))
        return target.path
    }

    /// Moves a draft nobody has touched (still `draft`, unedited, no proposal beside it) to
    /// `newID`, review log and all; returns false, changing nothing, for any other draft or
    /// when `newID` is taken.
    public func renameUntouched(_ id: String, to newID: String) throws -> Bool {
        guard id != newID, !FileManager.default.fileExists(atPath: url(for: newID).path),
              !FileManager.default.fileExists(atPath: folder.appendingPathComponent(id + ".proposed.md").path),
              let doc = try? load(id), doc.status == .draft || doc.status == nil, !doc.isEdited else { return false }
        try FileManager.default.moveItem(at: url(for: id), to: url(for: newID))
        return true
    }

    /// Removes a draft nobody has touched (still `draft`, unedited, no proposal beside it);
    /// returns false, changing nothing, for any other draft.
    public func removeUntouched(_ id: String) throws -> Bool {
        guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent(id + ".proposed.md").path),
              let doc = try? load(id), doc.status == .draft || doc.status == nil, !doc.isEdited else { return false }
        try FileManager.default.removeItem(at: url(for: id))
        return true
    }

    /// Writes a freshly generated draft without ever overwriting an editor's work: a file
    /// that was edited, or has moved past `draft`, is left alone and the new version goes
    /// to `<id>.proposed.md` beside it.
    public func writeGenerated(_ generated: DraftDocument, id: String) throws -> DraftWrite {
        var generated = generated
        generated["generated_hash"] = generated.contentHash
        let path = url(for: id).path
        guard FileManager.default.fileExists(atPath: path), let existing = try? load(id) else {
            try save(generated, id: id)
            return .created(path: path)
        }
        if existing.status == .draft || existing.status == nil, !existing.isEdited {
            if existing["generated_hash"] == generated["generated_hash"] { return .unchanged(path: path) }
            // Keep the review history of the untouched draft.
            if let log = existing.frontMatter["review_log"] { generated.frontMatter["review_log"] = log }
            try save(generated, id: id)
            return .updated(path: path)
        }
        let proposal = folder.appendingPathComponent(id + ".proposed.md")
        try write(try generated.render(), to: proposal)
        return .proposedBeside(path: path, proposal: proposal.path)
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
