import Foundation

/// A memory-mapped `.safetensors` file: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw data.
public struct SafeTensors: @unchecked Sendable {
    public struct Entry: Sendable {
        public var dtype: String
        public var shape: [Int]
        public var range: Range<Int>
    }

    public let path: String
    /// Mapped read-only for the life of the process; never written.
    private let data: Data
    private let dataStart: Int
    public let entries: [String: Entry]

    /// Maps and validates the file: header bounds, JSON, every range inside the data.
    public init(path: String) throws(EmbeddingError) {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw EmbeddingError.modelMissing(path: path)
        }
        guard data.count >= 8 else {
            throw EmbeddingError.badModel(path: path, reason: "file is \(data.count) bytes, too short for a header")
        }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard headerLength > 1, headerLength < 100_000_000, 8 + headerLength <= data.count else {
            throw EmbeddingError.badModel(
                path: path,
                reason:
                    "header length \(headerLength) does not fit a \(data.count)-byte file (truncated or not safetensors)"
            )
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength)))
        } catch {
            throw EmbeddingError.badModel(path: path, reason: "header is not JSON (not safetensors)")
        }
        guard let header = object as? [String: Any] else {
            throw EmbeddingError.badModel(path: path, reason: "header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], dataStart + offsets[1] <= data.count
            else {
                throw EmbeddingError.badModel(
                    path: path,
                    reason: "tensor '\(name)' has a bad header entry or lies past the end of the file (truncated?)")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.data = data
        self.dataStart = dataStart
        self.entries = entries
    }

    /// A float32 tensor's values, checked against the expected shape.
    public func floats(_ name: String, shape expected: [Int]) throws(EmbeddingError) -> [Float] {
        guard let e = entries[name] else {
            throw EmbeddingError.badModel(path: path, reason: "tensor '\(name)' is missing")
        }
        guard e.dtype == "F32" else {
            throw EmbeddingError.badModel(path: path, reason: "tensor '\(name)' is \(e.dtype), expected F32")
        }
        guard e.shape == expected else {
            throw EmbeddingError.badModel(
                path: path, reason: "tensor '\(name)' has shape \(e.shape), config says \(expected)")
        }
        let count = expected.reduce(1, *)
        guard e.range.count == count * 4 else {
            throw EmbeddingError.badModel(
                path: path, reason: "tensor '\(name)' holds \(e.range.count) bytes for \(count) floats")
        }
        return data.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: dataStart + e.range.lowerBound)
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: base, count: count * 4)) }
            return out
        }
    }
}

/// Problems with the model files, each naming the file.
public enum EmbeddingError: Error, CustomStringConvertible, Sendable, Equatable {
    case modelMissing(path: String)
    case badModel(path: String, reason: String)
    case badConfig(path: String, reason: String)

    public var description: String {
        switch self {
        case .modelMissing(let path): "\(path): model file not found; run `make setup` to fetch the model"
        case .badModel(let path, let reason): "\(path): not a usable model file: \(reason)"
        case .badConfig(let path, let reason): "\(path): \(reason)"
        }
    }
}
