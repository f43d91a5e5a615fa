import Foundation
import Synchronization

/// A second thread that shares the products of one small forward pass (a lone query).
///
/// A query's products take tens of microseconds each; waking a pooled thread for every one
/// (`DispatchQueue.concurrentPerform`) costs about as much as the work it saves. The lane's
/// thread sleeps between forward passes and spins only during one, so handing it half a
/// product costs a cache-line round trip. One forward pass at a time holds the lane;
/// other callers run on their own thread as before.
final class SpinLane: @unchecked Sendable {
    private let posted = Atomic<Int>(0)  // generation of the latest posted work
    private let completed = Atomic<Int>(0)  // generation of the latest finished work
    private let spinning = Atomic<Bool>(false)
    private let held = Atomic<Bool>(false)
    private let sleeper = NSCondition()
    private var awake = false  // guarded by `sleeper`
    private var work: (@Sendable () -> Void)?  // written before `posted` is released
    private var started = false  // guarded by `sleeper`

    /// Takes the lane for one forward pass; false when another pass holds it.
    func acquire() -> Bool {
        guard held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        sleeper.lock()
        if !started {
            started = true
            let thread = Thread { [unowned self] in self.loop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
        awake = true
        spinning.store(true, ordering: .releasing)
        sleeper.signal()
        sleeper.unlock()
        return true
    }

    /// Gives the lane back; its thread goes back to sleep.
    func release() {
        spinning.store(false, ordering: .releasing)
        sleeper.lock()
        awake = false
        sleeper.unlock()
        held.store(false, ordering: .releasing)
    }

    /// Runs `theirs` on the lane's thread and `mine` on the caller's, and returns when both
    /// are done. Only between `acquire()` and `release()`.
    func run(_ theirs: @escaping @Sendable () -> Void, alongside mine: () -> Void) {
        let generation = posted.load(ordering: .relaxed) + 1
        work = theirs
        posted.store(generation, ordering: .releasing)
        mine()
        while completed.load(ordering: .acquiring) != generation { spinHint() }
    }

    private func loop() {
        var seen = 0
        while true {
            sleeper.lock()
            while !awake { sleeper.wait() }
            sleeper.unlock()
            while spinning.load(ordering: .acquiring) {
                let generation = posted.load(ordering: .acquiring)
                if generation != seen {
                    seen = generation
                    work?()
                    completed.store(generation, ordering: .releasing)
                } else {
                    spinHint()
                }
            }
        }
    }

    @inline(__always) private func spinHint() {}
}
