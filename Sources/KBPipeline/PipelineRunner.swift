import Foundation
import KBSupport

/// What a stage reports when it finishes.
public struct StageResult: Sendable {
    public var counts: [String: Int]
    /// Rejected inputs, each `file:line: what`.
    public var rejected: [String]

    public init(counts: [String: Int] = [:], rejected: [String] = []) {
        self.counts = counts; self.rejected = rejected
    }
}

/// The work behind each stage. The runner owns order, skipping, locking and records;
/// an implementation owns what a stage reads and does.
public protocol StageWork: Sendable {
    /// A fingerprint of everything the stage reads apart from earlier stages (files,
    /// settings). The runner combines it with the fingerprints of `stage.dependencies`.
    func inputFingerprint(for stage: Stage) throws -> String
    func run(_ stage: Stage, log: RunLog) async throws -> StageResult
    /// The files a stage writes. A stage whose outputs are missing, or were changed by
    /// anyone else since it wrote them, runs again.
    func outputs(for stage: Stage) -> [String]
}

extension StageWork {
    public func outputs(for stage: Stage) -> [String] { [] }
}

/// Which stages to run and how.
public struct RunOptions: Sendable {
    public var force = false
    public var only: Stage?
    public var from: Stage?
    public var dryRun = false

    public init(force: Bool = false, only: Stage? = nil, from: Stage? = nil, dryRun: Bool = false) {
        self.force = force; self.only = only; self.from = from; self.dryRun = dryRun
    }
}

/// Runs a pipeline's stages in order: skips a stage whose input fingerprint (its own inputs
/// and the fingerprints of the stages it depends on) equals the one it last finished with, records each finished stage at once (so a killed run
/// resumes at the stage that did not finish), stops at the first failure.
public struct PipelineRunner: Sendable {
    public let file: PipelineFile
    public let statePath: String

    public init(file: PipelineFile) {
        self.file = file
        self.statePath = file.index + ".pipeline.json"
    }

