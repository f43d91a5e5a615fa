/// Unified diffs of two texts, line by line (longest common subsequence), for
/// `kb review diff`. Drafts are a few hundred lines at most, so the quadratic table is small.
public enum LineDiff {
    enum Edit: Equatable { case same(String), removed(String), added(String) }

    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(.same(a[i])); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append(.removed(a[i])); i += 1
            } else {
                out.append(.added(b[j])); j += 1
            }
        }
        return out
    }

    /// `---`/`+++` headers and `@@` hunks with `context` lines around each change; an empty
    /// string when the texts are the same.
    public static func unified(_ old: String, _ new: String, from: String, to: String, context: Int = 3) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let e = edits(a, b)
        let changed = e.indices.filter { if case .same = e[$0] { false } else { true } }
        guard !changed.isEmpty else { return "" }
        // Hunks: runs of changes whose context windows touch.
        var hunks: [ClosedRange<Int>] = []
        for k in changed {
            let r = max(0, k - context)...min(e.count - 1, k + context)
            if let last = hunks.last, r.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...r.upperBound
            } else {
                hunks.append(r)
            }
        }
        var out = "--- \(from)\n+++ \(to)\n"
        // Line numbers where each edit starts in a and b.
        var lineA = [Int](), lineB = [Int]()
        var ia = 1, ib = 1
        for edit in e {
            lineA.append(ia); lineB.append(ib)
            switch edit {
            case .same: ia += 1; ib += 1;
            case .removed: ia += 1;
            case .added: ib += 1
            }
        }
        for h in hunks {
            let slice = e[h]
            let countA = slice.filter { if case .added = $0 { false } else { true } }.count
            let countB = slice.filter { if case .removed = $0 { false } else { true } }.count
            out += "@@ -\(lineA[h.lowerBound]),\(countA) +\(lineB[h.lowerBound]),\(countB) @@\n"
            for edit in slice {
                switch edit {
                case .same(let l): out += " \(l)\n"
                case .removed(let l): out += "-\(l)\n"
                case .added(let l): out += "+\(l)\n"
                }
            }
        }
        return out
    }
}
