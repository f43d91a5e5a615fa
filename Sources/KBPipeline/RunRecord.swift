import Foundation
import KBTickets

/// What one stage did in a run.
public struct StageRecord: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable {
        /// Ran and finished.
        case done
        /// Its inputs had not changed since the last finished run.
        case skipped
        /// Threw; later stages did not run.
        case failed
        /// Not selected (`--only`, `--from`, or not in the pipeline's `stages`).
        case notSelected = "not_selected"
        /// Selected but not reached because an earlier stage failed.
        case notRun = "not_run"
    }

    public var stage: Stage
    public var status: Status
    /// Why it ran or was skipped (`inputs changed`, `--force`, `no previous run` …).
    public var reason: String
    public var seconds: Double
    /// Stage-specific counts (`articles`, `chunks`, `embedded`, `tickets`, `rejected` …).
    public var counts: [String: Int]
    /// Inputs rejected by the stage, each `file:line: what`.
    public var rejected: [String]
    public var error: String?
    public var inputHash: String?

    public init(
        stage: Stage, status: Status, reason: String, seconds: Double = 0,
        counts: [String: Int] = [:], rejected: [String] = [], error: String? = nil,
        inputHash: String? = nil
    ) {
        self.stage = stage; self.status = status; self.reason = reason; self.seconds = seconds
        self.counts = counts; self.rejected = rejected; self.error = error; self.inputHash = inputHash
    }
}

/// `reports/runs/<timestamp>.json`: the record of one `kb run`.
public struct RunRecord: Sendable, Codable {
    public static let schemaVersion = 1

    public var schemaVersion = RunRecord.schemaVersion
    public var pipeline: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var exitCode: Int32?
    public var peakRSSMB: Double?
    public var stages: [StageRecord]

    public init(pipeline: String, startedAt: Date, stages: [StageRecord] = []) {
        self.pipeline = pipeline; self.startedAt = startedAt; self.stages = stages
    }

    /// The one-line summary printed last.
    public var summary: String {
        let done = stages.filter { $0.status == .done }.count
        let skipped = stages.filter { $0.status == .skipped }.count
        let failed = stages.filter { $0.status == .failed }
        let rejected = stages.reduce(0) { $0 + $1.rejected.count }
        let seconds = stages.reduce(0) { $0 + $1.seconds }
        var parts = ["\(done) stages done", "\(skipped) skipped"]
        if rejected > 0 { parts.append("\(rejected) inputs rejected") }
        if let f = failed.first { parts.append("FAILED at \(f.stage.rawValue): \(f.error ?? "error")") }
        return "kb run \(pipeline): " + parts.joined(separator: ", ") + String(format: " in %.1f s", seconds)
    }
}

/// Every exit status `kb` uses, for cron, CI and scripts: the one table (shown by
/// `kb --help` and in the README).
public enum RunExitCode: Int32, Sendable, CaseIterable {
    /// Every selected stage finished (or was skipped because nothing changed).
    case success = 0
    /// A stage or command failed, or the draft, article or file it names does not exist.
    case failure = 1
    /// Finished, but some inputs were rejected (listed with file and line or row).
    case doneWithRejections = 3
    /// The command line is wrong: an unknown option or value, impossible dates.
    case usage = 64
    /// A file that configures `kb` (pipeline, project `kb.yml`, mapping) is invalid.
    case badConfiguration = 65
    /// Another run holds the lock on the store; nothing was done.
    case locked = 75

    public var meaning: String {
        switch self {
        case .success: "done (or nothing to do)"
        case .failure: "a stage or command failed, or what it names does not exist"
        case .doneWithRejections: "done, but some inputs were rejected (each named with file:line or row)"
        case .usage: "usage error: unknown option or value, impossible dates"
        case .badConfiguration: "a pipeline, project (kb.yml) or mapping file is invalid"
        case .locked: "another run holds the lock; nothing was done"
        }
    }

    /// The table for help screens.
    public static var table: String {
        allCases.map { "  \(String($0.rawValue).padding(toLength: 3, withPad: " ", startingAt: 0)) \($0.meaning)" }
            .joined(separator: "\n")
    }

    /// `kb tickets import`'s status: like `kb run`, 3 when any file had rows rejected.
    public static func forImport(_ reports: [ImportReport]) -> RunExitCode {
        reports.contains { $0.rejected > 0 } ? .doneWithRejections : .success
    }
}
