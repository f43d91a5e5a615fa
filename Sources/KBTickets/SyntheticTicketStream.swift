import Foundation
import KBSupport

/// Writes a synthetic ticket export in the project's JSONL format for benchmarks
/// (`kb bench tickets`): four messages a ticket (customer, agent, customer, agent) with
/// personal data planted in the customer's words (e-mail, phone, card, IBAN, IP, handle and
/// the customer's own name), written in 4 MB blocks so any size streams.
public enum SyntheticTicketStream {
    static let problems = [
        "my bank feed shows every transaction twice since I reconnected",
        "the invoice PDF prints the wrong currency symbol after a locale change",
        "the mobile app crashes when I attach a receipt photo",
        "CSV import rejects dates in day-month-year order",
        "the accountant invitation link says it expired",
        "webhook retries flood our endpoint after an HTTP 500",
        "card payment declined at checkout with error ERR_PAY_402",
        "VAT totals differ by a cent between invoice and report",
    ]
    static let first = ["Ana", "Luis", "Maria", "John", "Aiko", "Priya", "Tom", "Grace"]
    static let last = ["Souza", "Keller", "Okafor", "Smith", "Tanaka", "Novak", "Brown", "Ivanova"]

    /// Writes `messages` messages (rounded up to whole tickets) to `path`; returns the ticket count.
    @discardableResult
    public static func write(messages: Int, to path: String, seed: UInt64 = 7) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw TicketImportError.unwritable(path: path) }
        return try TicketFiles.writing(handle, path: path) {
            try writeTickets(messages: messages, seed: seed, to: handle)
        }
    }

    private static func writeTickets(messages: Int, seed: UInt64, to handle: FileHandle) throws -> Int {
        var rng = SplitMix(seed: seed)
        let tickets = (messages + 3) / 4
        var buffer = ""
        buffer.reserveCapacity(1 << 22)
        let channels = ["email", "chat", "web", "phone", "social"]
        for i in 0..<tickets {
            let f = first[Int(rng.next() % 8)], l = last[Int(rng.next() % 8)]
            let problem = problems[Int(rng.next() % UInt64(problems.count))]
            let day = 1 + Int(rng.next() % 28), hour = Int(rng.next() % 24)
            let created = String(format: "2026-10-%02dT%02d:00:00Z", day, hour)
            let phone = String(format: "+44 20 79%02d %04d", Int(rng.next() % 100), Int(rng.next() % 10000))
            let email = "\(f.lowercased()).\(l.lowercased())\(i % 1000)@example.com"
            let line = """
                {"source":"bench","id":"S\(i)","customer":{"name":"\(f) \(l)","email":"\(email)"},"subject":"\(problem)","status":"resolved","priority":"normal","channel":"\(channels[i % 5])","created_at":"\(created)","messages":[\
                {"role":"customer","text":"Hi, this is \(f) \(l). Since yesterday \(problem). My phone is \(phone), write to \(email) or @\(f.lowercased())_\(i % 97). Card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, from IP 10.0.\(i % 256).\(i % 200)."},\
                {"role":"agent","text":"Thanks \(f), sorry about that. Could you tell us which version you use and send a screenshot?"},\
                {"role":"customer","text":"Version 2.14.3 on Android 15, it still fails with error code E\(1000 + i % 9000). Invoice total was 129.90 EUR."},\
                {"role":"agent","text":"We found the cause and fixed it on our side; please try again and tell us if it works."}],\
                "resolution":{"summary":"Fixed on our side","steps":["Check the version","Apply the fix","Confirm with the customer"]}}

                """
            buffer += line
            if buffer.utf8.count >= 1 << 22 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try handle.write(contentsOf: Data(buffer.utf8)) }
        return tickets
    }
}

extension SyntheticTicketStream {
    /// Writes the same kind of tickets as the flat CSV tables (`tickets.csv`, `customers.csv`,
    /// `messages.csv`, `resolutions.csv`) into `folder`. Messages are written a round at a time
    /// (every ticket's first message, then every second one …), so a ticket's messages are
    /// spread over the whole file, as in a real export sorted by time. Returns the ticket count.
    @discardableResult
    public static func writeFlat(messages: Int, folder: String, seed: UInt64 = 7) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tickets = (messages + 3) / 4
        func table(_ name: String, header: String, rows: (inout String) -> Void) throws {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw TicketImportError.unwritable(path: path) }
            var buffer = header + "\n"
            rows(&buffer)
            try TicketFiles.writing(handle, path: path) { try handle.write(contentsOf: Data(buffer.utf8)) }
        }
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var rng = SplitMix(seed: seed)
        let people = (0..<tickets).map { _ in
            (first[Int(rng.next() % 8)], last[Int(rng.next() % 8)], problems[Int(rng.next() % UInt64(problems.count))])
        }
        let customers = max(1, tickets / 4)
        try table("customers.csv", header: "customer_id,name,email") { out in
            for c in 0..<customers {
                let (f, l, _) = people[c % tickets]
                out += "C\(c),\(f) \(l),\(f.lowercased()).\(l.lowercased())\(c)@example.com\n"
            }
        }
        try table("tickets.csv", header: "id,customer_id,subject,status,priority,channel,created_at") { out in
            for i in 0..<tickets {
                out +=
                    "S\(i),C\(i % customers),\(quoted(people[i].2)),resolved,normal,email,2026-10-\(String(format: "%02d", 1 + i % 28))T09:00:00Z\n"
            }
        }
        try table("resolutions.csv", header: "ticket_id,summary,steps") { out in
            for i in 0..<tickets {
                out += "S\(i),Fixed on our side,Check the version|Apply the fix|Confirm with the customer\n"
            }
        }
        try table("messages.csv", header: "ticket_id,role,at,text") { out in
            for round in 0..<4 {
                for i in 0..<tickets {
                    let (f, l, _) = people[i % customers]  // the ticket's customer
                    let problem = people[i].2
                    let text =
                        round == 0
                        ? "Hi, this is \(f) \(l). Since yesterday \(problem). Call +44 20 7946 \(String(format: "%04d", i % 10000)), card 4111 1111 1111 1111, from IP 10.0.\(i % 256).\(i % 200)."
                        : round == 2
                            ? "Version 2.14.3, still fails with error code E\(1000 + i % 9000)."
                            : "Thanks \(f), we are on it."
                    out +=
                        "S\(i),\(round % 2 == 0 ? "customer" : "agent"),2026-10-01T09:\(String(format: "%02d", round * 10)):00Z,\(quoted(text))\n"
                }
            }
        }
        return tickets
    }
}
