import ArgumentParser
import Foundation
import KBDrafts
import KBPipeline

/// `kb review …`: move drafts through `draft → in_review → approved → published` (or
/// `rejected`), recording who and when in each draft's `review_log`; see, take or drop the
/// new versions `kb drafts` proposes beside drafts an editor owns.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Review KB drafts: list, show, start, approve, reject, publish, reopen; diff, accept or discard proposals.",
        discussion: """
            `kb drafts` never overwrites a draft an editor edited or moved past `draft`: when what it \
            generates changed, the new version waits beside it as <id>.proposed.md (`review list` \
            marks it); `review diff` shows it, `review accept` takes it, `review discard` drops it.
            """,
        subcommands: [
            List.self, Show.self, Start.self, Approve.self, Reject.self, Publish.self, Reopen.self,
            Diff.self, Accept.self, Discard.self,
        ])

    struct Folder: ParsableArguments {
        @Option(
            name: .customLong("drafts"), help: ArgumentHelp("Drafts folder (default: the project's).", valueName: "dir")
        )
        var drafts: String = Paths.drafts

        var store: DraftStore { DraftStore(folder: URL(fileURLWithPath: drafts, isDirectory: true)) }
    }

    struct Move: ParsableArguments {
        @OptionGroup var folder: Folder

        @Argument(help: "Draft id (its file name without .md; see `kb review list`).")
        var id: String

        @Option(help: "Who makes the move (default: $KB_EDITOR, else $USER).")
        var by: String?

        @Flag(help: "Print the result as JSON.")
        var json = false

        var who: String {
            by ?? ProcessInfo.processInfo.environment["KB_EDITOR"] ?? ProcessInfo.processInfo.environment["USER"]
                ?? "editor"
        }

        /// Runs a draft-store call; a draft error is the command's failure (exit 1), named.
        func perform(_ verb: String, _ body: (DraftStore) throws -> String) throws {
            let path: String
            do { path = try body(folder.store) } catch let error as DraftError {
                printError("kb review: \(error.description)")
                throw ExitCode(RunExitCode.failure.rawValue)
            }
            let status = (try? folder.store.load(id))?["status"] ?? verb
            if json {
                print(
                    String(
                        decoding: try JSONOutput.encode(
                            ["id": id, "status": status, "path": path], kind: "review_move"), as: UTF8.self))
            } else {
                print("\(id): \(status) (\(path))")
            }
        }

        func apply(_ action: ReviewState.Action, reason: String? = nil) throws {
            try perform(action.rawValue) { try $0.apply(action, to: id, by: who, reason: reason) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List drafts by state, age and ticket count; [proposal] marks a new version waiting.")
        @OptionGroup var folder: Folder
        @Option(help: "Only drafts in this state (draft, in_review, approved, published, rejected).")
        var status: ReviewState?
        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let (drafts, errors) = try folder.store.list()
            errors.forEach { printError($0.description) }
            let shown = drafts.filter { status == nil || $0.status == status?.rawValue }
            if json {
                print(
                    String(
                        decoding: try JSONOutput.encode(["drafts": shown], kind: "review_list", pretty: true),
                        as: UTF8.self))
                return
            }
            if shown.isEmpty {
                print("no drafts\(status.map { " in state \($0.rawValue)" } ?? "") in \(folder.drafts)"); return
            }
            for d in shown {
                let age = d.ageDays.map { "\($0)d" } ?? "-"
                let flags = (d.hasProposal ? ["proposal"] : []) + (d.edited ? ["edited"] : []) + d.flags
                print(
                    "\(d.status.padding(toLength: 10, withPad: " ", startingAt: 0)) \(age.padding(toLength: 5, withPad: " ", startingAt: 0)) \(String(d.ticketCount).padding(toLength: 4, withPad: " ", startingAt: 0)) \(d.id)  \(d.title)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")"
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a draft.")
        @OptionGroup var folder: Folder
        @Argument(help: "Draft id.") var id: String

        func run() async throws {
            do { print(try folder.store.load(id).render()) } catch let error as DraftError {
                printError("kb review: \(error.description)")
                throw ExitCode(RunExitCode.failure.rawValue)
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start reviewing a draft (draft → in_review).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.start) }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a draft under review (in_review → approved).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.approve) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a draft, with a reason (not proposed again unless its tickets grow).")
        @OptionGroup var move: Move
        @Option(help: "Why the draft is rejected (required).") var reason: String
        func run() async throws { try move.apply(.reject, reason: reason) }
    }

    enum PublishAudience: String, ExpressibleByArgument, CaseIterable { case external, `internal` }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish an approved draft: write its article into the KB (for the next `kb run` or `kb index`).",
            discussion: """
                The article goes to <articles>/<category>/<id>.md without what is internal to the review: \
                related tickets, the customers' quoted wordings, flags, source tickets and the review log \
                stay in the draft, which remains in the drafts folder as `published` (counted by the review \
                queue and metrics, never proposed again). The audience is --audience when given, else the \
                draft's own `external:` field (which the editor sets; drafts are generated internal).
                """)
        @OptionGroup var move: Move
        @OptionGroup var kb: KnowledgeBaseOptions
        @Option(
            help:
                "Who may read the article: external (customers) or internal (agents). Default: the draft's `external:` field."
        )
        var audience: PublishAudience?

        func run() async throws {
            try move.perform("published") {
                try $0.publish(move.id, by: move.who, articles: kb.url, external: audience.map { $0 == .external })
            }
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a rejected draft (rejected → draft).")
        @OptionGroup var move: Move
        func run() async throws { try move.apply(.reopen) }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a draft's proposed new version as a unified diff.")
        @OptionGroup var folder: Folder
        @Argument(help: "Draft id.") var id: String

        func run() async throws {
            do { print(try folder.store.proposalDiff(id), terminator: "") } catch let error as DraftError {
                printError("kb review: \(error.description)")
                throw ExitCode(RunExitCode.failure.rawValue)
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a draft's proposed new version (its state and review log stay).")
        @OptionGroup var move: Move
        func run() async throws { try move.perform("accepted") { try $0.acceptProposal(move.id, by: move.who) } }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop a draft's proposed new version (the same content is not proposed again).")
        @OptionGroup var move: Move
        func run() async throws { try move.perform("discarded") { try $0.discardProposal(move.id, by: move.who) } }
    }
}

extension ReviewState: ExpressibleByArgument {}
