import Foundation
import XCTest

@testable import KBDrafts
@testable import KBTickets

/// The words of a draft (title, Symptoms, tags, file name) and the one-problem-per-group
/// rules, on hand-made tickets and vectors (no model).
final class DraftTextTests: XCTestCase {
    private func ticket(
        _ id: Int64, subject: String, question: String = "", tags: [String] = [],
        cause: String? = nil, steps: [String] = []
    ) -> ResolvedTicket {
        ResolvedTicket(
            id: id, reference: "t:\(id)", subject: subject, question: question, category: "Integrations", tags: tags,
            priority: nil, escalated: false, csat: nil, createdAt: nil, resolutionSummary: nil,
            resolutionCause: cause, resolutionSteps: steps, linkedArticle: nil)
    }

    func testSlugsEndOnAWholeWord() {
        let title = "The app crashes every time I try to attach a photo of a receipt on Android"
        let slug = Slug.make(title)
        XCTAssertLessThanOrEqual(slug.count, 60)
        XCTAssertEqual(slug, "the-app-crashes-every-time-i-try-to-attach-a-photo-of-a")
        let words = Set(Slug.make(title, maxLength: 1_000).split(separator: "-"))
        for w in slug.split(separator: "-") { XCTAssertTrue(words.contains(w), "\(w) is cut mid-word") }
        XCTAssertEqual(Slug.make("Tax summary doesn't match invoices"), "tax-summary-doesnt-match-invoices")
        XCTAssertEqual(Slug.make("Bank feeds"), "bank-feeds")
    }

    func testTitleIsAnArticleTitleNotARawSubject() {
        let subjects = [
            "URGENT duplicates in bank feed", "URGENT duplicates in bank feed!!!", "Re: bank feed doubled everything",
            "Duplicate transactions after reconnecting bank", "Duplicate transactions after reconnecting bank",
            "Duplicate transactions after reconnecting bank", "Transactions imported twice - [NAME] Bank #4411",
        ]
        let tickets = subjects.enumerated().map { ticket(Int64($0.offset), subject: $0.element) }
        let title = DraftText.title(for: tickets, byCentrality: Array(tickets.indices))
        XCTAssertEqual(title, "Duplicate transactions after reconnecting bank")
        XCTAssertEqual(DraftText.cleanSubject("URGENT duplicates in bank feed!!!"), "duplicates in bank feed")
        XCTAssertEqual(
            DraftText.sentenceCase(DraftText.howTo("How do I stop Webhook retries?")), "How to stop Webhook retries")
        XCTAssertEqual(DraftText.sentenceCase("Wrong Currency Sign On PDF"), "Wrong currency sign on PDF")
        // Even when every subject shouts, the title does not.
        let loud = (0..<4).map {
            ticket(Int64($0), subject: "URGENT: webhook retries DDoS our endpoint (ticket #\(900 + $0))")
        }
        let t = DraftText.title(for: loud, byCentrality: Array(loud.indices))
        XCTAssertFalse(t.uppercased().contains("URGENT") || t.contains("#") || t.contains("900"), t)
        XCTAssertEqual(t, "Webhook retries DDoS your endpoint")
        // A version that differs from ticket to ticket is no part of the title.
        let crash = [
            "Ledgerly 3.8.0 crashes on Android 15", "Ledgerly 3.8.1 crashes on Android 15",
            "Ledgerly 3.8.0 crashes on Android 15",
        ]
        .enumerated().map { ticket(Int64($0.offset), subject: $0.element) }
        XCTAssertEqual(
            DraftText.title(for: crash, byCentrality: Array(crash.indices)), "Ledgerly crashes on Android 15")
    }

    func testSymptomsAreDistinctWordingsWithoutGreetingsOrSignOffs() {
        let questions = [
            "Hi there,\n\nWe had an outage and now the webhook queue is flooding us.\n\nThanks,\n[NAME]\nTel: [PHONE]",
            "Good morning,\n\nWe had an outage and now the webhook queue is flooding us!\n\nRegards\n[NAME]",
            "Hello,\n\nWe had an outage and now the webhook queue is flooding us.\n\nthx\n[NAME]",
            "[HANDLE] how do I disable retries for webhooks? we're getting flooded",
            "[Call transcript] Caller [NAME] (Fox Ltd): Webhook deliveries keep retrying far too aggressively after errors.",
        ]
        let tickets = questions.enumerated().map {
            ticket(Int64($0.offset), subject: "Webhook retries", question: $0.element)
        }
        let symptoms = DraftText.symptoms(for: tickets, byCentrality: Array(tickets.indices))
        XCTAssertEqual(
            symptoms,
            [
                "We had an outage and now the webhook queue is flooding us.",
                "how do I disable retries for webhooks?",
                "Webhook deliveries keep retrying far too aggressively after errors.",
            ])
        for s in symptoms {
            XCTAssertNil(
                s.range(
                    of: #"(?i)^(hi|hello|good morning|thanks|dear)\b|\[NAME\]|\[PHONE\]|Tel:"#,
                    options: .regularExpression), s)
        }
    }

