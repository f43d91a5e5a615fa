import Synchronization

/// Hands out work items (block numbers, strides) to threads: one atomic counter, shareable
/// by escaping closures where a bare `Atomic` (non-copyable) cannot go.
public final class WorkCounter: Sendable {
    private let value: Atomic<Int>

    public init(_ start: Int = 0) { value = Atomic(start) }

    /// Adds `n` and returns the value before.
    public func take(_ n: Int = 1) -> Int { value.add(n, ordering: .relaxed).oldValue }

    /// The current value.
    public var current: Int { value.load(ordering: .relaxed) }
}

/// The first error thrown by any of several workers; later ones are dropped.
public final class FirstError: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    public init() {}

    public func record(_ error: any Error) {
        first.withLock { if $0 == nil { $0 = error } }
    }

    public var error: (any Error)? { first.withLock { $0 } }
}
