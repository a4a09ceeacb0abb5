import Dispatch
import Foundation

/// A graph ready to run on oneDNN at any batch size: fused once (``Schedule``), compiled per
/// batch size on first use (``PlanBuilder``: JIT-compiling the primitives costs a fraction of
/// a second) and kept for reuse.
///
/// How a batch uses the `threads`: split into `lanes = min(threads, images)` contiguous parts
/// that run side by side, each on its own OpenMP team of `threads / lanes` (a batch of 16 on
/// 2 threads: two single-threaded lanes of 8 images; one image: one team of 2). Lanes never
/// wait for each other inside a layer, so a thread that the system preempts delays only its
/// own lane instead of stalling a whole team at every layer's barrier; on this project's shared
/// 2-core machine that was as fast as one team of 2 when quiet and far steadier under load
/// (BENCHMARKS.md, "Backbones"). Each lane runs its part in chunks, each through the plan of its
/// size: as many images (at most ``maximumChunk``) as keep the largest layer's input and output
/// within the lane's share of the last-level cache, so that activations stay in cache from one
/// layer to the next (EfficientNet-Lite: chunks of 2, 5–10 % faster than 4; SqueezeNet, whose
/// Winograd layers like more images: 4, 10–15 % faster than 2; whole batches of 16 were slower
/// on all five). A network of dense convolutions only (``isDense``: ResNet v1, VGG) runs
/// ``maximumDenseChunk`` images per plan instead: its time is in the convolutions, whose weights
/// (100 MB for ResNet-50) are then read once per 8 images rather than once per cache-sized chunk
/// of 2 (ResNet-50: 48.6 against 41.8 img/s; VGG-16 even; ConvNeXt-Tiny and DenseNet-121, whose
/// normalisations and concatenations are bound by memory, 12 % and 6 % slower at 8;
/// BENCHMARKS.md, "ResNet-50 again").
///
/// OpenMP keeps the team size per thread, so it is set on the running thread before every
/// build and run. Calls are thread-safe; concurrent calls run one after another.
package final class CompiledNetwork: @unchecked Sendable {
    /// The graph as built.
    package let graph: Graph
    /// The fused graph (after ``ConcatSplitting``).
    let schedule: Schedule
    /// The threads a batch may use.
    package let threads: Int
    /// The most images one plan runs at once.
    static let maximumChunk = 4
    /// The images one plan of a dense network runs at once (see ``isDense``).
    static let maximumDenseChunk = 8
    /// Whether every step is a dense convolution (with its fused post-ops), a pooling or a linear
    /// layer: nothing depthwise or grouped, no standalone normalisation, activation, sum or concatenation.
    package let isDense: Bool
    /// Bytes of the largest layer's input and output for one image.
    private let largestLayerBytes: Int
    private let lock = NSLock()
    /// Each lane's plans (lane `i` is only ever run by one thread at a time).
    private let lanes: [PlanCache]

    /// Fuses `graph` (no primitive is built yet).
    /// - Parameters:
    ///   - graph: a graph with its three outputs set.
    ///   - threads: the threads a batch may use.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when an output is missing.
    package init(_ graph: Graph, threads: Int) throws(EngineError) {
        self.graph = graph
        schedule = try Schedule(ConcatSplitting.rewrite(graph))
        self.threads = max(1, threads)
        lanes = (0..<self.threads).map { _ in PlanCache() }
        let schedule = self.schedule
        isDense = schedule.steps.allSatisfy { step in
            switch step.kind {
            case .convolution(let convolution, _, let depthwise): return convolution.groups == 1 && depthwise == nil
            case .pool, .globalAveragePool, .linear: return true
            case .concat, .add, .scale, .affine, .layerNorm, .activation: return false
            }
        }
        largestLayerBytes = schedule.steps.map { step in
            (step.reads + [step.output]).reduce(0) { $0 + schedule.graph.shape($1).count } * MemoryLayout<Float>.size
        }.max() ?? 0
    }

    /// Images per plan when `lanes` lanes share the last-level cache.
    /// - Parameters:
    ///   - lanes: lanes running side by side.
    ///   - cacheBytes: the last-level cache size (default: this machine's).
    /// - Returns: between 1 and ``maximumChunk``; ``maximumDenseChunk`` for a dense network.
    package func chunk(lanes: Int, cacheBytes: Int = LastLevelCache.bytes) -> Int {
        if isDense { return Self.maximumDenseChunk }
        let budget = cacheBytes / max(1, lanes)
        return max(1, min(Self.maximumChunk, budget / max(1, largestLayerBytes)))
    }

    /// Runs a batch, handing each chunk's requested outputs to `read` (valid only inside that
    /// call). Calls of `read` come from several threads but never overlap.
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
        guard count > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        try withoutActuallyEscaping(read) { read in try runLanes(input, count: count, outputs: outputs, read) }
    }

    /// The lanes of one run (the caller holds the lock; `read` does not outlive the call).
    private func runLanes(_ input: UnsafePointer<Float>, count: Int, outputs: Set<Graph.Output>,
                     _ read: @escaping (Int, Int, [Graph.Output: ExecutionPlan.Export]) throws -> Void) throws {
        let laneCount = min(threads, count)
        let team = threads / laneCount
        let chunk = self.chunk(lanes: laneCount)
        let readLock = NSLock()
        let failures = FirstFailure()
        let work = { (lane: Int) in
            let range = (count * lane / laneCount) ..< (count * (lane + 1) / laneCount)
            DNNL.setThreads(team)
            do {
                var first = range.lowerBound
                while first < range.upperBound, !failures.happened {
                    let images = min(chunk, range.upperBound - first)
                    let plan = try self.lanes[lane].plan(self.schedule, batch: images, threads: team)
                    try plan.run(input + first * self.graph.inputShape.count, outputs: outputs)
                    readLock.lock()
                    defer { readLock.unlock() }
                    try read(first, images, plan.exports.filter { outputs.contains($0.key) })
                    first += images
                }
            } catch {
                failures.record(error)
            }
        }
        if laneCount == 1 {
            work(0)
        } else {
            let shared = UncheckedSendable(value: work)
            DispatchQueue.concurrentPerform(iterations: laneCount) { shared.value($0) }
        }
        if let error = failures.error { throw error }
    }
}

/// One lane's plans by batch size and team size, the most recently used few.
private final class PlanCache {
    /// How many plans a lane keeps.
    static let kept = 3
    private var plans: [(threads: Int, plan: ExecutionPlan)] = []

    /// The plan for `batch` images on a team of `threads`, built on first use.
    func plan(_ schedule: Schedule, batch: Int, threads: Int) throws -> ExecutionPlan {
        if let index = plans.firstIndex(where: { $0.plan.batch == batch && $0.threads == threads }) {
            let entry = plans.remove(at: index)
            plans.append(entry)
            return entry.plan
        }
        let plan = try PlanBuilder.build(schedule, batch: batch, threads: threads)
        if plans.count >= Self.kept { plans.removeFirst() }
        plans.append((threads, plan))
        return plan
    }
}

/// The first error of the lanes of one run (the others stop at their next chunk).
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    /// Keeps `error` unless one was recorded already.
    func record(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if first == nil { first = error }
    }

    /// Whether a lane failed.
    var happened: Bool { error != nil }

    /// The first error.
    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}

/// Carries a value across a concurrency boundary whose safety the caller has established:
/// the lanes work on disjoint images and plans, and their `read` calls are serialised.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
