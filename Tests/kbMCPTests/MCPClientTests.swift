import Foundation
import XCTest

/// Runs `tests/mcp_client_test.py`: the official Python MCP SDK (installed by `make setup` in
/// `.venv-mcp`) starts the built `kb mcp` as a subprocess over stdio on a project it writes,
/// calls every tool and resource, compares search_kb with `kb search --json`, and checks that
/// an external server leaks nothing internal. Fails when any of its checks fails.
final class MCPClientTests: XCTestCase {
    /// The repository (for the script, the venv and the model).
    static var repository: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    /// `kb`, built by SwiftPM next to this test bundle.
    static var executable: URL {
        var dir = Bundle(for: MCPClientTests.self).bundleURL
        while !dir.path.isEmpty, dir.path != "/" {
            let candidate = dir.appendingPathComponent("kb")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/kb")
    }

    /// `$KB_MCP_PYTHON`, else the venv `make setup` made.
    static var python: String {
        if let p = ProcessInfo.processInfo.environment["KB_MCP_PYTHON"], !p.isEmpty { return p }
        return repository.appendingPathComponent(".venv-mcp/bin/python").path
    }

    func testOfficialPythonClientAgainstKBMCP() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            return XCTFail(
                "\(Self.python): no Python with the MCP SDK; run `make setup` (scripts/setup.sh installs it)")
        }
        let model =
            ProcessInfo.processInfo.environment["KB_MODEL_DIR"]
            ?? Self.repository.appendingPathComponent(".models/all-MiniLM-L6-v2").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.python)
        p.arguments = [
            Self.repository.appendingPathComponent("tests/mcp_client_test.py").path, "--kb", Self.executable.path,
            "--model", model,
        ]
        var env = ProcessInfo.processInfo.environment
        env["KB_PROJECT"] = nil
        p.environment = env
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kb-mcp-test-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        let log = try String(contentsOf: out, encoding: .utf8)
        let failures = log.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        XCTAssertEqual(
            p.terminationStatus, 0,
            "the MCP client test failed:\n\(failures.isEmpty ? String(log.suffix(4000)) : failures.joined(separator: "\n"))"
        )
        XCTAssertNotNil(
            log.range(of: "(?m)^[0-9]+ passed, 0 failed$", options: .regularExpression), String(log.suffix(2000)))
    }
}
