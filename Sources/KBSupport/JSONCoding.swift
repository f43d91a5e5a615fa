import Foundation

/// The JSON presets every stage writes with: sorted keys (stable files, stable diffs), no
/// escaped slashes, ISO 8601 dates.
public enum JSONCoding {
    /// Files people read (reports, state, manifests): indented.
    public static func pretty(snakeCase: Bool = false) -> JSONEncoder {
        encoder([.prettyPrinted, .sortedKeys, .withoutEscapingSlashes], snakeCase: snakeCase)
    }

    /// The decoder matching the encoder.
    public static func decoder(snakeCase: Bool = false) -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return decoder
    }

    private static func encoder(_ formatting: JSONEncoder.OutputFormatting, snakeCase: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        encoder.dateEncodingStrategy = .iso8601
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return encoder
    }
}
