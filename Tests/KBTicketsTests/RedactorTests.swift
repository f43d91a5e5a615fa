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
        assertRedacted("see https://app.example.com/reset?token=abc123XYZ and https://bob:hunter2@ftp.example.com/x",
                       "see https://app.example.com/reset?token=[SECRET] and https://[SECRET]@ftp.example.com/x")
        assertRedacted("key sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked", "key [SECRET] leaked")
        assertRedacted("token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "token [SECRET]")
        assertRedacted("@ledgerly_help thanks @jane_doe99!", "[HANDLE] thanks [HANDLE]!")
        assertRedacted("Hi, this is Ana Souza. Luis O'Brien's invoice failed; ana says hi", "Hi, this is [NAME]. [NAME]'s invoice failed; [NAME] says hi")
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
        XCTAssertEqual(redactor.redact("code DE00 1234 5678 9012 3456 78"), "code DE00 1234 5678 9012 3456 78", "fails mod 97")
    }
}
