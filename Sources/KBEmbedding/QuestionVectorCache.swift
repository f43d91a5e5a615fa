import Foundation

/// Question vectors cached by text hash in one binary file (model hash in the header), so a
/// second run only embeds new questions.
public struct QuestionVectorCache {
    public let path: String
    public let modelHash: String
    private var vectors: [String: [Float]] = [:]
    private var dirty = false

    public init(path: String, modelHash: String) {
        self.path = path
        self.modelHash = modelHash
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data.prefix(while: { $0 != 10 }), encoding: .utf8)
        else { return }
        let header = text.split(separator: " ").map(String.init)
        guard header.count == 3, header[0] == "kbgaps-vectors-v1", header[1] == modelHash, let dim = Int(header[2])
        else { return }
        var offset = text.utf8.count + 1
        let keyLength = 32, record = keyLength + dim * 4
        while offset + record <= data.count {
            let key = String(decoding: data[offset..<(offset + keyLength)], as: UTF8.self)
            let floats = data[(offset + keyLength)..<(offset + record)].withUnsafeBytes {
                Array($0.bindMemory(to: Float.self))
            }
            vectors[key] = floats
            offset += record
        }
    }

    static func key(_ text: String) -> String {
        let h = MiniLMEmbedder.textHash(text)
        return String((h + String(repeating: "0", count: 32)).prefix(32))
    }

    /// Vectors for `texts`, embedding only those not cached; returns how many were computed.
    public mutating func vectors(
        for texts: [String], embedder: any TextEmbedder
    ) throws -> (vectors: [[Float]], computed: Int) {
        let keys = texts.map(Self.key)
        var missing: [Int] = []
        var seen = Set<String>()
        for (i, k) in keys.enumerated() where vectors[k] == nil && seen.insert(k).inserted { missing.append(i) }
        if !missing.isEmpty {
            let fresh = try embedder.embed(missing.map { texts[$0] })
            for (i, v) in zip(missing, fresh) { vectors[keys[i]] = v }
            dirty = true
        }
        return (keys.map { vectors[$0]! }, missing.count)
    }

    /// Writes the cache if anything was added.
    public func save() throws {
        guard dirty, let dim = vectors.first?.value.count else { return }
        var data = Data("kbgaps-vectors-v1 \(modelHash) \(dim)\n".utf8)
        for (k, v) in vectors.sorted(by: { $0.key < $1.key }) where v.count == dim {
            data.append(Data(k.utf8))
            v.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
