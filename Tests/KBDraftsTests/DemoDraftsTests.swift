import Foundation
import KBChunking
import KBEmbedding
import KBMarkdown
import KBTickets
import XCTest
import Yams

@testable import KBDrafts

/// Mining the demo tickets (real SQLite, the real model, no index: only linked articles mark
/// a problem as answered): one problem per draft, and every draft reads like an article.
final class DemoDraftsTests: XCTestCase {
    func testDemoDraftsHoldOneProblemEachAndReadLikeArticles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let demo = root.appendingPathComponent("pipelines/demo")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-demo-drafts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
        _ = try TicketImporter(store: store).importFile(
            demo.appendingPathComponent("tickets.jsonl").path, format: .jsonl)
        let truth = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: demo.appendingPathComponent("ground-truth.json")))
                as? [String: Any])
        func label(_ reference: String) -> String? {
            truth[String(reference.split(separator: ":").last ?? "")] as? String
        }
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(searchingUpFrom: #filePath))
        let drafts = DraftStore(folder: dir.appendingPathComponent("drafts"))
        // Drafts an earlier version wrote: one untouched under a name cut mid-word (it takes
        // the new title's name), one an editor changed (it keeps its name and text; the new
        // version goes beside it).
        func earlier(_ label: String, title: String) -> DraftDocument {
            let refs = truth.filter { ($0.value as? String) == label }.map { "demo:" + $0.key }.sorted()
            return DraftDocument(
                frontMatter: Node.Mapping([
                    (Node("title"), Node(title)), (Node("status"), Node("draft")),
                    (Node("source_tickets"), Node(refs.map { Node($0) })),
                ]), body: "# \(title)\n")
        }
        let cut = "the-app-crashes-every-time-i-try-to-attach-a-photo-of-a-rece",
            editedID = "urgent-duplicates-in-bank-feed"
        _ = try drafts.writeGenerated(
            earlier("android15-receipt-crash", title: "The app crashes every time I try to attach a photo of a rece"),
            id: cut)
        _ = try drafts.writeGenerated(
            earlier("bank-feed-duplicates-reconnect", title: "URGENT duplicates in bank feed"), id: editedID)
        // An untouched earlier draft of a few retry tickets and a one-off: its tickets now sit
        // in the retry draft, so it is superseded and removed.
        let resolvedRefs = Set(try store.resolvedTickets().map(\.reference))
        let retries = truth.filter { ($0.value as? String) == "webhook-retry-flood" }.map { "demo:" + $0.key }.filter(
            resolvedRefs.contains
        ).sorted()
        let oneOff = try XCTUnwrap(truth.first { $0.value is NSNull && resolvedRefs.contains("demo:" + $0.key) }).key
        let stale = DraftDocument(
            frontMatter: Node.Mapping([
                (Node("title"), Node("URGENT Ledgerly retries are DDoSing our endpoint")),
                (Node("status"), Node("draft")),
                (Node("source_tickets"), Node((retries.prefix(4) + ["demo:" + oneOff]).map { Node($0) })),
            ]),
            body: "# old\n")
        _ = try drafts.writeGenerated(stale, id: "urgent-ledgerly-retries-are-ddosing-our-endpoint-after-it")
        var byEditor = try drafts.load(editedID)
        byEditor.body += "Checked with Bank-Ops.\n"
        try drafts.save(byEditor, id: editedID)
        var miner = DraftMiner()
        miner.cachePath = dir.appendingPathComponent("vectors.bin").path
        _ = try miner.run(
            store: store, indexPath: dir.appendingPathComponent("none.sqlite").path, drafts: drafts, embedder: embedder)
        let resolved = try store.resolvedTickets()
        // Every (cause, steps) pair a ticket was resolved with.
        // (As the draft writes them: escaped for Markdown.)
        let fixes = Set(
            resolved.compactMap { t in
                t.resolutionCause.map {
                    MarkdownEscape.inline($0) + "|"
                        + t.resolutionSteps.map(MarkdownEscape.inline).joined(separator: "|")
                }
            })

        XCTAssertFalse(try drafts.ids().contains(cut), "the untouched draft was renamed")
        XCTAssertFalse(
            try drafts.ids().contains("urgent-ledgerly-retries-are-ddosing-our-endpoint-after-it"),
            "the superseded draft was removed")
        XCTAssertTrue(
            try drafts.load(editedID).body.hasSuffix("Checked with Bank-Ops.\n"), "the editor's draft is kept")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: drafts.folder.appendingPathComponent(editedID + ".proposed.md").path)
        )
        var draftsOf: [String: Int] = [:]
        for id in try drafts.ids() where id != editedID {
            let doc = try drafts.load(id)
            let title = try XCTUnwrap(doc["title"])
            let labels = doc.sourceTickets.compactMap(label)
            let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
            let major = try XCTUnwrap(counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
            draftsOf[major, default: 0] += 1
            XCTAssertEqual(counts.filter { $0.value >= 3 }.count, 1, "\(id) mixes problems: \(counts)")
            // Cause and Resolution come from the same sub-problem: one ticket was fixed that way.
            let body = doc.body
            let cause = try XCTUnwrap(section("Cause", of: body)).trimmingCharacters(in: .whitespacesAndNewlines)
            let steps = try XCTUnwrap(section("Resolution", of: body)).split(separator: "\n")
                .compactMap { line in line.firstRange(of: ". ").map { String(line[$0.upperBound...]) } }
            XCTAssertTrue(
                fixes.contains(cause + "|" + steps.joined(separator: "|")),
                "\(id): the Resolution does not answer the Cause \(cause)")
            // An article title, and a file name cut only between words.
            XCTAssertNil(title.range(of: #"(?i)\burgent\b|asap|!|#\d|\[[A-Z_]+\]"#, options: .regularExpression), title)
            XCTAssertTrue(title.first?.isUppercase == true, title)
            let full = Slug.make(title, maxLength: 1_000)
            XCTAssertTrue(id == full || full.hasPrefix(id + "-"), "\(id) is not \(full) cut between words")
            // Symptoms: distinct wordings, no greetings, sign-offs or contact lines.
            let symptoms = try XCTUnwrap(section("Symptoms", of: body)).split(separator: "\n").filter {
                $0.hasPrefix("- ")
            }.map(String.init)
            XCTAssertGreaterThanOrEqual(symptoms.count, 2, id)
            for (k, a) in symptoms.enumerated() {
                XCTAssertNil(
                    a.range(
                        of: #"(?i)^- "(hi|hello|hey|dear|good morning)\b|thanks \[NAME\]|Tel: |\[PHONE\]"#,
                        options: .regularExpression), a)
                for b in symptoms[(k + 1)...] {
                    XCTAssertLessThan(
                        DraftText.jaccard(Set(DraftText.wordsOf(a)), Set(DraftText.wordsOf(b))), 0.5, "\(a) ≈ \(b)")
                }
            }
            // Article tags are topic tags only.
            let tags = Set(doc.frontMatter["tags"]?.sequence?.compactMap(\.string) ?? [])
            XCTAssertTrue(
                tags.isDisjoint(with: ["escalated", "vip", "urgent", "priority", "sla", "billing-hold"]),
                "\(id): \(tags)")
            XCTAssertFalse(tags.isEmpty, id)
        }
        // Every planted problem the KB does not cover has exactly one draft.
        let gaps = [
            "pdf-currency-symbol-locale", "bank-feed-duplicates-reconnect", "android15-receipt-crash",
            "webhook-retry-flood",
            "vat-rounding-difference", "accountant-invite-expired", "stripe-payout-fees-missing", "csv-import-ddmmyyyy",
        ]
        draftsOf["bank-feed-duplicates-reconnect", default: 0] += 1  // the editor's draft
        for g in gaps { XCTAssertEqual(draftsOf[g], 1, "\(g): \(draftsOf[g] ?? 0) drafts") }
        XCTAssertNil(draftsOf["webhook-signature"], "the signature tickets link their article: no draft")

        // An editor's edit survives the next run; with the same tickets nothing new is
        // generated, so nothing is proposed beside it.
        let webhook = try XCTUnwrap(
            drafts.ids().first {
                (try? drafts.load($0))?.sourceTickets.compactMap(label).first == "webhook-retry-flood"
            })
        var edited = try drafts.load(webhook)
        edited.body += "\nEditor's note.\n"
        try drafts.save(edited, id: webhook)
        let csv = try XCTUnwrap(
            drafts.ids().first {
                (try? drafts.load($0))?.sourceTickets.compactMap(label).first == "csv-import-ddmmyyyy"
            })
        try drafts.apply(.start, to: csv, by: "ed")
        let again = try miner.run(store: store, indexPath: "", drafts: drafts, embedder: embedder)
        XCTAssertFalse(
            again.written.contains { if case .proposedBeside = $0 { true } else { false } }, "\(again.written)")
        XCTAssertTrue(try drafts.load(webhook).body.hasSuffix("Editor's note.\n"))
        XCTAssertFalse(try drafts.list().drafts.contains { $0.hasProposal && [webhook, csv].contains($0.id) })

        // Published: the article is in the KB, the draft stays as the record, and its group
        // is never proposed again.
        try drafts.apply(.approve, to: csv, by: "lee")
        let articles = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kb-published-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: articles) }
        let article = try drafts.publish(csv, by: "lee", articles: articles, external: true)
        let third = try miner.run(store: store, indexPath: "", drafts: drafts, embedder: embedder)
        XCTAssertEqual(try drafts.load(csv).status, .published)
        XCTAssertEqual(
            try drafts.ids().filter {
                (try? drafts.load($0))?.sourceTickets.compactMap(label).first == "csv-import-ddmmyyyy"
            }, [csv])
        XCTAssertFalse(third.written.contains { if case .created = $0 { true } else { false } }, "\(third.written)")
        let text = try String(contentsOfFile: article, encoding: .utf8)
        for ref in try drafts.load(csv).sourceTickets {
            XCTAssertFalse(text.contains(ref), "\(ref) in the published article")
        }
        XCTAssertFalse(
            text.contains("review_log") || text.contains("source_tickets") || text.contains("Related tickets"))
    }

    /// The text under `## name` up to the next heading.
    private func section(_ name: String, of body: String) -> String? {
        guard let start = body.range(of: "## \(name)\n") else { return nil }
        let rest = body[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }
}
