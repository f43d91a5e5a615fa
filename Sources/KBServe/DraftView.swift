import Foundation
import KBDrafts
import KBMarkdown
import KBTickets
import Yams

/// One draft as the page and the API show it.
struct DraftView: Encodable {
    struct LogEntry: Encodable {
        var at: String?, by: String?, from: String?, to: String?, reason: String?, note: String?
    }
    var id: String
    var version: String
    var title: String
    var status: String
    var category: String?
    var priority: String?
    var external: Bool
    var edited: Bool
    var hasProposal: Bool
    var flags: [String]
    var sourceTickets: [String]
    var publishedPath: String?
    var rejectedReason: String?
    var allowedActions: [String]
    var body: String
    var reviewLog: [LogEntry]

    init(id: String, store: DraftStore) throws {
        let (doc, version) = try store.loadVersioned(id)
        self.id = id
        self.version = version
        title = doc["title"] ?? id
        let state = doc.status ?? .draft
        status = state.rawValue
        category = doc["category"]
        priority = doc["priority"]
        external = doc.frontMatter["external"]?.bool ?? false
        edited = doc.isEdited
        hasProposal = FileManager.default.fileExists(
            atPath: store.folder.appendingPathComponent(id + ".proposed.md").path)
        flags = doc.frontMatter["flags"]?.sequence?.compactMap(\.string) ?? []
        sourceTickets = doc.sourceTickets
        publishedPath = doc["published_path"]
        rejectedReason = doc["rejected_reason"]
        allowedActions = state.allowedActions.map(\.rawValue)
        body = doc.body
        reviewLog = Array(doc.frontMatter["review_log"]?.sequence ?? Node.Sequence()).map { e in
            LogEntry(
                at: e["at"]?.string, by: e["by"]?.string, from: e["from"]?.string, to: e["to"]?.string,
                reason: e["reason"]?.string, note: e["note"]?.string)
        }
    }

    /// Values for the draft template.
    func page(tickets: [TicketText], diff: [DiffRow]) -> [String: Any] {
        var v: [String: Any] = [
            "id": id, "version": version, "title": title, "status": status, "category": category ?? "–",
            "priority": priority ?? "–", "external": external,
            "audience": external ? "external (customers)" : "internal (agents)",
            "edited": edited, "hasProposal": hasProposal, "flags": flags, "ticketCount": sourceTickets.count,
            "publishedPath": publishedPath as Any, "rejectedReason": rejectedReason as Any, "body": body,
            "html": MarkdownHTML.render(body), "editable": status != ReviewState.published.rawValue,
            "log": reviewLog.map {
                [
                    "at": $0.at ?? "", "by": $0.by ?? "", "from": $0.from ?? "", "to": $0.to ?? "",
                    "reason": $0.reason ?? "", "note": $0.note.map { "(\($0))" } ?? "",
                ]
            },
            "tickets": tickets.enumerated().map { i, t -> [String: Any] in
                [
                    "open": i < 3, "reference": t.reference, "subject": t.subject.isEmpty ? "(no subject)" : t.subject,
                    "status": t.status,
                    "channel": t.channel as Any, "createdAt": t.createdAt as Any, "resolution": t.resolution as Any,
                    "messages": t.messages.map { ["role": $0.role, "text": $0.text] },
                ]
            },
            "diff": diff.map { $0.values },
        ]
        for a in ReviewState.Action.allCases {
            v["can" + a.rawValue.prefix(1).uppercased() + a.rawValue.dropFirst()] = allowedActions.contains(a.rawValue)
        }
        return v
    }
}

/// One row of a side-by-side diff: a hunk header, or the old line beside the new one.
struct DiffRow: Encodable {
    var hunk: String?
    var left: String?
    var right: String?

    var values: [String: Any] {
        if let hunk { return ["hunk": hunk] }
        let changed = left != right
        return [
            "left": left ?? "", "right": right ?? "",
            "leftClass": left != nil && changed ? "del" : "", "rightClass": right != nil && changed ? "add" : "",
        ]
    }

    /// Pairs a unified diff's removed and added runs line by line.
    static func sideBySide(_ unified: String) -> [DiffRow] {
        var rows: [DiffRow] = []
        var removed: [String] = [], added: [String] = []
        func flush() {
            for i in 0..<max(removed.count, added.count) {
                rows.append(
                    DiffRow(left: i < removed.count ? removed[i] : nil, right: i < added.count ? added[i] : nil))
            }
            removed = []; added = []
        }
        for line in unified.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---") || line.hasPrefix("+++") { continue }
            if line.hasPrefix("@@") { flush(); rows.append(DiffRow(hunk: String(line))); continue }
            if line.hasPrefix("-") { removed.append(String(line.dropFirst())); continue }
            if line.hasPrefix("+") { added.append(String(line.dropFirst())); continue }
            flush()
            if line.hasPrefix(" ") { let s = String(line.dropFirst()); rows.append(DiffRow(left: s, right: s)) }
        }
        flush()
        return rows
    }
}
