import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` over all cores, results in input order. Work is handed out in strides of 16 from
    /// one atomic counter; every result is moved out of the buffer, so nothing outlives the call.
    public func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        if count < 2 { return map(transform) }
        let buffer = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        buffer.initialize(repeating: nil)
        defer {
            buffer.deinitialize()
            buffer.deallocate()
        }
        nonisolated(unsafe) let out = buffer
        self.withUnsafeBufferPointer { input in
            nonisolated(unsafe) let input = input
            let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, input.count)
            let stride = 16
            let next = WorkCounter()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let start = next.take(stride)
                    if start >= input.count { break }
                    for i in start..<Swift.min(start + stride, input.count) { out[i] = transform(input[i]) }
                }
            }
        }
        return buffer.indices.map { i in
            guard let value = buffer[i].take() else { preconditionFailure("parallelMap: slot \(i) was not filled") }
            return value
        }
    }
}
