import Foundation

/// Locates the all-MiniLM-L6-v2 model folder for tests: `KB_MODEL_DIR` if set, else
/// `.models/all-MiniLM-L6-v2` in the package root (found by walking up from this file).
enum ModelDirectory {
    static func url(filePath: String = #filePath) -> URL {
        if let dir = ProcessInfo.processInfo.environment["KB_MODEL_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.appendingPathComponent(".models/all-MiniLM-L6-v2", isDirectory: true)
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".models/all-MiniLM-L6-v2", isDirectory: true)
    }
}
