import Foundation
import KBMarkdown
import Yams

/// A pipeline definition (`pipelines/nightly.yml`): which stages run on which inputs.
/// Relative paths are resolved against the project folder (``Project``, the folder of
/// `kb.yml`); a path the file leaves out is the project's.
public struct PipelineFile: Sendable, Hashable {
    /// A ticket export and how to read it.
    public struct TicketSource: Sendable, Hashable {
        public var path: String
        /// `jsonl`, `csv` or `twitter-threads`.
        public var format: String
        /// Column mapping file for CSV exports in another layout.
        public var mapping: String?
    }

    /// A file of customer questions (search logs): CSV or JSONL with a text column.
    public struct QuestionSource: Sendable, Hashable {
        public var path: String
        public var textColumn: String?
        public var timeColumn: String?
    }

    public var path: String
    public var name: String
    public var stages: [Stage]
    public var kb: String
    public var index: String
    public var ticketsDatabase: String
    public var drafts: String
    public var reports: String
    public var tickets: [TicketSource]
    public var questions: [QuestionSource]
    /// Report window such as `30d` or `8w`.
    public var window: String
    public var minTickets: Int
    /// Optional fixed "now" (ISO date) so reports over demo data are reproducible.
    public var asOf: String?
}

/// A rejected pipeline file, naming the file and line.
public struct PipelineFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var message: String

    public var description: String { "\(path):\(line): \(message)" }
}

extension PipelineFile {
    static let topKeys: Set<String> = [
        "name", "version", "stages", "kb", "index", "tickets_db", "drafts",
        "reports", "tickets", "questions", "report", "thresholds",
    ]

    /// Reads and validates a pipeline file before any work: unknown stages or keys, wrong
    /// types and missing input paths are errors naming the line.
    public static func load(path: String, project: Project? = nil, checkPaths: Bool = true) throws -> PipelineFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PipelineFileError(path: path, line: 0, message: "cannot read pipeline file")
        }
        if let refusal = SafeYAML.check(text) {
            throw PipelineFileError(path: path, line: refusal.line, message: refusal.message)
        }
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw PipelineFileError(path: path, line: 1, message: "empty pipeline file")
            }
            node = n
        } catch let e as PipelineFileError {
            throw e
        } catch {
            throw PipelineFileError(path: path, line: Self.line(of: error), message: "not valid YAML (\(error))")
        }
        let reader = NodeReader(path: path)
        var file = try reader.pipeline(
            node, project: project ?? Project(root: FileManager.default.currentDirectoryPath))
        if let project { file.resolve(in: project) }
        if checkPaths { try reader.checkPaths(file, node: node) }
        return file
    }

    private static func line(of error: Error) -> Int {
        if case let YamlError.scanner(_, _, mark, _) = error { return mark.line }
        if case let YamlError.parser(_, _, mark, _) = error { return mark.line }
        return 1
    }
}

/// Walks the YAML node tree with line numbers for every error.
private struct NodeReader {
    let path: String

    func fail(_ node: Node?, _ message: String) -> PipelineFileError {
        PipelineFileError(path: path, line: node?.mark?.line ?? 1, message: message)
    }

