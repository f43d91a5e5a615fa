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

    /// Up to `count` bytes; empty at the end of the file.
    static func read(_ handle: FileHandle, upTo count: Int, path: String) throws(TicketImportError) -> Data {
        do { return try handle.read(upToCount: count) ?? Data() } catch { throw TicketImportError.unreadable(path: path) }
    }
}
