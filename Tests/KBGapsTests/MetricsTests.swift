import XCTest

@testable import KBGaps

final class MetricsTests: XCTestCase {
    func testPerfectAndRelabelledClusterings() {
        let gold = [0, 0, 1, 1, 2, 2]
        let renamed = ["b", "b", "c", "c", "a", "a"]
        XCTAssertEqual(GapMetrics.nmi(gold, renamed), 1, accuracy: 1e-12)
        XCTAssertEqual(GapMetrics.ari(gold, renamed), 1, accuracy: 1e-12)
        XCTAssertEqual(GapMetrics.clusterAccuracy(gold, renamed), 1, accuracy: 1e-12)
    }

    func testHandComputedValues() {
        // gold {0,0,0,1,1,1}, predicted {0,0,1,1,2,2}: contingency [[2,1,0],[0,1,2]].
        let gold = [0, 0, 0, 1, 1, 1], pred = [0, 0, 1, 1, 2, 2]
        // Σ C(cell,2) = 2; rows 2·C(3,2) = 6; columns 3·C(2,2) = 3; expected 6·3/15 = 1.2;
        // max (6 + 3)/2 = 4.5 → (2 − 1.2)/(4.5 − 1.2) = 0.2424… (scikit-learn agrees).
        XCTAssertEqual(GapMetrics.ari(gold, pred), 0.8 / 3.3, accuracy: 1e-12)
        XCTAssertEqual(GapMetrics.nmi(gold, pred), 0.5158037429793888, accuracy: 1e-9)
        // MI = 4·(1/3)·ln 2 ... computed: Σ p·ln(p/(pr·pc)).
        let mi = 2 * (2.0 / 6 * log((2.0 / 6) / (0.5 * 2.0 / 6))) + 2 * (1.0 / 6 * log((1.0 / 6) / (0.5 * 2.0 / 6)))
        let hGold = log(2.0), hPred = log(3.0)
        XCTAssertEqual(GapMetrics.nmi(gold, pred), mi / ((hGold + hPred) / 2), accuracy: 1e-12)
        // Best matching: cluster 0 → class 0 (2), cluster 2 → class 1 (2): 4/6.
        XCTAssertEqual(GapMetrics.clusterAccuracy(gold, pred), 4.0 / 6, accuracy: 1e-12)
    }

    func testHungarianFindsTheOptimum() {
        let cost: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        let m = GapMetrics.hungarian(cost)
        XCTAssertEqual(zip(0..<3, m).reduce(0) { $0 + cost[$1.0][$1.1] }, 5)  // 1 + 2 + 2
        XCTAssertEqual(Set(m).count, 3)
    }

    func testAUROCAndCatchRate() {
        XCTAssertEqual(GapMetrics.auroc(scores: [0.9, 0.8, 0.3, 0.1], positive: [true, true, false, false]), 1)
        // One inversion of four positive–negative pairs, one tie: (4 − 1 − 0.5)/... with 2×2 pairs.
        XCTAssertEqual(GapMetrics.auroc(scores: [0.9, 0.4, 0.5, 0.4], positive: [true, true, false, false]), 0.625)
        let scores = (1...20).map(Double.init) + [0.5, 1.5, 25]
        let positive = [Bool](repeating: true, count: 20) + [false, false, false]
        let (share, threshold) = GapMetrics.caught(scores: scores, positive: positive, passRate: 0.95)
        XCTAssertEqual(threshold, 2)  // 19 of 20 answered pass at ≥ 2
        XCTAssertEqual(share, 2.0 / 3, accuracy: 1e-12)
    }
}
