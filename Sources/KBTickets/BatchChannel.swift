import Foundation

/// A bounded first-in, first-out hand-over between one producer thread and one consumer:
/// the producer blocks when `capacity` batches wait, so memory stays flat whatever the file
/// size. Either side can end it: the producer with ``finish(_:)``, the consumer with
/// ``cancel()`` (the producer's next ``send(_:)`` then throws).
final class BatchChannel<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[Element]] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?

    init(capacity: Int) { self.capacity = capacity }

    struct Cancelled: Error {}

    /// Waits for room, then hands `batch` over; throws once the consumer has cancelled.
    func send(_ batch: [Element]) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        queue.append(batch)
        condition.broadcast()
    }

    /// The producer is done, with the error that stopped it if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil when the producer has finished and everything was taken.
    func receive() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if queue.isEmpty { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// The consumer gives up: pending batches are dropped and the producer is released.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the producer has called ``finish(_:)``; returns its error.
    func waitUntilFinished() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return failure is Cancelled ? nil : failure
    }
}
