import Foundation

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

    public static func load(path: String) -> PipelineState {
        guard let data = FileManager.default.contents(atPath: path),
              let state = try? JSONDecoder().decode(PipelineState.self, from: data) else { return PipelineState() }
        return state
    }

    /// Writes atomically (temporary file + rename), so a crash leaves the old state.
    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
