import Foundation
import XCTest

@testable import KBMarkdown

/// cmark-gfm keeps global state (extension registration, a table of special characters
/// each parse edits); parses on many threads must still give every document its tables,
/// strikethrough and autolinks. Without the serialisation in `CommonMarkConverter`, a
/// parallel parse of the shared help center lost up to 5 % of its tokens between runs.
final class ConcurrencyTests: XCTestCase {
    func testParallelParsesEqualSerialParses() {
        let docs = (0..<64).map { i in
            """
            # Article \(i)

            | Setting | Value |
            | --- | --- |
            | retries | \(i) |
            | mode | ~~old~~ new |

            See https://example.com/\(i) and ~~this~~ that.

            - [x] done \(i)
            - [ ] open
            """
        }
        let serial = docs.map { CommonMarkConverter.parse($0) }
        XCTAssertTrue(serial.allSatisfy { "\($0)".contains("table") }, "tables parsed")
        for _ in 0..<20 {
            let parallel = docs.parallelMap { CommonMarkConverter.parse($0) }
            for (a, b) in zip(serial, parallel) { XCTAssertEqual("\(a)", "\(b)") }
        }
    }
}
