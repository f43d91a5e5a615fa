import Foundation
import KBTickets
import XCTest

@testable import KBPipeline

/// Runner behaviour (skip, resume, exit codes) over a stage implementation that records
/// what ran and reads its inputs from real files.
final class RunnerTests: XCTestCase {
    /// Stage work whose inputs are files on disk; it can be told to fail at one stage.
    final class FileWork: StageWork, @unchecked Sendable {
        let dir: URL
        var ran: [Stage] = []
        var failAt: Stage?
        var reject: [Stage: [String]] = [:]

        init(dir: URL) { self.dir = dir }

        func inputFingerprint(for stage: Stage) throws -> String {
            Fingerprint.files([dir.appendingPathComponent("\(stage.rawValue).in").path])
        }

        func run(_ stage: Stage, log: RunLog) async throws -> StageResult {
            if stage == failAt { throw CocoaError(.fileReadCorruptFile) }
            ran.append(stage)
            if let out = outputs(for: stage).first {
                try "\(stage.rawValue) output".write(toFile: out, atomically: true, encoding: .utf8)
            }
            return StageResult(counts: ["items": 1], rejected: reject[stage] ?? [])
        }

        /// The index and the reports stage write one file each.
        func outputs(for stage: Stage) -> [String] {
            switch stage {
            case .index: [dir.appendingPathComponent("index.out").path]
            case .reports: [dir.appendingPathComponent("reports.out").path]
            default: []
            }
        }
    }

    private var dir: URL!
    private var file: PipelineFile!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        file = PipelineFile(
            path: "test.yml", name: "test", stages: Stage.allCases, kb: dir.path,
            index: dir.appendingPathComponent("index.sqlite").path,
            ticketsDatabase: dir.appendingPathComponent("t.sqlite").path, drafts: dir.path,
            reports: dir.appendingPathComponent("reports").path, tickets: [], questions: [],
            window: "30d", minTickets: 3, asOf: nil)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func touch(_ stage: Stage, _ text: String) throws {
        try text.write(to: dir.appendingPathComponent("\(stage.rawValue).in"), atomically: true, encoding: .utf8)
    }

    private let quiet = RunLog(format: .text, quiet: true)

    func testSecondRunSkipsEverythingAndAnEditRerunsFromThatStage() async throws {
        let work = FileWork(dir: dir)
        let runner = PipelineRunner(file: file)
        let first = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, Stage.allCases)
        XCTAssertEqual(PipelineRunner.exitCode(for: first), .success)

