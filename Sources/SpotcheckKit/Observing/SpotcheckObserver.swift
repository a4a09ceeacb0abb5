/// Something worth telling a person while spotcheck works: the library never prints; it hands
/// events to an observer (the command-line tool draws progress bars and notes on stderr).
public enum SpotcheckEvent: Sendable {
    /// A phase of the work begins, e.g. `extracting mobilenet_v2` as step 2 of 5.
    case phase(String, step: Int, of: Int)
    /// Progress of a long task: `done` units of `total` (when known), e.g. images or rows.
    case progress(task: String, done: Int, total: Int?, unit: String)
    /// The task named earlier in `.progress` is over.
    case finished(task: String)
    /// A plain fact, e.g. `reusing reports/features/mobilenet_v2.h5 (dataset unchanged)`.
    case note(String)
    /// Something the person should look at; the work goes on.
    case warning(String)
    /// An input file left out, and why (reported once per run).
    case skipped(SkippedFile)
    /// One extractor × classifier pair has been scored (or has failed).
    case pairScored(SpotcheckReport.PairResult)
}

/// Receives a run's events, in order, from the thread doing the work.
public protocol SpotcheckObserver: Sendable {
    /// Handles one event.
    /// - Parameter event: what happened.
    func observe(_ event: SpotcheckEvent)
}

/// An observer that ignores everything (the default for programs that only want results).
public struct SilentObserver: SpotcheckObserver {
    /// A silent observer.
    public init() {}

    /// Ignores `event`.
    public func observe(_ event: SpotcheckEvent) {}
}
