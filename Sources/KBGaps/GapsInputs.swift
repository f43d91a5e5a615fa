import Foundation
import KBEmbedding
import KBIndex
import KBTickets

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
              let text = String(data: data.prefix(while: { $0 != 10 }), encoding: .utf8) else { return }
        let header = text.split(separator: " ").map(String.init)
        guard header.count == 3, header[0] == "kbgaps-vectors-v1", header[1] == modelHash, let dim = Int(header[2]) else { return }
        var offset = text.utf8.count + 1
        let keyLength = 32, record = keyLength + dim * 4
        while offset + record <= data.count {
            let key = String(decoding: data[offset..<(offset + keyLength)], as: UTF8.self)
            let floats = data[(offset + keyLength)..<(offset + record)].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            vectors[key] = floats
            offset += record
        }
    }

    static func key(_ text: String) -> String {
        let h = MiniLMEmbedder.textHash(text)
        return String((h + String(repeating: "0", count: 32)).prefix(32))
    }

    /// Vectors for `texts`, embedding only those not cached; returns how many were computed.
    public mutating func vectors(for texts: [String], embedder: any TextEmbedder) throws -> (vectors: [[Float]], computed: Int) {
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
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Customer questions from the ticket store (`kb/tickets.sqlite`, written by `kb tickets import`).
public enum StoredTicketQuestions {
    public static func read(path: String) throws -> (questions: [Question], problems: [QuestionReadError], rows: Int) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no ticket store (run `kb tickets import` first)")
        }
        var questions: [Question] = [], problems: [QuestionReadError] = []
        let stored = try TicketStore(path: path).customerQuestions()
        for (i, t) in stored.enumerated() {
            let text = [t.subject, t.firstCustomerMessage].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            guard !text.isEmpty else {
                problems.append(QuestionReadError(file: path, line: 0, row: i + 1, reason: "ticket \(t.externalId): no subject and no customer message"))
                continue
            }
            let date = t.createdAt.flatMap(TimestampParser.parse)
            let troubled = t.escalated || t.reopenCount > 0 || (t.csat.map { $0 <= 2 } ?? false)
            questions.append(Question(row: i + 1, id: t.externalId, text: text, date: date, troubled: troubled,
                                      citedArticle: t.article, resolved: t.resolved))
        }
        return (questions, problems, stored.count)
    }
}

/// Customer questions from a tickets file in the project's JSONL format (docs/TICKETS.md),
/// read through the ticket importer's reader (``JSONLImporter``): subject plus first
/// customer message, redacted as the import redacts (the ticket's own names too). Used
/// until tickets are read from `kb/tickets.sqlite`.
public enum TicketQuestions {
    /// `troubled`: escalated, reopened or rated ≤ 2. A line the importer would skip, or whose
    /// `created_at` is unreadable, is a problem at its line; `rows` counts non-blank lines.
    public static func read(path: String) throws -> (questions: [Question], problems: [QuestionReadError], rows: Int) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        var questions: [Question] = [], problems: [QuestionReadError] = []
        var row = 0
        do {
            try JSONLImporter.read(path: path) { line, result, notes in
                row += 1
                func bad(_ reason: String) { problems.append(QuestionReadError(file: path, line: line, row: row, reason: reason)) }
                let t: TicketInput
                switch result {
                case .failure(let problem): bad(problem.message); return
                case .success(let ticket): t = ticket
                }
                if let date = notes.first(where: { $0.field == "created_at" }) { bad(date.message); return }
                let first = t.messages.first { $0.role == "customer" }?.text
                let text = [t.subject, first].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
                let troubled = t.escalated || t.reopenCount > 0 || (t.csat.map { $0 <= 2 } ?? false)
                questions.append(Question(row: row, id: t.externalID, text: Redactor(for: t).redact(text), date: t.createdAt,
                                          troubled: troubled, citedArticle: t.resolution?.article,
                                          resolved: t.status == "resolved" || t.status == "closed"))
            }
        } catch is TicketImportError {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        return (questions, problems, row)
    }
}