        work.ran = []
        let second = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, [])
        XCTAssertTrue(second.stages.allSatisfy { $0.status == .skipped })

        try touch(.drafts, "changed")
        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(
            work.ran, [.drafts, .reviewQueue, .reports], "a change reruns its stage and the stages that read it")

        try touch(.parse, "an edited article")
        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(
            work.ran, [.parse, .chunk, .embed, .index, .drafts, .gaps, .reviewQueue, .reports],
            "an edited article does not re-import tickets")

        try touch(.importTickets, "a new export")
        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(
            work.ran, [.importTickets, .drafts, .gaps, .reviewQueue, .reports], "new tickets do not re-parse the KB")
    }

    func testFailureStopsAndNextRunResumesAtTheFailedStage() async throws {
        let work = FileWork(dir: dir)
        let runner = PipelineRunner(file: file)
        work.failAt = .embed
        let failed = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, [.parse, .chunk])
        XCTAssertEqual(PipelineRunner.exitCode(for: failed), .failure)
        XCTAssertEqual(failed.stages.first { $0.stage == .index }?.status, .notRun)

        work.failAt = nil
        work.ran = []
        let resumed = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, Array(Stage.allCases.drop(while: { $0 != .embed })))
        XCTAssertEqual(PipelineRunner.exitCode(for: resumed), .success)
    }

    func testOptionsForceOnlyFromDryRunAndRejections() async throws {
        let work = FileWork(dir: dir)
        let runner = PipelineRunner(file: file)
        _ = await runner.run(work: work, options: RunOptions(dryRun: true), log: quiet)
        XCTAssertEqual(work.ran, [], "a dry run does nothing")

        _ = await runner.run(work: work, options: RunOptions(only: .gaps), log: quiet)
        XCTAssertEqual(work.ran, [.gaps])

        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(from: .reviewQueue), log: quiet)
        XCTAssertEqual(work.ran, [.reviewQueue, .reports])

        work.ran = []
        work.reject[.importTickets] = ["t.jsonl:3: missing id"]
        let forced = await runner.run(work: work, options: RunOptions(force: true), log: quiet)
        XCTAssertEqual(work.ran, Stage.allCases)
        XCTAssertEqual(PipelineRunner.exitCode(for: forced), .doneWithRejections)
        let path = try runner.write(forced)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        XCTAssertEqual((json?["stages"] as? [[String: Any]])?.count, Stage.allCases.count)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("t.jsonl:3: missing id"))
    }

    func testLockIsExclusiveAndNamesItsHolder() throws {
        let path = dir.appendingPathComponent("index.sqlite.lock").path
        let first = try RunLock(path: path)
        XCTAssertThrowsError(try RunLock(path: path)) { error in
            XCTAssertTrue("\(error)".contains("pid \(getpid())"), "\(error)")
        }
        first.release()
        XCTAssertNoThrow(try RunLock(path: path))
    }

    /// `rm index; kb run` must not skip everything: a stage whose outputs are missing, or were
    /// changed by someone else, runs again (and only it, when its inputs are unchanged).
    func testAStageWhoseOutputsAreMissingOrChangedRunsAgain() async throws {
        let work = FileWork(dir: dir)
        let runner = PipelineRunner(file: file)
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        try FileManager.default.removeItem(atPath: dir.appendingPathComponent("index.out").path)
        work.ran = []
        let record = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, [.index])
        XCTAssertTrue(record.stages.first { $0.stage == .index }?.reason.hasPrefix("output missing") ?? false)

        // Someone overwrote the reports (a hand-run `kb report --out reports`): restored.
        try "hand-made".write(toFile: dir.appendingPathComponent("reports.out").path, atomically: true, encoding: .utf8)
        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, [.reports])
        XCTAssertEqual(
            try String(contentsOfFile: dir.appendingPathComponent("reports.out").path, encoding: .utf8),
            "reports output")

        work.ran = []
        _ = await runner.run(work: work, options: RunOptions(), log: quiet)
        XCTAssertEqual(work.ran, [], "outputs as the stage left them: nothing runs")
    }

    func testEveryRunRecordGetsItsOwnFile() async throws {
        let runner = PipelineRunner(file: file)
        let record = RunRecord(pipeline: "test.yml", startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let paths = try (0..<3).map { _ in try runner.write(record) }
        XCTAssertEqual(Set(paths).count, 3, "three runs in one second leave three records")
        XCTAssertTrue(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }
}

/// Issue 16 item 12: every writing command takes the locks of the stores it writes.
final class StoreLockTests: XCTestCase {
    func testStoreLocksAreAllOrNoneAndNameTheHolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-locks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent("index.sqlite").path,
            tickets = dir.appendingPathComponent("tickets.sqlite").path
        let importer = try StoreLock.acquire([tickets])
        XCTAssertThrowsError(try StoreLock.acquire([index, tickets])) { error in
            XCTAssertTrue(
                "\(error)".contains("tickets.sqlite.lock") && "\(error)".contains("pid \(getpid())"), "\(error)")
        }
        XCTAssertNoThrow(try StoreLock.acquire([index]).forEach { $0.release() }, "the index lock was given back")
        importer.forEach { $0.release() }
        XCTAssertEqual(try StoreLock.acquire([index, tickets]).count, 2)
    }
}

/// Issue 16/17: `kb tickets import` with rejected rows exits 3, as `kb run` does.
final class ImportExitCodeTests: XCTestCase {
    func testRejectedRowsMakeTheImportExitThree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try TicketStore(path: dir.appendingPathComponent("t.sqlite").path)
        let csv = dir.appendingPathComponent("tickets.csv")
        try "id,status,subject\nC-1,open,a\nC-2,open,\"b\nC-3,open,c\n".write(
            to: csv, atomically: true, encoding: .utf8)
        let report = try TicketImporter(store: store).importFile(csv.path, format: .csv)
        XCTAssertEqual(RunExitCode.forImport([report]), .doneWithRejections)
        XCTAssertEqual(RunExitCode.forImport([ImportReport()]), .success)
    }
}
