import Foundation

/// Twitter customer-support threads (`twcs.csv` layout): each customer tweet that opens a
/// conversation becomes a ticket; the replies under it, followed through
/// `response_tweet_id`, become its messages. Links to tweets not in the file are ignored.
enum ThreadsImporter {
    struct Tweet {
        var id: String, author: String, inbound: Bool, at: Date?, text: String, replies: [String], parent: String?,
            row: Int
    }

    static func read(path: String, emit: (Int, Result<TicketInput, RowProblem>, [RowProblem]) throws -> Void) throws {
        var reader = try CSVReader(path: path)
        let file = (path as NSString).lastPathComponent
        guard let header = try reader.next() else { return }
        var col: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() { col[h] = i }
        let needed = [
            "tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id",
        ]
        let missing = needed.filter { col[$0] == nil }
        if !missing.isEmpty { throw TicketImportError.missingColumns(path: path, columns: missing) }
        var tweets: [String: Tweet] = [:]
        var order: [String] = []
        while let r = try reader.next() {
            if r.fields.count == 1, r.fields[0].isEmpty { continue }
            if let problem = r.problem {
                try emit(r.line, .failure(RowProblem(file: file, row: r.line, message: problem, skipped: true)), [])
                continue
            }
            guard r.fields.count == header.fields.count else {
                try emit(
                    r.line,
                    .failure(
                        RowProblem(
                            file: file, row: r.line,
                            message: "has \(r.fields.count) fields, header has \(header.fields.count) (broken record)",
                            skipped: true)), [])
                continue
            }
            func f(_ k: String) -> String { col[k].map { r.fields[$0].trimmingSpaces } ?? "" }
            let id = Self.normalizeID(f("tweet_id"))
            guard !id.isEmpty else {
                try emit(
                    r.line, .failure(RowProblem(file: file, row: r.line, message: "missing tweet_id", skipped: true)),
                    [])
                continue
            }
            let parent = Self.normalizeID(f("in_response_to_tweet_id"))
            tweets[id] = Tweet(
                id: id, author: f("author_id"), inbound: f("inbound").lowercased() == "true",
                at: TimestampParser.parse(f("created_at")), text: HTMLEntities.decode(f("text")),
                replies: f("response_tweet_id").split(separator: ",").map { Self.normalizeID(String($0)) },
                parent: parent.isEmpty ? nil : parent, row: r.line)
            order.append(id)
        }
        for id in order {
            guard let root = tweets[id], root.inbound, root.parent == nil || tweets[root.parent!] == nil else {
                continue
            }
            var messages: [Tweet] = []
            var queue = [root.id]
            var seen = Set<String>()
            while let next = queue.first {
                queue.removeFirst()
                guard seen.insert(next).inserted, let t = tweets[next] else { continue }  // dangling links tolerated
                messages.append(t)
                queue += t.replies
            }
            messages.sort { ($0.at ?? .distantPast, $0.id) < ($1.at ?? .distantPast, $1.id) }
            var t = TicketInput(
                source: "twcs", externalID: root.id, customerKey: "twitter:" + root.author,
                status: messages.contains { !$0.inbound } ? "closed" : "open")
            t.channel = "social"
            t.subject = String(root.text.prefix(120))
            t.createdAt = root.at
            t.firstResponseAt = messages.first { !$0.inbound }?.at
            t.messages = messages.map {
                .init(role: $0.inbound ? "customer" : "agent", channel: "social", at: $0.at, author: nil, text: $0.text)
            }
            var notes: [RowProblem] = []
            TicketChecks.durations(&t) {
                notes.append(RowProblem(file: file, row: root.row, message: $0, skipped: false))
            }
            try emit(root.row, .success(t), notes)
        }
    }

    /// `3.0` → `3` (ids written as floats by pandas).
    static func normalizeID(_ s: String) -> String {
        let t = s.trimmingSpaces
        if t.hasSuffix(".0") { return String(t.dropLast(2)) }
        return t
    }
}

enum HTMLEntities {
    static func decode(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
