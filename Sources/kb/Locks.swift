import ArgumentParser
import KBPipeline

/// The store locks a writing command takes (see ``StoreLock``); held by another command,
/// it says who and exits 75, as `kb run` does.
func takeStoreLocks(_ stores: [String], command: String) throws -> [RunLock] {
    do { return try StoreLock.acquire(stores) } catch {
        printError("\(command): \(error)")
        throw ExitCode(RunExitCode.locked.rawValue)
    }
}
