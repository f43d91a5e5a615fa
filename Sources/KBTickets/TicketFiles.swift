import Foundation

/// Opening export files: only regular files (a folder named `x.jsonl` once reached a
/// `try!` inside Foundation's `readData`), read with the throwing API.
enum TicketFiles {
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// A handle on a regular file, or `unreadable` naming it.
    static func open(_ path: String) throws(TicketImportError) -> FileHandle {
        guard isRegularFile(path), let h = FileHandle(forReadingAtPath: path) else {
            throw TicketImportError.unreadable(path: path)
        }
        return h
    }

    /// Runs `body` with a handle on the file, then closes it. A close that fails after `body`
    /// succeeded is an error; after `body` failed, its error is the one thrown.
    static func reading<T>(_ path: String, _ body: (FileHandle) throws -> T) throws -> T {
        let handle = try open(path)
        let result = Result { try body(handle) }
        let closed = Result { try handle.close() }
        let value = try result.get()
        if case .failure = closed { throw TicketImportError.unreadable(path: path) }
        return value
    }

    /// Runs `body` writing to `handle`, then closes it: a failed write or close is an error
    /// naming the file (after a failed `body`, the handle is still closed).
    static func writing<T>(_ handle: FileHandle, path: String, _ body: () throws -> T) throws -> T {
        let result = Result { try body() }
        let closed = Result { try handle.close() }
        guard case .success(let value) = result, case .success = closed else {
            throw TicketImportError.unwritable(path: path)
        }
        return value
    }

    /// Up to `count` bytes; empty at the end of the file.
    static func read(_ handle: FileHandle, upTo count: Int, path: String) throws(TicketImportError) -> Data {
        do { return try handle.read(upToCount: count) ?? Data() } catch {
            throw TicketImportError.unreadable(path: path)
        }
    }
}
