import Foundation
import KBChunking
import KBEmbedding
import KBPipeline
import KBServe
import Logging

/// A small project written by the tests and run through the real nightly pipeline once (real
/// cmark-gfm, SQLite, model and mined drafts); each test works on its own copy.
enum ServeFixture {
    static let xssTicket = "<script>alert('ticket')</script> the CSV import swaps day and month in every date"
    static let recurring = [
        (
            "T-101", "CSV import swaps day and month",
            "I imported invoices from a CSV and every date has day and month swapped, 03/04 became April 3."
        ),
        (
            "T-102", "Dates swapped after CSV import",
            "After importing my CSV file all the invoice dates show the month and day swapped around."
        ),
        ("T-103", "CSV import mixes up day and month", xssTicket),
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
    ]

    static var repository: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var model: String {
        ProcessInfo.processInfo.environment["KB_MODEL_DIR"]
            ?? repository.appendingPathComponent(".models/all-MiniLM-L6-v2").path
    }

    static let embedder: MiniLMEmbedder = {
        do { return try MiniLMEmbedder(modelDirectory: ModelLocator.directory(explicit: model)) } catch {
            fatalError("model: \(error)")
        }
    }()

    /// The project built once.
    static let built = Builder()

    actor Builder {
        private var root: URL?
        func get() async throws -> URL {
            if let root { return root }
            let r = try await ServeFixture.build()
            root = r
            return r
        }
    }

    /// A fresh copy of the built project.
    static func copy() async throws -> URL {
        let source = try await built.get()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("kb-serve-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    static func build() async throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kb-serve-fixture-\(UUID().uuidString)")
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        func article(_ path: String, _ title: String, _ category: String, external: Bool = true, _ body: String) throws
        {
            try write(
                "kb/articles/" + path,
                "---\ntitle: \(title)\ncategory: \(category)\nexternal: \(external)\n---\n# \(title)\n\n\(body)\n")
        }
        try write(
            "kb.yml",
            "articles: kb/articles\nindex: kb/index.sqlite\ntickets_db: kb/tickets.sqlite\ndrafts: kb/drafts\nreports: reports\nmodel: \(model)\n"
        )
        try article(
            "payments/card-declined.md", "Card payment declined", "Payments",
            "## Resolution\n\nAsk the customer to contact their bank or use another card when checkout fails with ERR_PAY_402."
        )
        try article(
            "account/reset-2fa.md", "Reset two-factor authentication", "Account",
            "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again."
        )
        try article(
            "account/invite-users.md", "Invite a user to your account", "Account",
            "## Steps\n\nOpen Settings, then Users, and choose Invite. The colleague gets an e-mail with a link.")
        try article(
            "internal/refund-limits.md", "Refund approval limits", "Internal", external: false,
            "Agents may refund up to 500 EUR without approval when a card payment is refunded.")
        try article(
            "account/markdown-xss.md", "Display name rules", "Account",
            "## Names\n\nA display name may hold letters and digits.\n\n<script>alert('article')</script>\n\n<img src=x onerror=alert(2)>\n\n[click me](javascript:alert(3))\n\n<iframe src=\"https://example.com\"></iframe>"
        )
        var lines: [String] = []
        for (i, t) in recurring.enumerated() {
            lines.append(
                ticket(
                    t, day: 10 + i, cause: "The CSV importer reads dates as MM/DD when the file uses DD/MM.",
                    steps: ["Open Import settings.", "Set the date format to DD/MM/YYYY.", "Import the file again."]))
        }
        for (i, t) in others.enumerated() {
            lines.append(ticket(t, day: 12 + i, cause: nil, steps: ["Answered the question."]))
        }
        try write("pipelines/tickets.jsonl", lines.joined(separator: "\n") + "\n")
        try write(
            "pipelines/nightly.yml",
            """
            name: serve-test
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
        let project = try Project.discover(explicit: root.path, environment: [:], cwd: root.path)
        let file = try PipelineFile.load(
            path: root.appendingPathComponent("pipelines/nightly.yml").path, project: project)
        let record = await PipelineRunner(file: file).run(
            work: NightlyStages(file: file, model: model), options: RunOptions(),
            log: RunLog(format: .text, quiet: true))
        if let failed = record.stages.first(where: { $0.status == .failed }) {
            throw NSError(
                domain: "fixture", code: 1,
                userInfo: [NSLocalizedDescriptionKey: "\(failed.stage): \(failed.error ?? "")"])
        }
        // A hand-written draft with hostile Markdown, and a proposal waiting beside it.
        let draft = """
            ---
            title: Hostile draft
            category: Invoices
            status: draft
            priority: high
            source_tickets:
            - demo:T-103
            flags:
            - needs a screenshot
            ---
            # Hostile draft

            Fix the dates.

            <script>alert('draft')</script>

            """
        try write("kb/drafts/hostile-draft.md", draft)
        try write(
            "kb/drafts/hostile-draft.proposed.md",
            draft.replacingOccurrences(
                of: "Fix the dates.", with: "Set the date format to DD/MM/YYYY, then import again."))
        return root
    }

    static func ticket(_ t: (String, String, String), day: Int, cause: String?, steps: [String]) -> String {
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

    /// The app's configuration for a project copy.
    static func configuration(_ root: URL, host: String = "127.0.0.1", authFile: String? = nil) -> ServeConfiguration {
        ServeConfiguration(
            host: host, port: 8080, projectRoot: root.path,
            articles: root.appendingPathComponent("kb/articles").path,
            index: root.appendingPathComponent("kb/index.sqlite").path,
            tickets: root.appendingPathComponent("kb/tickets.sqlite").path,
            drafts: root.appendingPathComponent("kb/drafts").path,
            reports: root.appendingPathComponent("reports").path,
            modelDirectory: model, authFile: authFile, localEditor: "local-editor")
    }

    static func server(_ root: URL, authFile: String? = nil) throws -> KBServer {
        try KBServer(
            configuration: configuration(root, authFile: authFile), embedder: embedder, logger: Logger(label: "test"))
    }
}
