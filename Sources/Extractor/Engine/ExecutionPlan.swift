import CDNNL

/// A graph compiled for one batch size: oneDNN primitives JIT-compiled once, weights reordered
/// into the layouts those primitives chose, activation buffers shared by values whose
/// lifetimes do not overlap, and one scratchpad for all. Built by `PlanBuilder`; run many times.
///
/// Not thread-safe: one caller at a time (the owning `CompiledNetwork` holds a lock).
package final class ExecutionPlan {
    /// One primitive call.
    struct Call {
        /// The compiled primitive.
        let primitive: Primitive
        /// Its arguments, bound to fixed buffers.
        let arguments: [dnnl_exec_arg_t]
        /// The outputs that need this call.
        let neededBy: Set<Graph.Output>
    }

    /// Where a requested output is found after a run: plain NCHW floats.
    package struct Export {
        /// The first value.
        package let pointer: UnsafePointer<Float>
        /// Values per image.
        package let perImage: Int
    }

    /// Images per run.
    let batch: Int
    let calls: [Call]
    /// Memory objects that read the caller's input; re-pointed at every run.
    let inputs: [Memory]
    let exports: [Graph.Output: Export]
    /// Owners of everything the calls point to.
    let memories: [Memory]
    let storage: [UnsafeMutableRawPointer]
    let stream: Stream

    init(batch: Int, calls: [Call], inputs: [Memory], exports: [Graph.Output: Export], memories: [Memory],
         storage: [UnsafeMutableRawPointer], stream: Stream) {
        self.batch = batch
        self.calls = calls
        self.inputs = inputs
        self.exports = exports
        self.memories = memories
        self.storage = storage
        self.stream = stream
    }

    deinit {
        for pointer in storage { pointer.deallocate() }
    }

    /// Runs the calls that the requested outputs need.
    /// - Parameters:
    ///   - input: `batch × C × H × W` floats in NCHW order.
    ///   - outputs: what the caller will read (see ``exports``).
    /// - Throws: ``EngineError`` when a primitive fails.
    func run(_ input: UnsafePointer<Float>, outputs: Set<Graph.Output>) throws(EngineError) {
        let pointer = UnsafeMutableRawPointer(mutating: input)
        for memory in inputs { try memory.point(at: pointer) }
        for call in calls where !call.neededBy.isDisjoint(with: outputs) {
            let status = call.arguments.withUnsafeBufferPointer { arguments in
                dnnl_primitive_execute(call.primitive.raw, stream.raw, Int32(arguments.count), arguments.baseAddress)
            }
            try DNNL.check(status, "run a primitive")
        }
        try DNNL.check(dnnl_stream_wait(stream.raw), "finish a run")
    }
}
