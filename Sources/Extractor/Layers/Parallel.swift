import Dispatch

/// Splits `count` independent work items into at most `threads` contiguous ranges and runs them
/// concurrently (on the calling thread alone when one range suffices).
///
/// The ranges are disjoint and `body` writes only to memory its range owns (or to its own
/// per-range scratch), which is what makes handing the non-`Sendable` closure to Dispatch safe.
/// - Parameters:
///   - count: the number of work items.
///   - threads: the most ranges to run at once.
///   - body: processes one range of item indices, given the range's index (0 ..< threads),
///     which selects per-thread scratch; called once per range.
func parallelRanges(_ count: Int, threads: Int, _ body: (Int, Range<Int>) -> Void) {
    let parts = max(1, min(threads, count))
    if parts == 1 {
        body(0, 0..<count)
        return
    }
    withoutActuallyEscaping(body) { escaping in
        let task = UncheckedSendable(value: escaping)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            task.value(part, count * part / parts ..< count * (part + 1) / parts)
        }
    }
}

/// Carries a value across a concurrency boundary whose safety the caller has established.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
