import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One run at a time: an exclusive `flock` on a file next to the database. The lock file
/// records its holder (pid, host, start time) so a second run can name it. The kernel
/// releases the lock when the holder dies, so a killed run never leaves a stale lock.
public final class RunLock: @unchecked Sendable {
    public let path: String
    private var fd: Int32 = -1

    public enum Failure: Error, CustomStringConvertible, Sendable {
        case held(path: String, holder: String)
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .held(let path, let holder):
                return "another kb command holds the lock \(path) (\(holder)); exiting without doing anything"
            case .cannotOpen(let path, let reason):
                return "cannot open lock file \(path): \(reason)"
            }
        }
    }

    /// Takes the lock or throws ``Failure/held(path:holder:)`` at once (never waits).
    public init(path: String) throws {
        self.path = path
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder =
                (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            fd = -1
            throw Failure.held(path: path, holder: holder.isEmpty ? "holder unknown" : holder)
        }
        let host = ProcessInfo.processInfo.hostName
        let info = "pid \(getpid()) on \(host), started \(ISO8601DateFormatter().string(from: Date()))"
        ftruncate(fd, 0)
        _ = info.withCString { write(fd, $0, strlen($0)) }
    }

    /// Releases the lock (also released by the kernel if the process dies).
    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

/// The locks of the stores a command writes, `<store>.lock` each (the index's is the one
/// `kb run` always took). `kb run`, `kb index` and `kb tickets import` all take them, so two
/// writers of one store never meet: the second exits 75 naming the holder.
public enum StoreLock {
    /// Takes every lock, in path order, or none: on failure those already taken are released.
    public static func acquire(_ stores: [String]) throws -> [RunLock] {
        var taken: [RunLock] = []
        for store in Set(stores).sorted() {
            do { taken.append(try RunLock(path: store + ".lock")) } catch {
                taken.forEach { $0.release() }
                throw error
            }
        }
        return taken
    }
}
