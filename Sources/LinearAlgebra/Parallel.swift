import Dispatch
import Foundation
import Synchronization

/// The project's one parallel-for: independent jobs spread over a few threads.
///
/// Callers promise that the jobs are independent — each writes only memory that belongs to its
/// own index or range (or per-part scratch selected by the part number) — which is what makes
/// handing non-`Sendable` closures to Dispatch safe. Results never depend on the thread count or
/// on scheduling as long as that promise holds.
public enum Parallel {
    /// The number of active processor cores, the default thread count.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Splits `0..<count` into at most `threads` contiguous ranges of near-equal size and runs
    /// `body` on each concurrently (on the calling thread alone when one range suffices).
    /// - Parameters:
    ///   - count: the number of work items.
    ///   - threads: the most ranges to run at once (default: every core).
    ///   - body: processes one range, given the range's part number (0 ..< threads) for
    ///     per-part scratch; called once per range.
    public static func forEachRange(_ count: Int, threads: Int = cores, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        let parts = max(1, min(threads, count))
        if parts == 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            let task = UncheckedSendable(value: escaping)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                task.value(part, count * part / parts ..< count * (part + 1) / parts)
            }
        }
    }

    /// Runs `job(0)`, …, `job(count − 1)` on up to `threads` threads, each thread taking the next
    /// unclaimed index (so jobs of uneven cost balance), and returns the results in index order.
    /// - Parameters:
    ///   - count: the number of jobs.
    ///   - threads: the most threads to use (default: every core).
    ///   - job: computes the result of job `index`.
    /// - Returns: `[job(0), job(1), …]`.
    public static func map<T>(_ count: Int, threads: Int = cores, _ job: (_ index: Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map(job) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let next = NextIndex()
        withoutActuallyEscaping(job) { escaping in
            let task = UncheckedSendable(value: (job: escaping, slots: slots))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { return }
                    task.value.slots[index] = task.value.job(index)
                }
            }
        }
        return slots.map { value in
            guard let value else { preconditionFailure("a parallel job did not store its result") }
            return value
        }
    }
}

/// The shared job counter of `Parallel.map`.
private final class NextIndex: Sendable {
    let value = Atomic<Int>(0)
}

/// Carries a value across a concurrency boundary whose safety the caller has established.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
