import Foundation

/// A small SupportKB project written by the tests: `kb.yml`, a few articles (one internal,
/// one include), a ticket export with one recurring problem the KB does not answer, and a
/// pipeline file.
struct FixtureProject {
    let root: URL

    static let recurring = [
        (
            "T-101", "CSV import swaps day and month",
            "I imported invoices from a CSV and every date has day and month swapped, 03/04 became April 3."
        ),
        (
            "T-102", "Dates swapped after CSV import",
            "After importing my CSV file all the invoice dates show the month and day swapped around."
        ),
        (
            "T-103", "CSV import mixes up day and month",
            "The CSV import reads 05/06/2026 as May 6 instead of 5 June, day and month are swapped."
        ),
        (
            "T-104", "Imported CSV dates have day and month reversed",
            "Importing a CSV of invoices reversed day and month in every date."
        ),
        (
            "T-105", "CSV upload swaps day/month in dates",
            "When I upload invoices by CSV the dates come in with the day and month swapped."
        ),
    ]
    static let others = [
        ("T-201", "Card declined at checkout", "My customer's card was declined with error ERR_PAY_402."),
        ("T-202", "Lost phone, cannot sign in", "I lost my phone and cannot get the two-factor code."),
        ("T-203", "How do I add a user", "How can I invite my colleague to the account?"),
        ("T-204", "Change company logo", "Where do I upload a new logo for invoices?"),
        ("T-205", "Cancel subscription", "I want to cancel my plan at the end of the month."),
    ]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kb-cli-\(UUID().uuidString)")
        try write(
            "kb.yml",
            """
            articles: kb/articles
            index: kb/index.sqlite
            tickets_db: kb/tickets.sqlite
            drafts: kb/drafts
            reports: reports
            model: \(CLI.model)

            """)
        try article(
            "payments/card-declined.md", title: "Card payment declined", category: "Payments",
            body:
                "## Resolution\n\nAsk the customer to contact their bank or use another card when checkout fails with ERR_PAY_402.\n\n[!INCLUDE [contact](../includes/contact.md)]"
        )
        try article(
            "account/reset-2fa.md", title: "Reset two-factor authentication", category: "Account",
            body:
                "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again."
        )
        try article(
            "account/invite-users.md", title: "Invite a user to your account", category: "Account",
            body: "## Steps\n\nOpen Settings, then Users, and choose Invite. The colleague gets an e-mail with a link.")
        try article(
            "internal/refund-limits.md", title: "Refund approval limits", category: "Internal", external: false,
            body: "Agents may refund up to 500 EUR without approval.")
        try write("kb/articles/includes/contact.md", "Still stuck? Write to the support team from the Help menu.\n")
        var lines: [String] = []
        for (i, t) in Self.recurring.enumerated() {
            lines.append(
                ticket(
                    t, day: 10 + i, cause: "The CSV importer reads dates as MM/DD when the file uses DD/MM.",
                    steps: ["Open Import settings.", "Set the date format to DD/MM/YYYY.", "Import the file again."]))
        }
        for (i, t) in Self.others.enumerated() {
            lines.append(ticket(t, day: 12 + i, cause: nil, steps: ["Answered the question."]))
        }
        try write("pipelines/tickets.jsonl", lines.joined(separator: "\n") + "\n")
        try write(
            "pipelines/nightly.yml",
            """
            name: cli-test
            version: 1
            stages: [parse, chunk, embed, index, import_tickets, drafts, gaps, review_queue, reports]
            tickets:
              - path: pipelines/tickets.jsonl
                format: jsonl
            report:
              window: 30d
              as_of: 2026-11-30
            thresholds:
              min_tickets: 3

            """)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func article(_ path: String, title: String, category: String, external: Bool = true, body: String) throws {
        try write(
            "kb/articles/" + path,
            "---\ntitle: \(title)\ncategory: \(category)\nexternal: \(external)\n---\n# \(title)\n\n\(body)\n")
    }

    private func ticket(_ t: (String, String, String), day: Int, cause: String?, steps: [String]) -> String {
        let object: [String: Any] = [
            "source": "demo", "id": t.0, "subject": t.1, "status": "resolved", "priority": "normal", "channel": "email",
            "category": "Invoices", "created_at": "2026-11-\(day)T09:00:00Z",
            "first_response_at": "2026-11-\(day)T10:00:00Z",
            "resolved_at": "2026-11-\(day)T12:00:00Z", "resolved_by": "agent",
            "customer": ["name": "Jo Tester", "email": "jo@example.com"],
            "messages": [["role": "customer", "text": t.2], ["role": "agent", "text": "Thanks, we fixed it."]],
            "resolution": [
                "summary": steps.joined(separator: " "), "cause": cause.map { $0 as Any } ?? NSNull(), "steps": steps,
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
