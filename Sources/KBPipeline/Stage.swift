/// The stages of a nightly run, in the order they run.
public enum Stage: String, CaseIterable, Sendable, Codable, Comparable {
    case parse, chunk, embed, index
    case importTickets = "import_tickets"
    case drafts, gaps
    case reviewQueue = "review_queue"
    case reports

    public static func < (a: Stage, b: Stage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The stages whose results this one reads: a stage reruns when its own inputs or any
    /// of these changed, and only then (a new ticket export does not re-parse the KB; an
    /// edited article does not re-import tickets).
    public var dependencies: [Stage] {
        switch self {
        case .parse, .importTickets: []
        case .chunk: [.parse]
        case .embed: [.chunk]
        case .index: [.embed]
        case .drafts: [.importTickets, .index]
        case .gaps: [.importTickets, .index]
        case .reviewQueue: [.drafts]
        case .reports: [.importTickets, .gaps, .reviewQueue]
        }
    }

    /// What the stage does, for `--dry-run` and logs.
    public var summary: String {
        switch self {
        case .parse: "read the articles and report problems"
        case .chunk: "split articles into model-sized chunks"
        case .embed: "embed new or changed chunks (cached by text hash)"
        case .index: "write articles, chunks and vectors into the index in one transaction"
        case .importTickets: "import ticket exports with personal data redacted"
        case .drafts: "mine resolved tickets for KB drafts"
        case .gaps: "find customer questions the KB does not answer"
        case .reviewQueue: "write the editors' review queue"
        case .reports: "write the metric reports"
        }
    }
}
