import Foundation
import KBClustering
import KBIndex

/// Clustering and ranking metrics for `kb eval gaps`. Labels are any hashable values; an
/// outlier label (e.g. -1) is treated as one more cluster, the strict convention.
public enum GapMetrics {
    /// Contingency table of two labelings (rows: `a` classes, columns: `b` classes).
    static func contingency<A: Hashable, B: Hashable>(_ a: [A], _ b: [B]) -> [[Double]] {
        var ai = [A: Int](), bi = [B: Int]()
        for x in a where ai[x] == nil { ai[x] = ai.count }
        for x in b where bi[x] == nil { bi[x] = bi.count }
        var table = [[Double]](repeating: [Double](repeating: 0, count: bi.count), count: ai.count)
        for (x, y) in zip(a, b) { table[ai[x]!][bi[y]!] += 1 }
        return table
    }

    /// Normalised mutual information with the arithmetic-mean normalisation (scikit-learn's default).
    public static func nmi<A: Hashable, B: Hashable>(_ gold: [A], _ predicted: [B]) -> Double {
        let t = contingency(gold, predicted)
        let n = Double(gold.count)
        guard n > 0 else { return 0 }
        let rows = t.map { $0.reduce(0, +) }
        let cols = (0..<(t.first?.count ?? 0)).map { j in t.reduce(0) { $0 + $1[j] } }
        func entropy(_ c: [Double]) -> Double { -c.filter { $0 > 0 }.reduce(0) { $0 + $1 / n * log($1 / n) } }
        var mi = 0.0
        for i in t.indices {
            for j in t[i].indices where t[i][j] > 0 {
                mi += t[i][j] / n * log(t[i][j] * n / (rows[i] * cols[j]))
            }
        }
        let hg = entropy(rows), hp = entropy(cols)
        if hg == 0 && hp == 0 { return 1 }
        let denominator = (hg + hp) / 2
        return denominator > 0 ? max(0, mi / denominator) : 0
    }

    /// Adjusted Rand index (Hubert & Arabie).
    public static func ari<A: Hashable, B: Hashable>(_ gold: [A], _ predicted: [B]) -> Double {
        let t = contingency(gold, predicted)
        func c2(_ x: Double) -> Double { x * (x - 1) / 2 }
        let n = Double(gold.count)
        let sumCells = t.reduce(0) { $0 + $1.reduce(0) { $0 + c2($1) } }
        let sumRows = t.reduce(0) { $0 + c2($1.reduce(0, +)) }
        let sumCols = (0..<(t.first?.count ?? 0)).reduce(0.0) { acc, j in acc + c2(t.reduce(0) { $0 + $1[j] }) }
        let expected = sumRows * sumCols / c2(n)
        let maximum = (sumRows + sumCols) / 2
        if maximum == expected { return 1 }
        return (sumCells - expected) / (maximum - expected)
    }

    /// Cluster accuracy: share of items on the best one-to-one matching of predicted clusters to
    /// gold classes (Hungarian algorithm); unmatched clusters count as wrong.
    public static func clusterAccuracy<A: Hashable, B: Hashable>(_ gold: [A], _ predicted: [B]) -> Double {
        guard !gold.isEmpty else { return 0 }
        let t = contingency(predicted, gold)
        let size = max(t.count, t.first?.count ?? 0)
        var cost = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        for i in t.indices { for j in t[i].indices { cost[i][j] = -t[i][j] } }
        let match = hungarian(cost)
        var total = 0.0
        for (i, j) in match.enumerated() where i < t.count && j < t[i].count { total += t[i][j] }
        return total / Double(gold.count)
    }

    /// Minimum-cost perfect matching on a square matrix; returns the column of every row
    /// (Kuhn–Munkres with potentials, O(n³)).
    public static func hungarian(_ cost: [[Double]]) -> [Int] {
        let n = cost.count
        guard n > 0 else { return [] }
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var p = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...n where !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...n {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var rowToCol = [Int](repeating: 0, count: n)
        for j in 1...n where p[j] > 0 { rowToCol[p[j] - 1] = j - 1 }
        return rowToCol
    }

    /// Area under the ROC curve of `scores` for `positive` labels (Mann–Whitney, ties count ½).
    public static func auroc(scores: [Double], positive: [Bool]) -> Double {
        AnswerCalibration.auroc(scores: scores, positive: positive)
    }

    /// Share of negatives (gaps) scoring strictly below the threshold that lets `passRate` of the
    /// positives (answered questions) through, and that threshold.
    public static func caught(
        scores: [Double], positive: [Bool], passRate: Double = 0.95
    ) -> (share: Double, threshold: Double) {
        let pos = zip(scores, positive).filter { $0.1 }.map(\.0).sorted()
        let neg = zip(scores, positive).filter { !$0.1 }.map(\.0)
        guard !pos.isEmpty, !neg.isEmpty else { return (0, 0) }
        // The lowest threshold with at least passRate of positives at or above it.
        let index = min(pos.count - 1, max(0, Int((Double(pos.count) * (1 - passRate)).rounded(.down))))
        let threshold = pos[index]
        return (Double(neg.filter { $0 < threshold }.count) / Double(neg.count), threshold)
    }
}
