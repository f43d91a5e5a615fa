import Foundation

/// Plain L2-regularised logistic regression by Newton's method (few features, so exact).
public enum LogisticFit {
    /// Fits weights and bias on standardised copies of `x`, returned on the original scale.
    public static func fit(
        x: [[Double]], y: [Bool], l2: Double = 1.0, iterations: Int = 50
    ) -> (weights: [Double], bias: Double) {
        let n = x.count, d = x.first?.count ?? 0
        guard n > 0, d > 0 else { return ([], 0) }
        let mean = (0..<d).map { j in x.reduce(0) { $0 + $1[j] } / Double(n) }
        let sd = (0..<d).map { j in max(1e-9, sqrt(x.reduce(0) { $0 + pow($1[j] - mean[j], 2) } / Double(n))) }
        let z = x.map { row in (0..<d).map { (row[$0] - mean[$0]) / sd[$0] } + [1] }
        var w = [Double](repeating: 0, count: d + 1)
        for _ in 0..<iterations {
            var grad = [Double](repeating: 0, count: d + 1)
            var hess = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: d + 1)
            for (row, label) in zip(z, y) {
                let p = 1 / (1 + exp(-zip(w, row).reduce(0) { $0 + $1.0 * $1.1 }))
                let r = p - (label ? 1 : 0)
                for a in 0...d {
                    grad[a] += r * row[a]
                    for b in 0...d { hess[a][b] += p * (1 - p) * row[a] * row[b] }
                }
            }
            for a in 0..<d { grad[a] += l2 * w[a]; hess[a][a] += l2 }
            hess[d][d] += 1e-9
            let step = solve(hess, grad)
            var moved = 0.0
            for a in 0...d { w[a] -= step[a]; moved = max(moved, abs(step[a])) }
            if moved < 1e-8 { break }
        }
        let weights = (0..<d).map { w[$0] / sd[$0] }
        let bias = w[d] - (0..<d).reduce(0) { $0 + w[$1] * mean[$1] / sd[$1] }
        return (weights, bias)
    }

    /// Gaussian elimination with partial pivoting.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = a, v = b
        let n = v.count
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p); v.swapAt(c, p)
            guard abs(m[c][c]) > 1e-15 else { continue }
            for r in (c + 1)..<n where r < n {
                let f = m[r][c] / m[c][c]
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            let s = ((r + 1)..<n).reduce(v[r]) { $0 - m[r][$1] * x[$1] }
            x[r] = abs(m[r][r]) > 1e-15 ? s / m[r][r] : 0
        }
        return x
    }
}