    public func run(work: StageWork, options: RunOptions, log: RunLog) async -> RunRecord {
        var record = RunRecord(pipeline: file.path, startedAt: Date())
        var (state, stateProblem) = PipelineState.load(path: statePath)
        if let stateProblem { log.warn(nil, stateProblem) }
        var fingerprints: [Stage: String] = [:]
        var failed = false
        for stage in Stage.allCases {
            let selected =
                file.stages.contains(stage)
                && (options.only.map { $0 == stage } ?? true)
                && (options.from.map { stage >= $0 } ?? true)
            let fingerprint: String
            do {
                let upstream = stage.dependencies.map { fingerprints[$0] ?? "" }.joined(separator: ",")
                fingerprint = Fingerprint.of(
                    upstream + "|" + stage.rawValue + "|" + (try work.inputFingerprint(for: stage)))
            } catch {
                record.stages.append(
                    StageRecord(
                        stage: stage, status: .failed, reason: "cannot read inputs",
                        error: "\(error)"))
                log.warn(stage, "cannot read inputs: \(error)")
                failed = true
                break
            }
            fingerprints[stage] = fingerprint
            guard selected else {
                record.stages.append(StageRecord(stage: stage, status: .notSelected, reason: "not selected"))
                continue
            }
            if failed {
                record.stages.append(StageRecord(stage: stage, status: .notRun, reason: "an earlier stage failed"))
                continue
            }
            let previous = state.finished[stage.rawValue]
            let outputs = work.outputs(for: stage)
            let reason: String
            if options.force {
                reason = "--force"
            } else if options.only == stage {
                reason = "--only \(stage.rawValue)"
            } else if previous == nil {
                reason = "no finished run recorded"
            } else if previous != fingerprint {
                reason = "inputs changed"
            } else if let missing = outputs.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
                reason = "output missing: \(missing)"
            } else if state.outputs[stage.rawValue].map({ $0 != Fingerprint.stamps(outputs) }) ?? false {
                reason = "outputs changed since it wrote them"
            } else {
                record.stages.append(
                    StageRecord(
                        stage: stage, status: .skipped, reason: "inputs unchanged",
                        inputHash: fingerprint))
                log.info(stage, "skipped: inputs unchanged")
                continue
            }
            if options.dryRun {
                record.stages.append(
                    StageRecord(
                        stage: stage, status: .notRun, reason: "would run: \(reason)",
                        inputHash: fingerprint))
                log.info(stage, "would run (\(reason)): \(stage.summary)")
                continue
            }
            log.info(stage, "running (\(reason)): \(stage.summary)")
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let result = try await work.run(stage, log: log)
                let seconds = (clock.now - start).seconds
                record.stages.append(
                    StageRecord(
                        stage: stage, status: .done, reason: reason, seconds: seconds,
                        counts: result.counts, rejected: result.rejected,
                        inputHash: fingerprint))
                for r in result.rejected.prefix(20) { log.warn(stage, "rejected \(r)") }
                if result.rejected.count > 20 {
                    log.warn(stage, "… and \(result.rejected.count - 20) more rejected (see the run record)")
                }
                let counts = result.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
                log.info(stage, String(format: "done in %.2f s", seconds) + (counts.isEmpty ? "" : ": \(counts)"))
                state.finished[stage.rawValue] = fingerprint
                state.outputs[stage.rawValue] = Fingerprint.stamps(outputs)
                save(state, stage: stage, log: log)
            } catch {
                let seconds = (clock.now - start).seconds
                record.stages.append(
                    StageRecord(
                        stage: stage, status: .failed, reason: reason, seconds: seconds,
                        error: "\(error)", inputHash: fingerprint))
                log.warn(stage, "failed: \(error)")
                // A failed stage must run again next time, and so must everything after it.
                state.finished[stage.rawValue] = nil
                save(state, stage: stage, log: log)
                failed = true
            }
        }
        record.finishedAt = Date()
        return record
    }

    /// Saves the state; a state that cannot be saved only costs a rerun next time, so it is
    /// warned, not fatal.
    private func save(_ state: PipelineState, stage: Stage, log: RunLog) {
        do { try state.save(path: statePath) } catch {
            log.warn(stage, "cannot save the run state \(statePath): \(error); the next run does this stage again")
        }
    }

    /// The exit status a record stands for.
    public static func exitCode(for record: RunRecord) -> RunExitCode {
        if record.stages.contains(where: { $0.status == .failed }) { return .failure }
        if record.stages.contains(where: { !$0.rejected.isEmpty }) { return .doneWithRejections }
        return .success
    }

    /// Writes `reports/runs/<timestamp>-<n>.json` (a new name for every run, even several in
    /// one second); returns its path.
    public func write(_ record: RunRecord) throws -> String {
        let dir = (file.reports as NSString).appendingPathComponent("runs")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(record)
        let stem = f.string(from: record.startedAt)
        var n = 1
        while true {
            let path = (dir as NSString).appendingPathComponent(n == 1 ? stem + ".json" : "\(stem)-\(n).json")
            // Exclusive create: two runs never take one name.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
                try handle.write(contentsOf: data)
                return path
            }
            guard errno == EEXIST else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            n += 1
        }
    }
}

/// Stable 64-bit FNV-1a fingerprints of strings and files, as hex.
public enum Fingerprint {
    public static func of(_ text: String) -> String {
        var h = ContentHash()
        h.add(text)
        return h.compactHex
    }

    /// Fingerprint of files' size and modification time, in the given order (outputs: a
    /// stage's own files, large, checked cheaply).
    public static func stamps(_ paths: [String]) -> String {
        of(
            paths.map { p in
                let a = try? FileManager.default.attributesOfItem(atPath: p)
                let size = (a?[.size] as? NSNumber)?.int64Value ?? -1
                let time = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
                return "\(p)|\(size)|\(time)"
            }.joined(separator: "\n"))
    }

    /// Fingerprint of files' contents (hashing every byte), in the given order. Missing
    /// files count as empty with a marker.
    public static func files(_ paths: [String]) -> String {
        var h = ContentHash()
        for path in paths {
            h.add(path)
            guard let data = FileManager.default.contents(atPath: path) else {
                h.add(0xFF)
                continue
            }
            h.add(data)
        }
        return h.compactHex
    }
}
