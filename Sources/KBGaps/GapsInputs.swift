import Foundation
import KBEmbedding
import KBIndex
import KBTickets

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
