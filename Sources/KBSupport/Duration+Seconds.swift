/// Durations as plain seconds, for reports and benchmarks.
extension Duration {
    public var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
