import Foundation

/// Conditional logit with a "none" option: each question has a few candidates, at most one of
/// them right. A candidate's utility is `w·x + b`, "none of them" has utility 0, and
/// `P(c) = e^{u_c} / (1 + Σ e^{u})`. Fitted by Newton's method with an L2 penalty on
/// standardised features (few features, so exact) and a step halved until the penalised
/// likelihood improves (a full Newton step overshoots: many candidates share one normaliser);
/// weights are returned on the original scale.
public enum ListwiseFit {
    /// `groups[q]` holds the candidates' features of question `q`, `answer[q]` the index of its
    /// right candidate, or nil when none is right.
    public static func fit(
        groups: [[[Double]]], answer: [Int?], l2: Double = 1.0, iterations: Int = 50
    )
        -> (weights: [Double], bias: Double)
    {
        let rows = groups.flatMap { $0 }
        let d = rows.first?.count ?? 0
        guard !rows.isEmpty, d > 0 else { return ([], 0) }
        let n = Double(rows.count)
        let mean = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let sd = (0..<d).map { j in max(1e-9, sqrt(rows.reduce(0) { $0 + pow($1[j] - mean[j], 2) } / n)) }
        let z = groups.map { g in g.map { row in (0..<d).map { (row[$0] - mean[$0]) / sd[$0] } + [1] } }
        var w = [Double](repeating: 0, count: d + 1)
        // Negative log-likelihood plus the penalty.
        func loss(_ w: [Double]) -> Double {
            var total = (0..<d).reduce(0) { $0 + 0.5 * l2 * w[$1] * w[$1] }
            for (g, right) in zip(z, answer) where !g.isEmpty {
                let u = g.map { row in zip(w, row).reduce(0) { $0 + $1.0 * $1.1 } }
                let top = max(u.max()!, 0)
                let logNormaliser = top + log(u.reduce(exp(-top)) { $0 + exp($1 - top) })
                total += logNormaliser - (right.map { u[$0] } ?? 0)
            }
            return total
        }
        var current = loss(w)
        for _ in 0..<iterations {
            var grad = [Double](repeating: 0, count: d + 1)
            var hess = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: d + 1)
            for (g, right) in zip(z, answer) where !g.isEmpty {
                let u = g.map { row in zip(w, row).reduce(0) { $0 + $1.0 * $1.1 } }
                let top = max(u.max()!, 0)
                let e = u.map { exp($0 - top) }
                let total = e.reduce(exp(-top), +)
                let p = e.map { $0 / total }
                var expected = [Double](repeating: 0, count: d + 1)
                for (pc, row) in zip(p, g) { for a in 0...d { expected[a] += pc * row[a] } }
                if let right { for a in 0...d { grad[a] -= g[right][a] } }
                for a in 0...d { grad[a] += expected[a] }
                for (pc, row) in zip(p, g) {
                    for a in 0...d { for b in 0...d { hess[a][b] += pc * row[a] * row[b] } }
                }
                for a in 0...d { for b in 0...d { hess[a][b] -= expected[a] * expected[b] } }
            }
            for a in 0..<d { grad[a] += l2 * w[a]; hess[a][a] += l2 }
            hess[d][d] += 1e-9
            let step = LogisticFit.solve(hess, grad)
            var size = 1.0, next = w, value = current
            while size > 1e-6 {
                next = (0...d).map { w[$0] - size * step[$0] }
                value = loss(next)
                if value <= current { break }
                size /= 2
            }
            guard value <= current else { break }
            let moved = (0...d).reduce(0.0) { max($0, abs(size * step[$1])) }
            w = next
            current = value
            if moved < 1e-8 { break }
        }
        let weights = (0..<d).map { w[$0] / sd[$0] }
        let bias = w[d] - (0..<d).reduce(0) { $0 + w[$1] * mean[$1] / sd[$1] }
        return (weights, bias)
    }
}
