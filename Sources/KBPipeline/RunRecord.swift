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

    public init(stage: Stage, status: Status, reason: String, seconds: Double = 0,
                counts: [String: Int] = [:], rejected: [String] = [], error: String? = nil,
                inputHash: String? = nil) {
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

/// Exit statuses for cron and CI. Usage errors exit as ArgumentParser gives them (64).
public enum RunExitCode: Int32, Sendable {
    /// Every selected stage finished (or was skipped because nothing changed).
    case success = 0
    /// A stage failed; later stages did not run. The next run resumes there.
    case failure = 1
    /// Finished, but some inputs were rejected (see the run record).
    case doneWithRejections = 3
    /// Another run holds the lock; nothing was done.
    case locked = 75

    /// `kb tickets import`'s status: like `kb run`, 3 when any file had rows rejected.
    public static func forImport(_ reports: [ImportReport]) -> RunExitCode {
        reports.contains { $0.rejected > 0 } ? .doneWithRejections : .success
    }
}
