import ArgumentParser
import Foundation
import KBDrafts

/// `kb review …`: move drafts through `draft → in_review → approved → published` (or
/// `rejected`), recording who and when in each draft's `review_log`.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review KB drafts: list, show, start, approve, reject, publish, reopen.",
        subcommands: [List.self, Show.self, Start.self, Approve.self, Reject.self, Publish.self, Reopen.self])

    struct Folder: ParsableArguments {
        @Option(name: .customLong("drafts"), help: ArgumentHelp("Drafts folder.", valueName: "dir"))
        var drafts: String = "kb/drafts"

        var store: DraftStore { DraftStore(folder: URL(fileURLWithPath: drafts, isDirectory: true)) }
    }

    struct Move: ParsableArguments {
        @OptionGroup var folder: Folder

        @Argument(help: "Draft id (its file name without .md; see `kb review list`).")
        var id: String

        @Option(help: "Who makes the move (default: $KB_EDITOR, else $USER).")
        var by: String?

        var who: String {
            by ?? ProcessInfo.processInfo.environment["KB_EDITOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "editor"
        }

        func apply(_ action: ReviewState.Action, reason: String? = nil, articles: URL? = nil) throws {
            do {
                let path = try folder.store.apply(action, to: id, by: who, reason: reason, articles: articles)
                let state = ReviewState.draft.after(action) ?? ReviewState.inReview.after(action)
                    ?? ReviewState.approved.after(action) ?? ReviewState.rejected.after(action)
                print("\(id): \(state?.rawValue ?? action.rawValue) (\(path))")
            } catch let error as DraftError {
                throw ValidationError(error.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List drafts by state, age and ticket count.")
        @OptionGroup var folder: Folder
        @Option(help: "Only drafts in this state (draft, in_review, approved, published, rejected).")
        var status: String?
        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let (drafts, errors) = try folder.store.list()
            errors.forEach { printError($0.description) }
            let shown = drafts.filter { status == nil || $0.status == status }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try encoder.encode(shown), as: UTF8.self))
                return
            }
            if shown.isEmpty { print("no drafts\(status.map { " in state \($0)" } ?? "") in \(folder.drafts)"); return }
            for d in shown {
                let age = d.ageDays.map { "\($0)d" } ?? "-"
                let flags = (d.edited ? ["edited"] : []) + d.flags
                print("\(d.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(age.padding(toLength: 5, withPad: " ", startingAt: 0)) \(String(d.ticketCount).padding(toLength: 4, withPad: " ", startingAt: 0)) \(d.id)  \(d.title)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a draft.")
        @OptionGroup var folder: Folder
        @Argument(help: "Draft id.") var id: String

        func run() async throws {
            do { print(try folder.store.load(id).render()) } catch let error as DraftError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start reviewing a draft (draft → in_review).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.start) }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a draft under review (in_review → approved).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.approve) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a draft, with a reason (not proposed again unless its tickets grow).")
        @OptionGroup var move: Move
        @Option(help: "Why the draft is rejected (required).") var reason: String
        func run() async throws { try move.apply(.reject, reason: reason) }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish an approved draft: move it into the KB's articles for the next `kb index`.")
        @OptionGroup var move: Move
        @OptionGroup var kb: KnowledgeBaseOptions
        func run() async throws { try move.apply(.publish, articles: kb.url) }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a rejected draft (rejected → draft).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.reopen) }
    }
}
