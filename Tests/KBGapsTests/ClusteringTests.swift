import KBIndex
import KBReports
import KBTickets
import XCTest

@testable import KBClustering
@testable import KBGaps

/// Deterministic Gaussian-ish noise for fixtures.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Float {
        let u = Float.random(in: 0.0001..<1, using: &self), v = Float.random(in: 0..<1, using: &self)
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }
}

func unit(_ v: [Float]) -> [Float] {
    let n = sqrt(v.reduce(0) { $0 + $1 * $1 })
    return v.map { $0 / n }
}

/// Six groups of six noisy copies of a random direction, then three random outliers.
func clusterFixture() -> (vectors: [[Float]], groups: [Int]) {
    var rng = SplitMix(state: 42)
    let dim = 24
    var vectors: [[Float]] = [], groups: [Int] = []
    for g in 0..<6 {
        let base = unit((0..<dim).map { _ in rng.gaussian() })
        for _ in 0..<6 {
            vectors.append(unit(base.map { $0 + 0.08 * rng.gaussian() }))
            groups.append(g)
        }
    }
    for o in 0..<3 {
        vectors.append(unit((0..<dim).map { _ in rng.gaussian() }))
        groups.append(100 + o)
    }
    return (vectors, groups)
}

final class ClusteringTests: XCTestCase {
    func testFindsKnownGroupsWithoutBeingToldHowMany() {
        let (vectors, groups) = clusterFixture()
        let c = TopicClusterer().cluster(vectors)
        XCTAssertEqual(c.topicCount, 6)
        XCTAssertEqual(c.minimumTopicSize, 3)
        // Every group maps to exactly one topic, and no two groups share a topic.
        var topicOfGroup: [Int: Int] = [:]
        for (i, g) in groups.enumerated() where g < 100 {
            XCTAssertGreaterThanOrEqual(c.assignments[i], 0, "member \(i) of group \(g) left as outlier")
            if let t = topicOfGroup[g] {
                XCTAssertEqual(c.assignments[i], t)
            } else {
                topicOfGroup[g] = c.assignments[i]
            }
        }
        XCTAssertEqual(Set(topicOfGroup.values).count, 6)
        XCTAssertEqual(Array(c.assignments.suffix(3)), [-1, -1, -1], "random vectors are outliers")
        XCTAssertEqual(c.outlierShare, 3.0 / 39.0, accuracy: 1e-9)
        // Threshold comes from the data: mean + 2 std of all pair similarities.
        XCTAssertEqual(c.similarityThreshold, c.backgroundMean + 2 * c.backgroundStd, accuracy: 1e-9)
        // Central member belongs to its topic.
        for t in 0..<c.topicCount { XCTAssertEqual(c.assignments[c.centralMember[t]], t) }
    }

    func testAverageLinkageMatchesHandComputedMerges() {
        // Points on a circle at angles 0, 10, 20 and 90 degrees: {0,1} merge first (or {1,2}),
        // the triple before the 90-degree point joins.
        let angles: [Float] = [0, 10, 20, 90].map { $0 * .pi / 180 }
        let flat = angles.flatMap { [cos($0), sin($0)] }
        var d = CondensedDistances(vectors: flat, count: 4, dimension: 2)
        XCTAssertEqual(Double(d.at(0, 3)), 1 - cos(Double.pi / 2), accuracy: 1e-6)
        let merges = d.averageLinkage()
        XCTAssertEqual(merges.count, 3)
        let heights = merges.map(\.2).sorted()
        XCTAssertEqual(Double(heights[0]), 1 - cos(10 * Double.pi / 180), accuracy: 1e-5)
        // Third point joins the pair at the average of its distances to both members.
        let expected = ((1 - cos(20 * Double.pi / 180)) + (1 - cos(10 * Double.pi / 180))) / 2
        XCTAssertEqual(Double(heights[1]), expected, accuracy: 1e-5)
        let groups = TopicClusterer.cut(merges: merges, count: 4, maxDistance: 0.1)
        XCTAssertEqual(groups[0], groups[1])
        XCTAssertEqual(groups[1], groups[2])
        XCTAssertNotEqual(groups[2], groups[3])
    }

    func testSmallInputs() {
        XCTAssertEqual(TopicClusterer().cluster([]).topicCount, 0)
        XCTAssertEqual(TopicClusterer().cluster([[1, 0]]).assignments, [-1])
        XCTAssertEqual(ClusteringOptions().minimumTopicSize(count: 10_003), 11)
        XCTAssertEqual(ClusteringOptions().minimumTopicSize(count: 200), 3)
    }
}

final class ReportTests: XCTestCase {
    func testAnalyzerBuildsTopicsOutcomesAndEscapedHTML() throws {
        let (vectors, groups) = clusterFixture()
        let base = TimestampParser.parse("2026-11-02T10:00:00Z")!
        var questions: [Question] = []
        for (i, g) in groups.enumerated() {
            let text = g < 100 ? "group\(g) <b>word\(g)</b> question \(i)" : "stray \(i)"
            questions.append(Question(row: i + 1, text: text, date: base.addingTimeInterval(Double(i % 14) * 86_400)))
        }
        // Group 0 is answered by the KB: it must not become a topic.
        let answers: [AnswerScore?] = groups.map { g in
            AnswerScore(
                score: g == 0 ? 0.9 : 0.1, answered: g == 0, bestArticle: g == 0 ? "a.md" : "near.md", bestTitle: nil)
        }
        let (report, outcomes) = GapsAnalyzer().analyze(
            questions: questions, vectors: vectors, answers: answers,
            source: "fixture", threshold: 0.5)
        XCTAssertEqual(report.answered, 6)
        XCTAssertEqual(report.topics.count, 5)
        XCTAssertEqual(report.outliers, 3)
        XCTAssertEqual(report.topics.map(\.volume), [6, 6, 6, 6, 6])
        XCTAssertEqual(report.topics[0].examples.count, 3)
        XCTAssertEqual(report.topics[0].nearestArticle, "near.md")
        XCTAssertEqual(report.topics[0].trend.counts.reduce(0, +), 6)
        XCTAssertEqual(outcomes[0], .answered(score: 0.9))
        XCTAssertEqual(outcomes.last!.topicColumn, "-1")
        let html = try GapsPage.html(report)
        XCTAssertTrue(html.contains("<header><h1>Knowledge gaps</h1>"), "the page every report shares")
        XCTAssertFalse(html.contains("<b>word"), "question text is escaped")
        XCTAssertTrue(html.contains("&lt;b&gt;word"))
        let decoded = try JSONDecoder.iso.decode(GapsReport.self, from: Data(try GapsRender.json(report).utf8))
        XCTAssertEqual(decoded.topics, report.topics)
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
