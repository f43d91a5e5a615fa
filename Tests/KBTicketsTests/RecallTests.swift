import Foundation
import KBChunking
import KBEmbedding
import XCTest

@testable import KBTickets

/// Similar-ticket recall and cross-channel link suggestions with the real model on tickets
/// the test writes.
final class RecallTests: XCTestCase {
    func testDifferentWordingFindsTheFixAndLinksStayWithinOneCustomerAcrossChannels() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-recall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func ticket(
            _ id: String, _ email: String, _ channel: String, _ day: Int, _ status: String, _ subject: String,
            _ text: String, fix: String? = nil
        ) -> String {
            let resolution =
                fix.map { #","resolution":{"summary":"\#($0)","steps":["Open Banking","Remove duplicates"]}"# } ?? ""
            return
                #"{"source":"t","id":"\#(id)","customer":{"email":"\#(email)"},"subject":"\#(subject)","status":"\#(status)","channel":"\#(channel)","created_at":"2026-03-\#(String(format: "%02d", day))T10:00:00Z","messages":[{"role":"customer","text":"\#(text)"}]\#(resolution)}"#
        }
        let lines = [
            ticket(
                "A1", "ana@example.com", "email", 1, "resolved", "Bank feed shows every transaction twice",
                "After reconnecting my bank all transactions were imported again as duplicates.",
                fix: "Removed the duplicate imports"),
            ticket(
                "A2", "ana@example.com", "chat", 4, "open", "Duplicates in my bank account feed",
                "Since I reconnected the bank, the feed has each payment two times."),
            ticket(
                "A3", "ana@example.com", "chat", 28, "open", "Duplicated bank transactions again",
                "The bank feed duplicated all transactions after the reconnect."),
            ticket(
                "B1", "bo@example.com", "phone", 2, "resolved", "Cannot upload company logo",
                "The logo upload in settings fails with an error.", fix: "Logo must be a PNG under 1 MB"),
            ticket(
                "B2", "bo@example.com", "phone", 3, "resolved", "Invoice PDF shows wrong currency symbol",
                "My euro invoices print a dollar sign on the PDF.", fix: "Set the currency on the invoice template"),
        ]
        let file = dir.appendingPathComponent("t.jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let store = try TicketStore(path: dir.appendingPathComponent("tickets.sqlite").path)
        _ = try TicketImporter(store: store).importFile(file.path, format: .jsonl)
        let embedder = try MiniLMEmbedder(modelDirectory: ModelLocator.directory(searchingUpFrom: #filePath))
        let tickets = try store.recallTickets()
        XCTAssertEqual(tickets.count, 5)
        let recall = TicketRecall(tickets: tickets, vectors: try embedder.embed(tickets.map(\.problemText)))

        let query = try embedder.embed(["my payments appear double since I linked my bank account once more"])[0]
        let found = recall.similar(to: query, top: 2)
        XCTAssertEqual(found.first?.ticket.reference, "t:A1", "a differently worded problem finds the resolved ticket")
        XCTAssertEqual(found.first?.ticket.resolution, "Removed the duplicate imports")
        XCTAssertTrue(found.allSatisfy(\.ticket.resolved), "only resolved tickets are recalled")
        let threshold = try XCTUnwrap(
            recall.confidenceThreshold(), "three resolved tickets give a same-problem similarity")
        XCTAssertGreaterThanOrEqual(found.first?.similarity ?? 0, threshold, "the same problem is a confident match")
        let unrelated = recall.similar(to: try embedder.embed(["what colour will the moon be tonight"])[0], top: 1)
        XCTAssertLessThan(
            unrelated.first?.similarity ?? 1, threshold, "nothing in the store is the same problem: no similar ticket")
        let bosOnly = recall.similar(to: query, customer: store.pseudonym("BO@example.com"), top: 5)
        XCTAssertEqual(Set(bosOnly.map(\.ticket.reference)), ["t:B1", "t:B2"], "scoped to one customer")

        let links = recall.linkSuggestions()
        XCTAssertEqual(
            links.map { [$0.first.reference, $0.second.reference] }, [["t:A1", "t:A2"]],
            "same customer, other channel, within 14 days; A3 is 27 days later, B1/B2 share a channel")
        XCTAssertEqual(try store.recallTickets().count, 5, "suggesting links writes nothing")
    }
}
