import ArgumentParser
import Foundation
import KBPipeline

/// `kb run`: the staged nightly job.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline file: only stages whose inputs changed, one run at a time, resumable.",
        discussion: """
            A stage runs when its inputs changed, when its outputs are missing or were changed by \
            anyone else since it wrote them, or when asked. Paths in the pipeline file are relative to \
            the project (kb.yml); keys it leaves out are the project's. Every run writes \
            reports/runs/<timestamp>.json (a new name for each run). Exit status (for cron): 0 all \
            selected stages done or skipped; 3 done, but some inputs were rejected (see the run \
            record); 1 a stage failed (the next run resumes there); 65 the pipeline file is invalid; \
            75 another run holds the lock; 64 usage errors.
            """)

    @Argument(help: "Pipeline file (YAML), e.g. pipelines/nightly.yml.")
    var pipeline: String

    @Flag(help: "Run every selected stage even if its inputs did not change.")
    var force = false

    @Option(help: "Run only this stage.")
    var only: Stage?

    @Option(help: "Run this stage and every later one.")
    var from: Stage?

    @Flag(help: "Say what would run and why; change nothing.")
    var dryRun = false

    @Flag(help: "Print only the final summary line.")
    var quiet = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let log = RunLog(format: logging.logFormat, quiet: quiet, level: logging.logLevel.level)
        let file: PipelineFile
        do { file = try PipelineFile.load(path: pipeline, project: ProjectContext.current) } catch let e
            as PipelineFileError
        {
            log.summary("kb run: \(e.description)", ok: false)
            throw ExitCode(RunExitCode.badConfiguration.rawValue)
        }
        let locks: [RunLock]
        do { locks = try StoreLock.acquire([file.index, file.ticketsDatabase]) } catch {
            log.summary("kb run: \(error)", ok: false)
            throw ExitCode(RunExitCode.locked.rawValue)
        }
        defer { locks.forEach { $0.release() } }
        let runner = PipelineRunner(file: file)
        var record = await runner.run(
            work: NightlyStages(
                file: file, model: ProjectContext.modelDirectory, embedderSettings: .fromEnvironment(),
                pseudonymKey: ProjectContext.pseudonymKey),
            options: RunOptions(
                force: force, only: only,
                from: from, dryRun: dryRun),
            log: log)
        let code = PipelineRunner.exitCode(for: record)
        record.exitCode = code.rawValue
        record.peakRSSMB = ResourceUsage.peakResidentMB()
        if !dryRun {
            let path = try runner.write(record)
            log.info(nil, "run record: \(path)")
        }
        log.summary(record.summary, ok: code != .failure)
        if code != .success { throw ExitCode(code.rawValue) }
    }
}

extension Stage: ExpressibleByArgument {}
