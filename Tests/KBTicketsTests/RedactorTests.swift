import XCTest

@testable import KBTickets

/// A corpus written for the project: every planted item must go, ordinary text must stay.
final class RedactorTests: XCTestCase {
    let redactor = Redactor(names: ["Ana Souza", "Luis O'Brien"])

    func assertRedacted(_ input: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(redactor.redact(input), expected, file: file, line: line)
    }

    func testEachKindIsReplacedByItsPlaceholder() {
        assertRedacted("Write to ana.souza+billing@example.co.uk, thanks", "Write to [EMAIL], thanks")
        assertRedacted("Call me on +44 20 7946 0958 or (415) 555-0134.", "Call me on [PHONE] or [PHONE].")
        assertRedacted("My number is 020 7946 0958 and 415-555-0199", "My number is [PHONE] and [PHONE]")
        assertRedacted("card 4111 1111 1111 1111 and 5500-0000-0000-0004", "card [CARD] and [CARD]")
        assertRedacted("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [IBAN] please")
        assertRedacted("IBAN: GB82WEST12345698765432.", "IBAN: [IBAN].")
        assertRedacted("from 192.168.1.20 and 2001:db8::8a2e:370:7334", "from [IP] and [IP]")
        assertRedacted(
            "see https://app.example.com/reset?token=abc123XYZ and https://bob:hunter2@ftp.example.com/x",
            "see https://app.example.com/reset?token=[SECRET] and https://[SECRET]@ftp.example.com/x")
        assertRedacted("key sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "key [SECRET] leaked")
        assertRedacted("token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "token [SECRET]")
        assertRedacted("@ledgerly_help thanks @jane_doe99!", "[HANDLE] thanks [HANDLE]!")
        assertRedacted(
            "Hi, this is Ana Souza. Luis O'Brien's invoice failed; ana says hi",
            "Hi, this is [NAME]. [NAME]'s invoice failed; [NAME] says hi")
    }

    func testOrdinaryTextIsKept() {
        for text in [
            "Version v2.14.3 fails with ERR_PAY_402 and HTTP 502 since 2026-11-20.",
            "Invoice INV-2026-0042 for $49.00 (€12,50 VAT) was due 11/20/2026 at 10:30:00.",
            "We have 1,250,000 transactions and 3 accounts; order #123456 shipped.",
            "The docs at https://help.example.com/articles/42 explain it.",
            "Build 20261120 and ticket 1234567 are fine; call at 9 or 10.",
        ] {
            XCTAssertEqual(redactor.redact(text), text)
        }
    }

    func testLuhnAndIBANChecksRejectLookalikes() {
        XCTAssertEqual(redactor.redact("ref 4111 1111 1111 1112"), "ref 4111 1111 1111 1112", "fails Luhn: not a card")
        XCTAssertEqual(
            redactor.redact("code DE00 1234 5678 9012 3456 78"), "code DE00 1234 5678 9012 3456 78", "fails mod 97")
    }

    // MARK: issue 16 item 5

    func testFormsLeftUnchangedBeforeAreRedacted() {
        let r = Redactor()
        let cases: [(String, String)] = [
            ("card (4111111111111111) ok", "card ([CARD]) ok"),
            ("card:4012888888881881 ok", "card:[CARD] ok"),
            ("number 4242.4242.4242.4242 ok", "number [CARD] ok"),
            ("to (DE89 3704 0044 0532 0130 00) now", "to ([IBAN]) now"),
            ("iban DE89-3704-0044-0532-0130-00 now", "iban [IBAN] now"),
            ("from 198.51.100.7/24 on", "from [IP] on"),
            ("server [2001:db8::2]:443 down", "server [IP] down"),
            ("link fe80::1%eth0 up", "link [IP] up"),
            ("call tel:+14155550134 now", "call tel:[PHONE] now"),
            ("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY leaked", "key [SECRET] leaked"),
            ("ring 555-3366 ext. 12 today", "ring [PHONE] today"),
            ("ping @łukasz462 please", "ping [HANDLE] please"),
            ("Hi, my name is Ryan Smith of Portland.", "Hi, my name is [NAME] of Portland."),
            ("For billing, contact: Carmichael Miller", "For billing, contact: [NAME]"),
            ("It broke again.\n\nThanks,\nJane Doe", "It broke again.\n\nThanks,\n[NAME]"),
            ("I'm Priya and Omar Haddad called.", "I'm [NAME] and [NAME] called."),
        ]
        for (input, expected) in cases { XCTAssertEqual(r.redact(input), expected) }
    }

    func testOrdinaryTextSurvivesTheNameDetector() {
        let r = Redactor()
        for text in [
            "Ledgerly Pro 3.2.1 crashes with ERR_SYNC_409 on ticket T-48213.",
            "Grant Access in Settings, then Apple Pay and Google Drive work.",
            "my name is on the invoice; can you Reset Password for the Team Plan?",
            "Version v2.14.3 fails since 2026-11-20 at 10:30:00; order #123456.",
            "Thanks, that fixed it.", "I'm Unable to export; this is Urgent.",
        ] {
            XCTAssertEqual(r.redact(text), text)
        }
    }

    func testPlantedSetRecall() {
        let result = RedactionEval.run(seed: 16, draws: 50)
        XCTAssertGreaterThanOrEqual(result.recall, 0.99, "\(result)")
        XCTAssertEqual(result.ordinaryKept, result.ordinaryTotal, "\(result)")
        XCTAssertEqual(result.byKind.count, 16, "every kind of issue 16 is planted")
    }
}
