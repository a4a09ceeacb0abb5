import Foundation

/// A graph ready to run on oneDNN at any batch size: fused once (``Schedule``), compiled per
/// batch size on first use (``PlanBuilder``: JIT-compiling the primitives costs a fraction of
/// a second) and kept for reuse, the most recently used few at a time.
///
/// A batch runs in chunks of at most ``chunk`` images, each through the plan of its size:
/// the activations of a few images stay in cache between layers, which measured 3–6 % faster
/// than whole batches of 16 on the five backbones (a batch of 16 uses one plan, of 4).
///
/// The OpenMP team size is set to `threads` on the calling thread before every build and run
/// (OpenMP keeps it per thread). Calls are thread-safe; concurrent calls run one after another.
package final class CompiledNetwork: @unchecked Sendable {
    /// The graph as built.
    package let graph: Graph
    /// The fused graph (after ``ConcatSplitting``).
    let schedule: Schedule
    /// The OpenMP team size.
    package let threads: Int
    /// How many batch sizes keep their plans.
    static let keptPlans = 3
    /// The most images one plan runs at once.
    package static let chunk = 4
    private let lock = NSLock()
    /// Plans, least recently used first.
    private var plans: [ExecutionPlan] = []

    /// Fuses `graph` (no primitive is built yet).
    /// - Parameters:
    ///   - graph: a graph with its three outputs set.
    ///   - threads: the OpenMP team size.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when an output is missing.
    package init(_ graph: Graph, threads: Int) throws(EngineError) {
        self.graph = graph
        schedule = try Schedule(ConcatSplitting.rewrite(graph))
        self.threads = max(1, threads)
    }

    /// Builds the plan for a batch size now (instead of at its first run).
    /// - Parameter batch: images per run.
    /// - Throws: ``EngineError`` when oneDNN cannot build it.
    package func prepare(batch: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        DNNL.setThreads(threads)
        _ = try plan(batch: min(batch, Self.chunk))
    }

    /// Runs a batch, chunk by chunk, handing each chunk's requested outputs to `read` (valid
    /// only inside that call).
    /// - Parameters:
    ///   - input: `count × C × H × W` floats, NCHW, of the graph's input shape.
    ///   - count: images.
    ///   - outputs: what `read` will look at; steps nothing needs are skipped.
    ///   - read: given the chunk's first image, its image count and each requested output as
    ///     that many consecutive plain NCHW tensors.
    /// - Throws: ``EngineError``, or what `read` throws.
    package func run(_ input: UnsafePointer<Float>, count: Int, outputs: Set<Graph.Output>,
                     _ read: (_ first: Int, _ count: Int, _ exports: [Graph.Output: ExecutionPlan.Export]) throws -> Void)
        throws {
        lock.lock()
        defer { lock.unlock() }
        DNNL.setThreads(threads)
        let imageSize = graph.inputShape.count
        var first = 0
        while first < count {
            let images = min(Self.chunk, count - first)
            let plan = try plan(batch: images)
            try plan.run(input + first * imageSize, outputs: outputs)
            try read(first, images, plan.exports.filter { outputs.contains($0.key) })
            first += images
        }
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