    func testWorkflowTagsNeverBecomeArticleTags() {
        let group = (0..<6).map {
            ticket(
                Int64($0), subject: "s",
                tags: ["webhooks", "retries", "api"] + ($0 < 4 ? ["escalated", "vip", "sla"] : []))
        }
        XCTAssertEqual(
            DraftText.articleTags(for: group, spread: []), ["api", "retries", "webhooks"],
            "listed workflow tags stay internal")
        // A tag on many unrelated groups is a workflow tag even when it is not listed.
        let groups = ["bank-feed", "pdf", "vat", "crash"].map { topic in
            (0..<4).map { ticket(Int64($0), subject: "s", tags: [topic, "needs-callback"]) }
        }
        let spread = DraftText.spreadTags(groups)
        XCTAssertEqual(spread, ["needs-callback"])
        XCTAssertEqual(DraftText.articleTags(for: groups[0], spread: spread), ["bank-feed"])
    }

    /// Two problems in one group are split by how they were fixed (a stray ticket fixed
    /// differently is left out); two groups fixed the same way, worded alike, become one.
    func testGroupsSplitByResolutionAndMergeWhenTheyAgree() {
        func unit(_ v: [Float]) -> [Float] {
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / n }
        }
        func axis(_ k: Int, _ noise: Float = 0) -> [Float] {
            var v = [Float](repeating: 0.01, count: 8); v[k] = 1; v[(k + 1) % 8] += noise; return unit(v)
        }
        let fixes = [
            "retry": axis(0), "signature": axis(1), "other": axis(2), "x3": axis(3), "x4": axis(4), "x5": axis(5),
            "x6": axis(6),
        ]
        let retry = "Retry scheduler ignored backoff", signature = "Body parsed before verification"
        var tickets: [ResolvedTicket] = [], vectors: [[Float]] = []
        for i in 0..<5 {
            tickets.append(ticket(Int64(i), subject: "webhook retries", cause: retry, steps: ["Pause deliveries"]));
            vectors.append(axis(7, 0.2))
        }
        for i in 5..<9 {
            tickets.append(
                ticket(Int64(i), subject: "webhook signature", cause: signature, steps: ["Verify the raw body"]));
            vectors.append(axis(7, 0.3))
        }
        tickets.append(ticket(9, subject: "webhook logo", cause: "other", steps: [])); vectors.append(axis(7, 0.25))
        let mixed = GroupRefiner.group(tickets, vectors: vectors)
        // A background of unrelated fixes, so the cut means "fixed the same way".
        let others = (3...6).map { k in ticket(Int64(100 + k), subject: "x", cause: "x\(k)") }
        let refiner = GroupRefiner(minTickets: 3, problemCut: 0.5)
        let text: (String) -> [Float] = { t in
            t.hasPrefix("Retry") ? fixes["retry"]! : t.hasPrefix("Body") ? fixes["signature"]! : fixes[t] ?? axis(2)
        }
        let result = refiner.refine([mixed], all: tickets + others) { $0.map(text) }
        XCTAssertEqual(result.groups.map { $0.tickets.map(\.id) }, [[0, 1, 2, 3, 4], [5, 6, 7, 8]])
        XCTAssertEqual(result.leftOut, 1)
        // The retry problem in two groups (worded a little apart): merged into one.
        let a = GroupRefiner.group(Array(tickets[0..<3]), vectors: Array(vectors[0..<3]))
        var shifted = Array(vectors[3..<5]); shifted.append(axis(7, 0.4))
        let b = GroupRefiner.group(
            Array(tickets[3..<5]) + [ticket(20, subject: "retry storm", cause: retry)], vectors: shifted)
        let merged = refiner.refine([a, b], all: tickets + others) { $0.map(text) }
        XCTAssertEqual(merged.groups.count, 1)
        XCTAssertEqual(merged.merged, 1)
        // Where other groups share a fix, a group of tickets each fixed its own way is a bag
        // of one-offs: dropped. Alone (nothing shows the resolutions are informative) it is kept.
        let bag = GroupRefiner.group(
            (3...6).map { k in ticket(Int64(200 + k), subject: "one-off \(k)", cause: "x\(k)") },
            vectors: (0..<4).map { _ in axis(7, 0.1) })
        let apart = GroupRefiner(minTickets: 3, problemCut: 0.999)
        let withOthers = apart.refine(
            [a, GroupRefiner.group(Array(tickets[5..<9]), vectors: Array(vectors[5..<9])), bag],
            all: tickets + others
        ) { $0.map(text) }
        XCTAssertEqual(withOthers.dropped, 1)
        XCTAssertFalse(withOthers.groups.contains { $0.tickets.contains { $0.id >= 200 } })
        XCTAssertEqual(apart.refine([bag], all: tickets + others) { $0.map(text) }.groups.count, 1)
    }
}
