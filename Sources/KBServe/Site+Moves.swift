import Foundation
import Hummingbird
import KBDrafts

/// An editor's move on a draft, the same calls `kb review` makes.
enum DraftMove: String, CaseIterable, Sendable {
    case start, approve, reject, publish, reopen, accept, discard
}

extension Site {
    /// Makes `move` through KBDrafts' state machine, as `who`; with `expected`, only when the
    /// draft is still at that version (else ``DraftError/stale(id:expected:current:)``).
    /// Returns the file written (the draft, or the published article).
    func perform(
        _ move: DraftMove, id: String, by who: String, expected: String?, reason: String?,
        external: Bool?
    ) throws -> String {
        try write {
            if let expected { try store.require(version: expected, of: id) }
            let path: String
            switch move {
            case .start: path = try store.apply(.start, to: id, by: who)
            case .approve: path = try store.apply(.approve, to: id, by: who)
            case .reject: path = try store.apply(.reject, to: id, by: who, reason: reason)
            case .reopen: path = try store.apply(.reopen, to: id, by: who)
            case .publish:
                path = try store.publish(
                    id, by: who, articles: URL(fileURLWithPath: configuration.articles, isDirectory: true),
                    external: external)
            case .accept: path = try store.acceptProposal(id, by: who)
            case .discard: path = try store.discardProposal(id, by: who)
            }
            logger.info("draft move", metadata: ["draft": "\(id)", "move": "\(move.rawValue)", "by": "\(who)"])
            return path
        }
    }

    /// Saves an editor's edit made from version `expected`; returns the new version.
    func save(
        id: String, by who: String, expected: String, title: String?, category: String?, external: Bool?,
        body: String
    ) throws -> String {
        try write {
            let version = try store.edit(
                id, from: expected, title: title, category: category, external: external, body: body)
            logger.info("draft saved", metadata: ["draft": "\(id)", "by": "\(who)", "version": "\(version)"])
            return version
        }
    }

    /// `path` relative to the project folder, for messages and the API (never the server's layout).
    func relative(_ path: String) -> String {
        let root = URL(fileURLWithPath: configuration.projectRoot).standardizedFileURL.path + "/"
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        return p.hasPrefix(root) ? String(p.dropFirst(root.count)) : (p as NSString).lastPathComponent
    }
}

/// HTTP statuses for the errors the app meets.
enum ErrorStatus {
    static func of(_ error: any Error) -> HTTPResponse.Status {
        switch error {
        case let e as DraftError:
            switch e {
            case .notFound: .notFound
            case .illegalMove, .targetExists, .noProposal, .stale: .conflict
            case .reasonRequired: .unprocessableContent
            case .noFrontMatter, .badFrontMatter: .unprocessableContent
            case .io: .internalServerError
            }
        case is ServeError: .badRequest
        default: .internalServerError
        }
    }

    static func message(_ error: any Error) -> String {
        switch error {
        case let e as DraftError:
            if case .reasonRequired = e { return "Rejecting a draft needs a reason." }
            return e.description
        case let e as ServeError: return e.description
        default: return "\(error)"
        }
    }
}
