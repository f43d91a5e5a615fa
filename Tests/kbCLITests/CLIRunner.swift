import Foundation
import XCTest

/// Runs the `kb` executable SwiftPM built beside this test bundle, as a user would.
struct CLI {
    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// `.build/<triple>/debug/kb`, next to the test bundle.
    static var executable: URL {
        var dir = Bundle(for: CLIMarker.self).bundleURL
        while !dir.path.isEmpty, dir.path != "/" {
            let candidate = dir.appendingPathComponent("kb")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/kb")
    }

    /// The repository (for the model and the README).
    static var repository: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var model: String {
        ProcessInfo.processInfo.environment["KB_MODEL_DIR"]
            ?? repository.appendingPathComponent(".models/all-MiniLM-L6-v2").path
    }

    @discardableResult
    static func run(_ arguments: [String], in cwd: URL, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env["KB_PROJECT"] = nil
        env["KB_PSEUDONYM_SALT"] = "cli-test"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        // Output to files, so a large output never blocks the process on a full pipe.
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("kb-cli-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        p.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(
            status: p.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }
}

final class CLIMarker {}
