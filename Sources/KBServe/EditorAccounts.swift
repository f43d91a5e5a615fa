import Foundation
import HummingbirdBcrypt

/// The users file (`kb serve --auth FILE`): one editor per line, `name:bcrypt-hash`
/// (`#` starts a comment). Passwords are checked with bcrypt (hummingbird-auth's
/// `HummingbirdBcrypt`); the file never holds a password.
public struct EditorAccounts: Sendable {
    let hashes: [String: String]

    public init(hashes: [String: String]) { self.hashes = hashes }

    public static func load(path: String) throws(ServeError) -> EditorAccounts {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .authFile(path: path, line: 0, reason: "cannot read the users file")
        }
        var hashes: [String: String] = [:]
        for (i, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .authFile(path: path, line: i + 1, reason: "expected name:bcrypt-hash")
            }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let hash = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard validName(name) else {
                throw .authFile(
                    path: path, line: i + 1, reason: "user name '\(name)' must be 1–64 letters, digits, '.', '-' or '_'"
                )
            }
            guard hash.hasPrefix("$2"), hash.count == 60 else {
                throw .authFile(
                    path: path, line: i + 1,
                    reason: "'\(name)': not a bcrypt hash (make one with `kb serve --hash-password`)")
            }
            guard hashes[name] == nil else {
                throw .authFile(path: path, line: i + 1, reason: "user '\(name)' listed twice")
            }
            hashes[name] = hash
        }
        guard !hashes.isEmpty else { throw .authFile(path: path, line: 0, reason: "no users") }
        return EditorAccounts(hashes: hashes)
    }

    static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0)
            }
    }

    /// The user's name when the password matches (bcrypt, constant work for unknown users).
    public func verify(name: String, password: String) -> String? {
        guard let hash = hashes[name] else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return nil
        }
        return Bcrypt.verify(password, hash: hash) ? name : nil
    }

    /// A line for the users file.
    public static func line(name: String, password: String, cost: UInt8 = 12) -> String {
        name + ":" + Bcrypt.hash(password, cost: cost)
    }

    /// Verified against for unknown names, so a wrong name costs as long as a wrong password.
    static let decoy = Bcrypt.hash("decoy", cost: 12)
}
