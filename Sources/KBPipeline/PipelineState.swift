import Foundation
import KBSupport

/// The input hash each stage last finished with, stored next to the index
/// (`<index>.pipeline.json`). A stage whose hash is unchanged is skipped; a stage killed
/// mid-way never recorded its hash, so the next run does it again.
public struct PipelineState: Sendable, Codable {
    public var finished: [String: String] = [:]
    /// Size-and-time stamps of each stage's outputs when it finished (``Fingerprint/stamps(_:)``).
    public var outputs: [String: String] = [:]

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        finished = try c.decodeIfPresent([String: String].self, forKey: .finished) ?? [:]
        outputs = try c.decodeIfPresent([String: String].self, forKey: .outputs) ?? [:]
    }

    /// The state at `path`; a missing file is a first run. A file that cannot be decoded is
    /// also a fresh start (every stage reruns, which is always safe), with the reason returned
    /// so the run says so.
    public static func load(path: String) -> (state: PipelineState, problem: String?) {
        guard let data = FileManager.default.contents(atPath: path) else { return (PipelineState(), nil) }
        do { return (try JSONDecoder().decode(PipelineState.self, from: data), nil) } catch {
            return (PipelineState(), "\(path): not a state file this version reads (\(error)); every stage runs")
        }
    }

    /// Writes atomically (temporary file + rename), so a crash leaves the old state.
    public func save(path: String) throws {
        try JSONCoding.pretty().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
