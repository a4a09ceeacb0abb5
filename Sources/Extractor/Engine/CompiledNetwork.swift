import Foundation

/// A graph ready to run on oneDNN at any batch size: fused once (``Schedule``), compiled per
/// batch size on first use (``PlanBuilder``: JIT-compiling the primitives costs a fraction of
/// a second) and kept for reuse, the most recently used few at a time.
///
/// The OpenMP team size is set to `threads` on the calling thread before every build and run
/// (OpenMP keeps it per thread). Calls are thread-safe; concurrent calls run one after another.
package final class CompiledNetwork: @unchecked Sendable {
    /// The fused graph.
    let schedule: Schedule
    /// The OpenMP team size.
    package let threads: Int
    /// How many batch sizes keep their plans.
    static let keptPlans = 3
    private let lock = NSLock()
    /// Plans, least recently used first.
    private var plans: [ExecutionPlan] = []

    /// Fuses `graph` (no primitive is built yet).
    /// - Parameters:
    ///   - graph: a graph with its three outputs set.
    ///   - threads: the OpenMP team size.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when an output is missing.
    package init(_ graph: Graph, threads: Int) throws(EngineError) {
        schedule = try Schedule(graph)
        self.threads = max(1, threads)
    }

    /// The graph.
    package var graph: Graph { schedule.graph }

    /// Builds the plan for a batch size now (instead of at its first run).
    /// - Parameter batch: images per run.
    /// - Throws: ``EngineError`` when oneDNN cannot build it.
    package func prepare(batch: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        DNNL.setThreads(threads)
        _ = try plan(batch: batch)
    }

    /// Runs a batch and hands the requested outputs to `read` (valid only inside it).
    /// - Parameters:
    ///   - input: `count × C × H × W` floats, NCHW, of the graph's input shape.
    ///   - count: images (at least 1).
    ///   - outputs: what `read` will look at; steps nothing needs are skipped.
    ///   - read: receives each requested output as `count` consecutive plain NCHW tensors.
    /// - Returns: what `read` returns.
    /// - Throws: ``EngineError``, or what `read` throws.
    package func run<Result>(_ input: UnsafePointer<Float>, count: Int, outputs: Set<Graph.Output>,
                     _ read: ([Graph.Output: ExecutionPlan.Export]) throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        DNNL.setThreads(threads)
        let plan = try plan(batch: count)
        try plan.run(input, outputs: outputs)
        return try read(plan.exports.filter { outputs.contains($0.key) })
    }

    private func plan(batch: Int) throws -> ExecutionPlan {
        if let index = plans.firstIndex(where: { $0.batch == batch }) {
            let plan = plans.remove(at: index)
            plans.append(plan)
            return plan
        }
        let plan = try PlanBuilder.build(schedule, batch: batch, threads: threads)
        if plans.count >= Self.keptPlans { plans.removeFirst() }
        plans.append(plan)
        return plan
    }
}
