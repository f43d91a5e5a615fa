import Foundation
import KBSupport
import Yams

/// Versions of draft files, so concurrent editors never overwrite each other: a version is
/// the hash of the file's bytes (what an HTTP ETag carries), and every change made "from a
/// version" is refused with ``DraftError/stale(id:expected:current:)`` when the file moved on.
extension DraftStore {
    /// The version of the draft file as it is now.
    public func version(of id: String) throws(DraftError) -> String {
        guard let data = FileManager.default.contents(atPath: url(for: id).path) else {
            throw DraftError.notFound(id: id, folder: folder.path)
        }
        return Self.version(of: data)
    }

    static func version(of data: Data) -> String { ContentHash.hex(String(decoding: data, as: UTF8.self)) }

    /// The draft and the version it was read at, from one read of the file.
    public func loadVersioned(_ id: String) throws(DraftError) -> (document: DraftDocument, version: String) {
        let url = url(for: id)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DraftError.notFound(id: id, folder: folder.path)
        }
        return (try DraftDocument(text: String(decoding: data, as: UTF8.self), path: url.path), Self.version(of: data))
    }

    /// Throws ``DraftError/stale(id:expected:current:)`` unless the file is at `expected`.
    public func require(version expected: String, of id: String) throws(DraftError) {
        let current = try version(of: id)
        guard current == expected else { throw DraftError.stale(id: id, expected: expected, current: current) }
    }

    /// An editor's edit of the content, made from version `expected`: title, category,
    /// audience (when given) and body replace the draft's; state, review log and every other
    /// field stay. Returns the new version. Callers serialise writes to one draft (the check
    /// and the write are not atomic across processes).
    @discardableResult
    public func edit(
        _ id: String, from expected: String, title: String?, category: String?, external: Bool?,
        body: String
    ) throws -> String {
        let (current, version) = try loadVersioned(id)
        guard version == expected else { throw DraftError.stale(id: id, expected: expected, current: version) }
        var doc = current
        if let title = title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty { doc["title"] = title }
        if let category = category?.trimmingCharacters(in: .whitespacesAndNewlines), !category.isEmpty {
            doc["category"] = category
        }
        if let external { doc.frontMatter["external"] = .init(external ? "true" : "false", .init(.bool)) }
        // Browsers send CRLF from a textarea; the tool writes LF.
        var text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        doc.body = text
        let rendered = try doc.render()
        try write(rendered, to: url(for: id))
        return Self.version(of: Data(rendered.utf8))
    }
}