    func mapping(_ node: Node, _ what: String, allowed: Set<String>) throws -> [(String, Node, Node)] {
        guard let map = node.mapping else { throw fail(node, "\(what) must be a mapping") }
        var out: [(String, Node, Node)] = []
        for (k, v) in map {
            guard let key = k.string else { throw fail(k, "keys must be strings") }
            guard allowed.contains(key) else {
                throw fail(k, "unknown key '\(key)' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            out.append((key, k, v))
        }
        return out
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail(node, "'\(key)' must be a non-empty string") }
        return s
    }

    func pipeline(_ root: Node, project: Project) throws -> PipelineFile {
        var file = PipelineFile(
            path: path, name: (path as NSString).lastPathComponent, stages: Stage.allCases,
            kb: project.articles, index: project.index, ticketsDatabase: project.ticketsDatabase,
            drafts: project.drafts, reports: project.reports, tickets: [], questions: [],
            window: "30d", minTickets: 3, asOf: nil)
        for (key, _, value) in try mapping(root, "the pipeline file", allowed: PipelineFile.topKeys) {
            switch key {
            case "name": file.name = try string(value, key)
            case "version":
                guard value.int == 1 else { throw fail(value, "unsupported version (this kb reads version 1)") }
            case "stages":
                guard let seq = value.sequence else { throw fail(value, "'stages' must be a list") }
                file.stages = try seq.map { item in
                    let name = try string(item, "stages")
                    guard let stage = Stage(rawValue: name) else {
                        throw fail(
                            item,
                            "unknown stage '\(name)' (stages: \(Stage.allCases.map(\.rawValue).joined(separator: ", ")))"
                        )
                    }
                    return stage
                }.sorted()
            case "kb": file.kb = try string(value, key)
            case "index": file.index = try string(value, key)
            case "tickets_db": file.ticketsDatabase = try string(value, key)
            case "drafts": file.drafts = try string(value, key)
            case "reports": file.reports = try string(value, key)
            case "tickets":
                guard let seq = value.sequence else { throw fail(value, "'tickets' must be a list") }
                file.tickets = try seq.map { item in
                    var source = PipelineFile.TicketSource(path: "", format: "jsonl", mapping: nil)
                    for (k, kNode, v) in try mapping(item, "a ticket source", allowed: ["path", "format", "mapping"]) {
                        switch k {
                        case "path": source.path = try string(v, k)
                        case "format":
                            source.format = try string(v, k)
                            guard ["jsonl", "csv", "twitter-threads"].contains(source.format) else {
                                throw fail(v, "unknown ticket format '\(source.format)' (jsonl, csv, twitter-threads)")
                            }
                        default: source.mapping = try string(v, k); _ = kNode
                        }
                    }
                    guard !source.path.isEmpty else { throw fail(item, "a ticket source needs a 'path'") }
                    return source
                }
            case "questions":
                guard let seq = value.sequence else { throw fail(value, "'questions' must be a list") }
                file.questions = try seq.map { item in
                    var source = PipelineFile.QuestionSource(path: "", textColumn: nil, timeColumn: nil)
                    for (k, _, v) in try mapping(
                        item, "a question source", allowed: ["path", "text_column", "time_column"])
                    {
                        switch k {
                        case "path": source.path = try string(v, k)
                        case "text_column": source.textColumn = try string(v, k)
                        default: source.timeColumn = try string(v, k)
                        }
                    }
                    guard !source.path.isEmpty else { throw fail(item, "a question source needs a 'path'") }
                    return source
                }
            case "report":
                for (k, _, v) in try mapping(value, "'report'", allowed: ["window", "as_of"]) {
                    if k == "window" {
                        file.window = try string(v, k)
                        guard ReportWindow.days(file.window) != nil else {
                            throw fail(v, "window must look like 30d, 8w or 90d")
                        }
                    } else {
                        file.asOf = try string(v, k)
                    }
                }
            case "thresholds":
                for (k, _, v) in try mapping(value, "'thresholds'", allowed: ["min_tickets"]) {
                    guard let n = v.int, n >= 1 else { throw fail(v, "'\(k)' must be a positive integer") }
                    file.minTickets = n
                }
            default: break
            }
        }
        return file
    }

    /// Every input path named by the file must exist (outputs are created).
    func checkPaths(_ file: PipelineFile, node: Node) throws {
        func exists(_ p: String) -> Bool { FileManager.default.fileExists(atPath: p) }
        func line(of value: String) -> Node? { find(value, in: node) }
        var inputs = [file.kb]
        inputs += file.tickets.flatMap { [$0.path] + ($0.mapping.map { [$0] } ?? []) }
        inputs += file.questions.map(\.path)
        for p in inputs where !exists(p) {
            throw fail(line(of: p), "input path does not exist: \(p)")
        }
    }

    private func find(_ value: String, in node: Node) -> Node? {
        if node.scalar?.string == value { return node }
        if let map = node.mapping { for (_, v) in map { if let n = find(value, in: v) { return n } } }
        if let seq = node.sequence { for v in seq { if let n = find(value, in: v) { return n } } }
        return nil
    }
}

extension PipelineFile {
    /// Every relative path resolved against the project folder.
    mutating func resolve(in project: Project) {
        kb = project.path(kb); index = project.path(index); ticketsDatabase = project.path(ticketsDatabase)
        drafts = project.path(drafts); reports = project.path(reports)
        for i in tickets.indices {
            tickets[i].path = project.path(tickets[i].path)
            tickets[i].mapping = tickets[i].mapping.map(project.path)
        }
        for i in questions.indices { questions[i].path = project.path(questions[i].path) }
    }
}

/// Report windows written as `30d`, `8w` or `12m` (months of 30 days), at most
/// ``maxDays`` (a 14-digit window once crashed a date conversion).
public enum ReportWindow {
    public static let maxDays = 36_500

    public static func days(_ text: String) -> Int? {
        guard let unit = text.last, text.count <= 8, let n = Int(text.dropLast()), n > 0 else { return nil }
        let days: Int
        switch unit {
        case "d": days = n
        case "w": days = n * 7
        case "m": days = n * 30
        default: return nil
        }
        return days <= maxDays ? days : nil
    }
}
