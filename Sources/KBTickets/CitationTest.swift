import Foundation

/// Whether a set of resolved tickets cites help articles far less often than the help desk
/// usually does: then its problem was solved without an article (a gap), whatever the text
/// says. Used by the gaps stage (per topic) and the draft miner (per group).
public enum CitationTest {
    /// Resolved tickets that must cite an article before citations count as evidence.
    public static let minimumCitations = 10

    /// P(X ≤ k) for X ~ Binomial(n, p): how likely `k` or fewer of `n` tickets cite an
    /// article when the desk cites at rate `p`.
    public static func binomialLowerTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
        guard p > 0 else { return 1 }
        guard p < 1 else { return k >= n ? 1 : 0 }
        var total = 0.0
        for i in 0...min(k, n) {
            let logChoose = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
            total += exp(logChoose + Double(i) * log(p) + Double(n - i) * log(1 - p))
        }
        return min(1, total)
    }
}
