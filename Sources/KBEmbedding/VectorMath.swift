/// Vectorised element-wise kernels for the parts of BERT that are not matrix products:
/// bias add, GELU (erf), softmax, LayerNorm and pooling. Each works on 16 floats at a time.
enum VectorMath {
    typealias V = SIMD16<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    typealias U = SIMD16<UInt32>

    /// e^x for x ≤ 0 (softmax and GELU only need that side), to about 1e-7 relative:
    /// 2^n · p(f) with f in [−ln2/2, ln2/2]. Only arithmetic and bit operations, no
    /// comparisons or selects, so it compiles to straight vector code; results below
    /// 2^−126 flush to zero.
    @inline(__always) static func exp(_ x: V) -> V {
        let magic = V(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer
        let t = x * 1.442695040888963 + magic
        let n = t - magic
        let f = x - n * 0.693145751953125 - n * 1.428606765330187e-06
        var p = V(repeating: 1.0 / 5040)
        p = p * f + 1.0 / 720
        p = p * f + 1.0 / 120
        p = p * f + 1.0 / 24
        p = p * f + 1.0 / 6
        p = p * f + 0.5
        p = p * f + 1
        p = p * f + 1
        let e = unsafeBitCast(t, to: U.self) &- 0x4B40_0000 &+ 127  // n + 127, two's complement
        let keep = ~unsafeBitCast(unsafeBitCast(e, to: SIMD16<Int32>.self) &>> 31, to: U.self)
        return p * unsafeBitCast((e & keep) &<< 23, to: V.self)
    }

    /// erf(x) to 1.5e-7 (Abramowitz & Stegun 7.1.26), sign restored with bit operations.
    @inline(__always) static func erf(_ x: V) -> V {
        let bits = unsafeBitCast(x, to: U.self)
        let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: V.self)
        let t = 1 / (1 + 0.3275911 * a)
        var y = V(repeating: 1.061405429)
        y = y * t - 1.453152027
        y = y * t + 1.421413741
        y = y * t - 0.284496736
        y = y * t + 0.254829592
        let r = V(repeating: 1) - y * t * exp(-(a * a))
        return unsafeBitCast(unsafeBitCast(r, to: U.self) | (bits & 0x8000_0000), to: V.self)
    }

    /// Sum of the 16 lanes.
    @inline(__always) static func sum(_ v: V) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// In place: x ← x · ½(1 + erf(x/√2)), the exact GELU BERT uses.
    static func gelu(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let x = load(p + i)
            let half = 0.5 * x
            store(half + half * erf(x * 0.7071067811865476), p + i)
            i += 16
        }
        while i < count {
            let x = p[i]
            p[i] = 0.5 * x * (1 + Float(_erf(Double(x) * 0.7071067811865476)))
            i += 1
        }
    }

    /// Each of `rows` rows set to `bias` (length `cols`), plus that row of `residual` if given.
    static func fillBias(
        _ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?
    ) {
        for r in 0..<rows {
            let row = p + r * cols
            if let residual {
                let res = residual + r * cols
                var i = 0
                while i + 16 <= cols { store(load(res + i) + load(bias + i), row + i); i += 16 }
                while i < cols { row[i] = res[i] + bias[i]; i += 1 }
            } else {
                row.update(from: bias, count: cols)
            }
        }
    }

    /// Softmax of each row of a `rows × cols` matrix, in place. The last partial group of 16
    /// goes through the same vector `exp`, padded with values 200 below the row's maximum
    /// (which come out as 0): a scalar tail cost more than the rest of the row.
    static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        let full = cols & ~15, rest = cols - full
        var tail = V()
        for r in 0..<rows {
            let row = p + r * cols
            var mv = V(repeating: -.greatestFiniteMagnitude)
            var i = 0
            while i < full {
                // Not `pointwiseMax`: the standard library's is an element-by-element loop.
                let x = load(row + i)
                mv.replace(with: x, where: x .> mv)
                i += 16
            }
            var m = mv.max()
            for j in full..<cols { m = max(m, row[j]) }
            var acc = V()
            i = 0
            while i < full {
                let e = exp(load(row + i) - m)
                store(e, row + i)
                acc += e
                i += 16
            }
            if rest > 0 {
                tail = V(repeating: m - 200)
                withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: row + full, byteCount: rest * 4) }
                let e = exp(tail - m)
                withUnsafeBytes(of: e) {
                    UnsafeMutableRawPointer(row + full).copyMemory(from: $0.baseAddress!, byteCount: rest * 4)
                }
                acc += e
            }
            let inv = 1 / sum(acc)
            i = 0
            while i < full { store(load(row + i) * inv, row + i); i += 16 }
            for j in full..<cols { row[j] *= inv }
        }
    }

    /// LayerNorm over each row of length `cols` (a multiple of 16), in place.
    static func layerNorm(
        _ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        let n = Float(cols)
        for r in 0..<rows {
            let row = p + r * cols
            var s = V()
            var i = 0
            while i < cols { s += load(row + i); i += 16 }
            let mean = Self.sum(s) / n
            var v = V()
            i = 0
            while i < cols { let d = load(row + i) - mean; v += d * d; i += 16 }
            let rstd = 1 / (Self.sum(v) / n + eps).squareRoot()
            i = 0
            while i < cols {
                store((load(row + i) - mean) * rstd * load(gamma + i) + load(beta + i), row + i)
                i += 16
            }
        }
    }

    /// `a += b` over `count` floats.
    static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count { store(load(a + i) + load(b + i), a + i); i += 16 }
        while i < count { a[i] += b[i]; i += 1 }
    }
}

// Glibc's double-precision erf and exp for the scalar tails.
#if canImport(Glibc)
    import Glibc
    @inline(__always) func _erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
    import Darwin
    @inline(__always) func _erf(_ x: Double) -> Double { Darwin.erf(x) }
    @inline(__always) func _exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
