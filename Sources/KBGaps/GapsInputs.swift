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

/// Customer questions from a tickets file in format v1 (docs/TICKETS.md): subject plus first
/// customer message, redacted. Used until tickets are read from `kb/tickets.sqlite`.
public enum TicketQuestions {
    /// `troubled`: escalated, reopened or rated ≤ 2.
    public static func read(path: String, redactor: Redactor = Redactor()) throws -> (questions: [Question], problems: [QuestionReadError], rows: Int) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        var questions: [Question] = [], problems: [QuestionReadError] = []
        var row = 0
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            row += 1
            func bad(_ reason: String) { problems.append(QuestionReadError(file: path, line: i + 1, row: row, reason: reason)) }
            guard let t = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                bad("not a JSON object"); continue
            }
            let subject = (t["subject"] as? String) ?? ""
            let messages = (t["messages"] as? [[String: Any]]) ?? []
            let first = messages.first { ($0["role"] as? String) == "customer" }?["text"] as? String ?? ""
            let text = [subject, first].filter { !$0.isEmpty }.joined(separator: "\n")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { bad("no subject and no customer message"); continue }
            var date: Date?
            if let raw = t["created_at"] as? String {
                guard let d = TimestampParser.parse(raw) else { bad("unreadable created_at \"\(raw)\""); continue }
                date = d
            }
            let article = (t["resolution"] as? [String: Any])?["article"] as? String
            let csat = t["csat"] as? Int
            let troubled = (t["escalated"] as? Bool ?? false) || (t["reopen_count"] as? Int ?? 0) > 0 || (csat.map { $0 <= 2 } ?? false)
            let status = (t["status"] as? String)?.lowercased()
            questions.append(Question(row: row, id: t["id"] as? String, text: redactor.redact(text), date: date,
                                      troubled: troubled, citedArticle: article, resolved: status == "resolved" || status == "closed"))
        }
        return (questions, problems, row)
    }
}
