import Foundation

/// The editors' moves on the drafts folder: review states, publishing, and the proposed new
/// versions the miner leaves beside drafts an editor owns.
extension DraftStore {
    /// Applies a review action other than `publish` (see ``publish(_:by:articles:external:now:)``),
    /// recording who and when; returns the draft's path.
    @discardableResult
    public func apply(
        _ action: ReviewState.Action, to id: String, by who: String, reason: String? = nil,
        now: Date = Date()
    ) throws -> String {
        var doc = try load(id)
        let from = doc.status ?? .draft
        guard action != .publish, let to = from.after(action) else {
            throw DraftError.illegalMove(
                id: id, from: from.rawValue, action: action.rawValue,
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
        try save(doc, id: id)
        return url(for: id).path
    }

    /// Publishes an approved draft: writes the article customers (or agents) read into
    /// `articles/<category>/<id>.md` (``PublishedArticle``: no related tickets, flags or
    /// review log), and keeps the draft as the record, `published`, with the article's path,
    /// so the miner never proposes that group again. `external` is the audience; `nil` takes
    /// the draft's own `external` field. Returns the article's path.
    @discardableResult
    public func publish(
        _ id: String, by who: String, articles: URL, external: Bool?, now: Date = Date()
    ) throws -> String {
        var doc = try load(id)
        let from = doc.status ?? .draft
        guard let to = from.after(.publish) else {
            throw DraftError.illegalMove(
                id: id, from: from.rawValue, action: "publish", allowed: from.allowedActions.map(\.rawValue))
        }
        let audience = external ?? (doc.frontMatter["external"]?.bool ?? false)
        let relative = Slug.make(doc["category"] ?? "general") + "/" + id + ".md"
        let target = articles.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: target.path) { throw DraftError.targetExists(path: target.path) }
        let article = PublishedArticle.document(from: doc, id: id, external: audience, now: now)
        try write(try article.render(), to: target)
        doc["status"] = to.rawValue
        doc.frontMatter["external"] = .init(audience ? "true" : "false", .init(.bool))
        doc["published_path"] = relative
        doc.log(at: now, by: who, from: from, to: to, reason: nil, note: audience ? "external" : "internal")
        try save(doc, id: id)
        try? FileManager.default.removeItem(at: proposalURL(for: id))
        return target.path
    }

    /// A unified diff from the draft to its proposed new version: what an editor reads and
    /// writes (bookkeeping such as state, review log and generation time left out).
    public func proposalDiff(_ id: String) throws -> String {
        var current = try text(of: url(for: id), id: id)
        guard hasProposal(id) else { throw DraftError.noProposal(id: id) }
        var proposed = try text(of: proposalURL(for: id), id: id)
        func content(_ text: String) -> String? {
            guard var doc = try? DraftDocument(text: text, path: id) else { return nil }
            for key in DraftDocument.bookkeepingKeys { doc.frontMatter[key] = nil }
            return try? doc.render()
        }
        if let a = content(current), let b = content(proposed) { (current, proposed) = (a, b) }
        return LineDiff.unified(current, proposed, from: "\(id).md", to: "\(id).proposed.md")
    }

    /// Takes the proposed version: its title, fields and body replace the draft's; the draft's
    /// state and review log stay, and the log records who accepted it.
    @discardableResult
    public func acceptProposal(_ id: String, by who: String, now: Date = Date()) throws -> String {
        guard hasProposal(id) else { throw DraftError.noProposal(id: id) }
        let proposalPath = proposalURL(for: id).path
        var proposal = try DraftDocument(text: try text(of: proposalURL(for: id), id: id), path: proposalPath)
        let state: ReviewState
        if let current = try? load(id) {
            state = current.status ?? .draft
            proposal.frontMatter["review_log"] = current.frontMatter["review_log"]
        } else {
            state = .draft  // the editor's file could not be read; the proposal replaces it
        }
        proposal["status"] = state.rawValue
        proposal.log(at: now, by: who, from: state, to: state, reason: nil, note: "accepted the proposed version")
        try save(proposal, id: id)
        try FileManager.default.removeItem(at: proposalURL(for: id))
        return url(for: id).path
    }

    /// Drops the proposed version; the same content is not proposed again.
    @discardableResult
    public func discardProposal(_ id: String, by who: String, now: Date = Date()) throws -> String {
        guard hasProposal(id) else { throw DraftError.noProposal(id: id) }
        var doc = try load(id)
        let proposal = try? DraftDocument(
            text: try text(of: proposalURL(for: id), id: id), path: proposalURL(for: id).path)
        doc["discarded_hash"] = proposal?["generated_hash"]
        let state = doc.status ?? .draft
        doc.log(at: now, by: who, from: state, to: state, reason: nil, note: "discarded the proposed version")
        try save(doc, id: id)
        try FileManager.default.removeItem(at: proposalURL(for: id))
        return url(for: id).path
    }

    private func text(of url: URL, id: String) throws(DraftError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DraftError.notFound(id: id, folder: folder.path)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
