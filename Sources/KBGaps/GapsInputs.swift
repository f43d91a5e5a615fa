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
            let text = [t.subject, t.firstCustomerMessage].compactMap { $0 }.filter { !$0.isEmpty }.joined(
                separator: "\n")
            guard !text.isEmpty else {
                problems.append(
                    QuestionReadError(
                        file: path, line: 0, row: i + 1,
                        reason: "ticket \(t.externalId): no subject and no customer message"))
                continue
            }
            let date = t.createdAt.flatMap(TimestampParser.parse)
            let troubled = t.escalated || t.reopenCount > 0 || (t.csat.map { $0 <= 2 } ?? false)
            questions.append(
                Question(
                    row: i + 1, id: t.externalId, text: text, date: date, troubled: troubled,
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
                func bad(_ reason: String) {
                    problems.append(QuestionReadError(file: path, line: line, row: row, reason: reason))
                }
                let t: TicketInput
                switch result {
                case .failure(let problem): bad(problem.message); return
                case .success(let ticket): t = ticket
                }
                if let date = notes.first(where: { $0.field == "created_at" }) { bad(date.message); return }
                let first = t.messages.first { $0.role == "customer" }?.text
                let text = [t.subject, first].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
                let troubled = t.escalated || t.reopenCount > 0 || (t.csat.map { $0 <= 2 } ?? false)
                questions.append(
                    Question(
                        row: row, id: t.externalID, text: Redactor(for: t).redact(text), date: t.createdAt,
                        troubled: troubled, citedArticle: t.resolution?.article,
                        resolved: t.status == "resolved" || t.status == "closed"))
            }
        } catch is TicketImportError {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        return (questions, problems, row)
    }
}
