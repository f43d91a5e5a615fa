import COpenBLAS

/// Dot products of float vectors stored row by row: the similarity blocks that search,
/// clustering and grouping compute. With the model's own layers these are the package's only
/// OpenBLAS calls, so one module owns the library (its threading is set in ``BLASRuntime``).
public enum VectorProducts {
    /// The dot product of two vectors (their cosine when both are unit length); extra
    /// entries of the longer one are ignored.
    @inline(__always)
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }

    /// `out[i · count + j] = a[i] · b[j]` for the `rows` vectors at `a` and the `count` vectors
    /// at `b`, each `dimension` floats (A·Bᵀ).
    public static func dots(
        _ a: UnsafePointer<Float>, rows: Int, _ b: UnsafePointer<Float>, count: Int,
        dimension: Int, into out: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0, count > 0, dimension > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(dimension), 1,
            a, Int32(dimension), b, Int32(dimension), 0, out, Int32(count))
    }

    /// `out[i] = a[i] · x` for the `rows` vectors at `a`, each `dimension` floats (A·x).
    public static func dots(
        _ a: UnsafePointer<Float>, rows: Int, with x: UnsafePointer<Float>, dimension: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0, dimension > 0 else { return }
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension), 1, a, Int32(dimension), x, 1, 0, out, 1)
    }

    /// The `dimension × dimension` matrix Aᵀ·A of the `rows` vectors at `a` (same Frobenius
    /// norm as A·Aᵀ, cheaper when there are more vectors than dimensions).
    public static func gram(
        columnsOf a: UnsafePointer<Float>, rows: Int, dimension: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        guard rows > 0, dimension > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(dimension), Int32(dimension), Int32(rows), 1,
            a, Int32(dimension), a, Int32(dimension), 0, out, Int32(dimension))
    }
}
