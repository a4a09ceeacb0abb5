import Dispatch

/// Runs `count` independent jobs on all cores and returns their results in job order.
///
/// Each job writes only its own slot, and each job's work is itself sequential, so the result
/// is the same for any number of threads.
/// - Parameters:
///   - count: the number of jobs.
///   - job: computes the result of job `index`.
/// - Returns: `[job(0), job(1), …]`.
func parallelMap<T: Sendable>(_ count: Int, _ job: @Sendable (Int) -> T) -> [T] {
    let slots = ResultSlots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { index in slots.store(job(index), at: index) }
    return slots.results()
}

/// Write-once storage for `parallelMap`: distinct indices are written by distinct threads and
/// read only after `concurrentPerform` returns, so no two accesses ever race.
private final class ResultSlots<T>: @unchecked Sendable {
    private var storage: UnsafeMutableBufferPointer<T?>

    init(_ count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ value: T, at index: Int) { storage[index] = value }

    func results() -> [T] {
        let done = storage.compactMap { $0 }
        precondition(done.count == storage.count, "a parallel job did not store its result")
        return done
    }
}
