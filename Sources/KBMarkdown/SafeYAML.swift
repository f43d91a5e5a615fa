import CYaml
import Foundation
import Yams

/// YAML from files anyone can edit (article front matter, `--mapping` files), loaded only
/// after libyaml's own event parser has checked it: no anchors or aliases (a 467-byte
/// alias bomb once took 12 s and 2 GB), nesting and node count capped, size capped. The
/// check streams events and keeps no tree, so it is linear in the text and never recurses;
/// Yams then builds values only from text that passed.
public enum SafeYAML {
    public static let maxBytes = 256 * 1024
    public static let maxDepth = 32
    public static let maxNodes = 20_000

    /// Why YAML text was refused; `line` is 1-based within the text.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Nil when the text is safe to hand to Yams (it may still be invalid YAML: Yams says so).
    public static func check(_ yaml: String) -> Refusal? {
        let count = yaml.utf8.count
        if count > maxBytes { return Refusal(line: 1, message: "YAML larger than \(maxBytes / 1024) KB") }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return Refusal(line: 1, message: "YAML parser unavailable") }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(yaml.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf -> Refusal? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var depth = 0, nodes = 0
            while true {
                var event = yaml_event_t()
                // A syntax error is left for Yams to report with its own message.
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    return Refusal(line: line, message: "YAML aliases (*name) are not allowed here")
                case YAML_SCALAR_EVENT:
                    if event.data.scalar.anchor != nil { return anchorRefusal(line) }
                    nodes += 1
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor =
                        event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                    if anchor != nil { return anchorRefusal(line) }
                    nodes += 1
                    depth += 1
                    if depth > maxDepth {
                        return Refusal(line: line, message: "YAML nested deeper than \(maxDepth) levels")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                default:
                    break
                }
                if nodes > maxNodes { return Refusal(line: line, message: "YAML with more than \(maxNodes) values") }
            }
        }
    }

    private static func anchorRefusal(_ line: Int) -> Refusal {
        Refusal(line: line, message: "YAML anchors (&name) are not allowed here")
    }

    /// ``check(_:)`` then `Yams.load`.
    public static func load(yaml: String, _ resolver: Resolver = .default) throws -> Any? {
        if let refusal = check(yaml) { throw refusal }
        return try Yams.load(yaml: yaml, resolver)
    }
}
