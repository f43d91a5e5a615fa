import Foundation
import GRDB
import XCTest

@testable import KBTickets

/// HMAC-SHA256 and SHA-256 through swift-crypto: the RFC 4231 vectors, and the pseudonyms
/// and content hashes the hand-written SHA-256 this replaced produced (values computed with
/// that code before it was deleted), so stores written before keep their customers.
final class DigestTests: XCTestCase {
    private static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// RFC 4231, test cases 1–4, 6 and 7 (5 is a truncated output).
    func testRFC4231Vectors() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                Self.bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array(
                    ("This is a test using a larger than block-size key and a larger than block-size data. "
                        + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
            ),
        ]
        for (n, c) in cases.enumerated() {
            XCTAssertEqual(Digests.hex(Digests.hmacSHA256(key: c.key, message: c.data)), c.mac, "RFC 4231 case #\(n)")
        }
    }

    func testSHA256() {
        XCTAssertEqual(Digests.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Digests.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Values the replaced code gave: a 1000-byte message and a content fingerprint.
        XCTAssertEqual(
            Digests.sha256Hex(String(repeating: "a", count: 1000)),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        XCTAssertEqual(
            Digests.sha256Hex(["resolved", "Card declined", "high", "email", "", "[]"].joined(separator: "\u{1F}")),
            "b60e3b1ce0218d864784f7a24fd1ffe962700f832b96d4c3f010fe3dace33f00")
    }

    /// Pseudonyms as the replaced code computed them, for salts of every length class (empty,
    /// short, one block, longer than a block) and keys with case, spaces and non-ASCII.
    func testPseudonymsMatchTheReplacedCode() {
        let salts: [(name: String, salt: [UInt8], expected: [String: String])] = [
            (
                "test-salt", Array("test-salt".utf8),
                [
                    "ana@example.com": "70e45168293d19bffa2f60f9013ec178",
                    "  ANA@Example.COM\t": "70e45168293d19bffa2f60f9013ec178",
                    "C-1": "86d0a609a2b31e29392350b19b38d0ff",
                    "twitter:115712": "ee6de30e20994cf022fcc267536fa9cb",
                    "zoë@exämple.de": "af2c601262853618641e10686ce94caa",
                ]
            ),
            (
                "bytes 0…31", Array(0..<32),
                [
                    "ana@example.com": "f7831e3410f19cf23c7e0817fb67c7de",
                    "  ANA@Example.COM\t": "f7831e3410f19cf23c7e0817fb67c7de",
                    "C-1": "dd66c864b2af8356725f9a16e9a90ea9",
                    "twitter:115712": "ccfcf38c7d56b99e648ee26ea54661a2",
                    "zoë@exämple.de": "59356742fac038aaafbe14378acd27e5",
                ]
            ),
            (
                "100 × 0xAB", [UInt8](repeating: 0xab, count: 100),
                [
                    "ana@example.com": "5ee5784dcccc28dc10e447065bcbe783",
                    "C-1": "6c74946b5496effddc1b2bd3b75f43d2",
                    "twitter:115712": "908d3bb992721d1cbad3567a76c0f20c",
                    "zoë@exämple.de": "a9ca82b45f8b520e5c9bef9bd13e6739",
                ]
            ),
            (
                "16 × 0xFF", [UInt8](repeating: 0xff, count: 16),
                [
                    "ana@example.com": "08b3b598973618607d535b10394943cf",
                    "C-1": "47730e27e56d71b44acf2301fafcbb3a",
                    "twitter:115712": "c8b58e2eaa1760e2c7b6d170c4d42018",
                    "zoë@exämple.de": "dfb45eba781c4b2161629f05e5c33e04",
                ]
            ),
            ("empty", [], ["ana@example.com": "0724241110184db03bbb692715f8f938"]),
            (
                "64 × 7 (one block)", [UInt8](repeating: 7, count: 64),
                ["ana@example.com": "9410d359fe95a78552427724953615ea"]
            ),
            ("65 × 7", [UInt8](repeating: 7, count: 65), ["ana@example.com": "0f02ace0bce9a01b8a819d4a98c96dd8"]),
        ]
        for s in salts {
            for (key, expected) in s.expected {
                XCTAssertEqual(
                    Digests.pseudonym(salt: s.salt, key: key), expected, "salt \(s.name), key \(key.debugDescription)")
            }
        }
    }

    /// A store written by the replaced code (its SQL dump below, made by `kb tickets import`
    /// of `Self.oldExport` with the key file holding bytes 0…31): the same customers come
    /// The key `kb` passes (from `$KB_PSEUDONYM_SALT`) is the one used, and no key file is made;
    /// without one, the store's own key file is created once and kept (mode 0600).
    func testTheGivenKeyIsUsedElseTheKeyFileBesideTheStore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let given = try TicketStore(
            path: dir.appendingPathComponent("a/t.sqlite").path, key: .given(Array("op-key".utf8)))
        XCTAssertEqual(
            given.pseudonym("Ann@Example.com"), Digests.pseudonym(salt: Array("op-key".utf8), key: "ann@example.com"))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("a/.secrets/pseudonym.key").path))
        let own = try TicketStore(path: dir.appendingPathComponent("b/t.sqlite").path)
        let file = dir.appendingPathComponent("b/.secrets/pseudonym.key").path
        let key = try XCTUnwrap(FileManager.default.contents(atPath: file))
        XCTAssertEqual(key.count, 32)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        XCTAssertEqual(own.pseudonym("x@y.z"), Digests.pseudonym(salt: [UInt8](key), key: "x@y.z"))
        XCTAssertEqual(
            try TicketStore(readingAt: dir.appendingPathComponent("b/t.sqlite").path).pseudonym("x@y.z"),
            own.pseudonym("x@y.z"), "a reader finds the same key")
    }

    /// back under the same pseudonyms, and re-importing the same export changes nothing.
    func testAStoreWrittenByTheReplacedCodeKeepsItsCustomers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kb-digests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent(".secrets"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(0..<32).write(to: dir.appendingPathComponent(".secrets/pseudonym.key"))
        let path = dir.appendingPathComponent("tickets.sqlite").path
        try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: Self.oldStoreDump) }

        let store = try TicketStore(path: path)
        func customer(_ id: String) throws -> String? {
            try store.read {
                try String.fetchOne(
                    $0,
                    sql: """
                        SELECT c.pseudonym FROM ticket t JOIN customer c ON c.id = t.customerId WHERE t.external_id = ?
                        """, arguments: [id])
            }
        }
        XCTAssertEqual(try customer("T-1"), store.pseudonym("ana@example.com"))
        XCTAssertEqual(try customer("T-2"), store.pseudonym("ANA@example.com"))
        XCTAssertEqual(try customer("T-3"), store.pseudonym("C-77"))

        let export = dir.appendingPathComponent("old.jsonl")
        try Self.oldExport.write(to: export, atomically: true, encoding: .utf8)
        let again = try TicketImporter(store: store).importFile(export.path, format: .jsonl)
        XCTAssertEqual(again.unchanged, 3, "the content hashes are the same SHA-256: \(again.problems)")
        XCTAssertEqual(again.inserted + again.updated, 0)

        // A new ticket of the same customer (another spelling of the e-mail) and a changed one
        // are written under the customers already stored.
        let more = dir.appendingPathComponent("more.jsonl")
        try """
        {"source":"demo","id":"T-4","customer":{"email":"Ana@Example.com "},"subject":"Third ticket","status":"open","messages":[{"role":"customer","text":"Hello again"}]}
        {"source":"demo","id":"T-3","customer":{"id":"C-77"},"subject":"Export to CSV drops umlauts","status":"resolved","messages":[{"role":"customer","text":"Still?"}]}
        """.write(to: more, atomically: true, encoding: .utf8)
        let next = try TicketImporter(store: store).importFile(more.path, format: .jsonl)
        XCTAssertEqual([next.inserted, next.updated], [1, 1])
        XCTAssertEqual(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customer") }, 2)
        let ids = try store.read { db in
            try ["T-1", "T-2", "T-3", "T-4"].map {
                try Int64.fetchOne(db, sql: "SELECT customerId FROM ticket WHERE external_id = ?", arguments: [$0])
            }
        }
        XCTAssertEqual(ids, [1, 1, 2, 1])
    }

    static let oldExport = """
        {"source":"demo","id":"T-1","customer":{"id":"C-1","name":"Ana Souza","email":"ana@example.com"},"subject":"Card declined for Ana Souza","status":"resolved","priority":"high","channel":"email","created_at":"2026-10-01T09:12:00Z","first_response_at":"2026-10-01T09:40:00Z","resolved_at":"2026-10-01T13:02:00Z","csat":4,"tags":["billing","cards"],"messages":[{"role":"customer","at":"2026-10-01T09:12:00Z","author":"Ana Souza","text":"Hi, I'm Ana Souza, card 4111 1111 1111 1111 declined, call +44 20 7946 0958 or ana@example.com. Error ERR_PAY_402 on v2.14.3."},{"role":"agent","at":"2026-10-01T09:40:00Z","text":"Thanks Ana, please try another card."}],"resolution":{"summary":"Issuer declined","cause":"issuer","steps":["Ask for another card","Retry"],"article":"payments/card-declined.md"}}
        {"source":"demo","id":"T-2","customer":{"email":"  ANA@Example.COM"},"subject":"Second ticket","status":"open","created_at":"2026-10-02T10:00:00+01:00","messages":[{"role":"customer","text":"Still broken"}]}
        {"source":"demo","id":"T-3","customer":{"id":"C-77","name":"Zoë Müller"},"subject":"Export to CSV drops umlauts","status":"closed","escalated":true,"reopen_count":1,"created_at":"2026-10-03T08:00:00Z","messages":[{"role":"customer","text":"Zoë here: the export turns ä into ?"},{"role":"agent","text":"Fixed in 2.15."}]}

        """

    /// `sqlite3 tickets.sqlite .dump` of the store the replaced code wrote from `oldExport`.
    static let oldStoreDump = #"""
        PRAGMA foreign_keys=OFF;
        BEGIN TRANSACTION;
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES('v1');
        CREATE TABLE IF NOT EXISTS "meta" ("key" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL);
        INSERT INTO meta VALUES('format','supportkb-tickets');
        INSERT INTO meta VALUES('schema_version','1');
        CREATE TABLE IF NOT EXISTS "customer" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "pseudonym" TEXT NOT NULL UNIQUE);
        INSERT INTO customer VALUES(1,'f7831e3410f19cf23c7e0817fb67c7de');
        INSERT INTO customer VALUES(2,'4276d6ada2e21d6e14b2ad446f45920b');
        CREATE TABLE IF NOT EXISTS "ticket" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "source" TEXT NOT NULL, "external_id" TEXT NOT NULL, "customerId" INTEGER REFERENCES "customer"("id") ON DELETE SET NULL, "subject" TEXT, "status" TEXT NOT NULL, "priority" TEXT, "channel" TEXT, "category" TEXT, "tags" TEXT NOT NULL DEFAULT '[]', "created_at" TEXT, "first_response_at" TEXT, "resolved_at" TEXT, "closed_at" TEXT, "csat" INTEGER, "reopen_count" INTEGER NOT NULL DEFAULT 0, "escalated" BOOLEAN NOT NULL DEFAULT 0, "resolved_by" TEXT, "content_hash" TEXT NOT NULL, UNIQUE ("source", "external_id"));
        INSERT INTO ticket VALUES(1,'demo','T-1',1,'Card declined for [NAME]','resolved','high','email',NULL,'["billing","cards"]','2026-10-01T09:12:00Z','2026-10-01T09:40:00Z','2026-10-01T13:02:00Z',NULL,4,0,0,NULL,'a0557d860e494859d927ef7f95fbcb5eeb0790cabc592c8e52ae08b475a41d6f');
        INSERT INTO ticket VALUES(2,'demo','T-2',1,'Second ticket','open',NULL,NULL,NULL,'[]','2026-10-02T09:00:00Z',NULL,NULL,NULL,NULL,0,0,NULL,'d000fd2b9f53e35241e408485a9c5c1cb165fe9062c070cc03a06f889d74b1a3');
        INSERT INTO ticket VALUES(3,'demo','T-3',2,'Export to CSV drops umlauts','closed',NULL,NULL,NULL,'[]','2026-10-03T08:00:00Z',NULL,NULL,NULL,NULL,1,1,NULL,'4a716aa4401f4c9fab1bc94ed1e2457f7b59aab389b41f5cd0ea12245fb55e09');
        CREATE TABLE IF NOT EXISTS "message" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "ticketId" INTEGER NOT NULL REFERENCES "ticket"("id") ON DELETE CASCADE, "seq" INTEGER NOT NULL, "role" TEXT NOT NULL, "channel" TEXT, "at" TEXT, "text" TEXT NOT NULL);
        INSERT INTO message VALUES(1,1,0,'customer',NULL,'2026-10-01T09:12:00Z','Hi, I''m [NAME], card [CARD] declined, call [PHONE] or [EMAIL]. Error ERR_PAY_402 on v2.14.3.');
        INSERT INTO message VALUES(2,1,1,'agent',NULL,'2026-10-01T09:40:00Z','Thanks [NAME], please try another card.');
        INSERT INTO message VALUES(3,2,0,'customer',NULL,NULL,'Still broken');
        INSERT INTO message VALUES(4,3,0,'customer',NULL,NULL,'[NAME] here: the export turns ä into ?');
        INSERT INTO message VALUES(5,3,1,'agent',NULL,NULL,'Fixed in 2.15.');
        CREATE TABLE IF NOT EXISTS "resolution" ("ticketId" INTEGER PRIMARY KEY REFERENCES "ticket"("id") ON DELETE CASCADE, "summary" TEXT, "cause" TEXT, "steps" TEXT NOT NULL DEFAULT '[]', "article" TEXT);
        INSERT INTO resolution VALUES(1,'Issuer declined','issuer','["Ask for another card","Retry"]','payments/card-declined.md');
        CREATE TABLE IF NOT EXISTS "ticket_vector" ("ticketId" INTEGER PRIMARY KEY REFERENCES "ticket"("id") ON DELETE CASCADE, "model_hash" TEXT NOT NULL, "text_hash" TEXT NOT NULL, "vector" BLOB NOT NULL);
        DELETE FROM sqlite_sequence;
        INSERT INTO sqlite_sequence VALUES('customer',2);
        INSERT INTO sqlite_sequence VALUES('ticket',3);
        INSERT INTO sqlite_sequence VALUES('message',5);
        CREATE INDEX "ticket_on_customerId" ON "ticket"("customerId");
        CREATE INDEX "ticket_created" ON "ticket"("created_at");
        CREATE INDEX "message_on_ticketId" ON "message"("ticketId");
        COMMIT;
        """#
}
