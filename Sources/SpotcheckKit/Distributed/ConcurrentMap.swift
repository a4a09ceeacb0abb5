import Foundation

/// `body(0) … body(count − 1)` on up to `threads` threads at once.
/// - Parameters:
///   - count: the number of calls.
///   - threads: calls run at once.
///   - body: the work for one index.
/// - Returns: the results, by index.
/// - Throws: the error of the lowest index that failed.
func concurrentMap<Value>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> Value) throws -> [Value] {
    let slots = Slots<Value>(count: count)
    let workers = max(1, min(threads, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: count, by: workers) {
            slots.set(index, Result { try body(index) })
        }
    }
    return try slots.values()
}

/// Results written by concurrent workers, one slot each.
private final class Slots<Value>: @unchecked Sendable {
    private var slots: [Result<Value, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Value, Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    /// Every value, or the first error in slot order.
    func values() throws -> [Value] {
        lock.lock(); defer { lock.unlock() }
        return try slots.map { slot in
            guard let slot else { preconditionFailure("every slot is filled before the values are read") }
            return try slot.get()
        }
    }
}
