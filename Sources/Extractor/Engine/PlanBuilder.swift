import CDNNL

/// Compiles a ``Schedule`` into an ``ExecutionPlan`` for one batch size.
///
/// Layouts: every convolution writes the blocked `nChw16c` layout (with `any`, oneDNN picks
/// NHWC kernels that are slower here); sources and weights are `any`, so each primitive picks
/// its own, and a reorder is inserted where a value is stored otherwise. Weights are reordered
/// once, here. Activation buffers are assigned as the steps are walked: a value's buffer is
/// freed after its last reader and reused (best fit) by later values. Every primitive uses
/// one shared scratchpad.
///
/// Fallbacks, taken when oneDNN refuses a fusion: a fused depthwise convolution becomes two
/// convolutions; an in-place sum whose operand is stored in another layout becomes a
/// convolution and a binary add.
struct PlanBuilder {
    /// Where a tensor's bytes are.
    enum Location {
        /// The caller's input batch (set at every run).
        case input
        /// An activation buffer, by index.
        case buffer(Int)
        /// Bytes owned by the plan (weights).
        case fixed(UnsafeMutableRawPointer)
        /// The shared scratchpad.
        case scratchpad
    }

    /// A value as stored: its layout and its bytes.
    struct Stored {
        var descriptor: TensorDescriptor
        var location: Location
    }

    /// A call whose buffers are not allocated yet.
    struct PendingCall {
        let primitive: Primitive
        let arguments: [(argument: Int32, descriptor: TensorDescriptor, location: Location)]
        let neededBy: Set<Graph.Output>
    }

    let schedule: Schedule
    let batch: Int
    /// The OpenMP team size the run-time primitives are built for.
    let threads: Int
    var graph: Graph { schedule.graph }
    var stored: [Graph.Value: Stored] = [:]
    var bufferSizes: [Int] = []
    var freeBuffers: [Int] = []
    var remainingReads: [Graph.Value: Int] = [:]
    var calls: [PendingCall] = []
    var owned: [UnsafeMutableRawPointer] = []
    var scratchpadBytes = 0
    var needs: Set<Graph.Output> = []
    /// Shapes of temporaries made by fallbacks (they are not graph values).
    var syntheticShapes: [Graph.Value: FeatureShape] = [:]
    let stream: Stream

    /// Compiles `schedule` for batches of `batch` images, to run on an OpenMP team of `threads`
    /// (the calling thread's team size is set to it; weights are reordered on one thread).
    /// - Parameters:
    ///   - schedule: the fused graph.
    ///   - batch: images per run.
    ///   - threads: the team size the primitives are built for.
    /// - Returns: the plan.
    /// - Throws: ``EngineError`` when oneDNN cannot build a primitive or allocate.
    static func build(_ schedule: Schedule, batch: Int, threads: Int) throws -> ExecutionPlan {
        DNNL.setThreads(threads)
        var builder = try PlanBuilder(schedule: schedule, batch: batch, threads: threads)
        do {
            return try builder.finish()
        } catch {
            for pointer in builder.owned { pointer.deallocate() }
            throw error
        }
    }

    private init(schedule: Schedule, batch: Int, threads: Int) throws {
        self.schedule = schedule
        self.batch = batch
        self.threads = threads
        stream = try Stream()
    }

    private mutating func finish() throws -> ExecutionPlan {
        let input = graph.input
        stored[input] = Stored(descriptor: try TensorDescriptor(graph.inputShape.dims(batch: batch), tag: dnnl_nchw),
                               location: .input)
        for step in schedule.steps {
            for value in step.reads { remainingReads[value, default: 0] += 1 }
        }
        for step in schedule.steps {
            needs = step.neededBy
            if !needs.isEmpty { try emit(step) }
            for value in step.reads { release(value) }
        }
        var exports = [Graph.Output: Stored]()
        for output in Graph.Output.allCases {
            needs = [output]
            if let value = graph.outputs[output] { exports[output] = try plain(value) }
        }
        return try allocate(exports)
    }

    // MARK: - Buffers

    func shape(_ value: Graph.Value) -> FeatureShape { syntheticShapes[value] ?? graph.shape(value) }

    /// A new value of `shape` that is not in the graph: a fallback's intermediate result, written by
    /// one call and read by the next (see ``releaseTemporary(_:)``).
    mutating func temporary(_ shape: FeatureShape) -> Graph.Value {
        let value = Graph.Value(index: -1 - calls.count)
        syntheticShapes[value] = shape
        return value
    }

    /// Frees the buffer of a ``temporary(_:)`` once its one reader has been appended.
    mutating func releaseTemporary(_ value: Graph.Value) {
        remainingReads[value] = 1
        release(value)
    }

    func dims(_ value: Graph.Value) -> [Int] { shape(value).dims(batch: batch) }

    /// A buffer of at least `bytes`: the smallest free one that fits, else the largest free
    /// one grown, else a new one.
    mutating func newBuffer(_ bytes: Int) -> Int {
        let fitting = freeBuffers.indices.filter { bufferSizes[freeBuffers[$0]] >= bytes }
        let chosen = fitting.min { bufferSizes[freeBuffers[$0]] < bufferSizes[freeBuffers[$1]] }
            ?? freeBuffers.indices.max { bufferSizes[freeBuffers[$0]] < bufferSizes[freeBuffers[$1]] }
        if let chosen {
            let id = freeBuffers.remove(at: chosen)
            bufferSizes[id] = max(bufferSizes[id], bytes)
            return id
        }
        bufferSizes.append(bytes)
        return bufferSizes.count - 1
    }

    /// Stores `value` in a new buffer laid out as `descriptor`.
    mutating func store(_ value: Graph.Value, as descriptor: TensorDescriptor) -> Location {
        let location = Location.buffer(newBuffer(descriptor.byteCount))
        stored[value] = Stored(descriptor: descriptor, location: location)
        return location
    }

    /// Counts one read of `value` done; frees its buffer after the last one (never an output's).
    mutating func release(_ value: Graph.Value) {
        remainingReads[value, default: 1] -= 1
        guard remainingReads[value] == 0, !graph.outputs.values.contains(value),
              case .buffer(let id)? = stored[value]?.location else { return }
        freeBuffers.append(id)
        stored[value] = nil
    }

    /// Removes `value` from the books and returns its location, which the caller takes over.
    mutating func take(_ value: Graph.Value) -> Location? {
        stored.removeValue(forKey: value)?.location
    }

    func location(of value: Graph.Value) throws -> Stored {
        guard let found = stored[value] else {
            throw EngineError.invalidGraph("value \(value.index) is read before it is made")
        }
        return found
    }

    /// Weights or biases in the layout a primitive chose, in bytes the plan owns.
    mutating func constant(_ values: [Float], dims: [Int], tag: dnnl_format_tag_t,
                                   as target: TensorDescriptor) throws -> Location {
        let source = try TensorDescriptor(dims, tag: tag)
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: max(target.byteCount, 64), alignment: 64)
        owned.append(bytes)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: max(target.byteCount, 64))
        var copy = values
        try copy.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            if source == target {
                bytes.copyMemory(from: base, byteCount: min(raw.count, target.byteCount))
                return
            }
            // Weights are small: one thread, so that a busy machine cannot stall a team on
            // each of these tiny parallel regions (the primitive is built for that team size).
            DNNL.setThreads(1)
            defer { DNNL.setThreads(threads) }
            let reorder = try Self.reorder(from: source, to: target, attributes: nil)
            let from = try Memory(source, pointer: base)
            let to = try Memory(target, pointer: bytes)
            var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from.raw),
                             dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to.raw)]
            try DNNL.check(dnnl_primitive_execute(reorder.raw, stream.raw, 2, &arguments), "reorder weights")
            try DNNL.check(dnnl_stream_wait(stream.raw), "reorder weights")
        }
        return .fixed(bytes)
    }

    static func reorder(from source: TensorDescriptor, to target: TensorDescriptor,
                                attributes: Attributes?) throws -> Primitive {
        var (from, to) = (source.raw, target.raw)
        var pd: dnnl_primitive_desc_t?
        let engine = try DNNL.cpu.get().raw
        try DNNL.check(dnnl_reorder_primitive_desc_create(&pd, &from, engine, &to, engine, attributes?.raw),
                       "create a reorder")
        guard let pd else { throw EngineError.library(operation: "create a reorder", status: "none") }
        return try Primitive(PrimitiveDescriptor(raw: pd), what: "a reorder")
    }

    mutating func append(_ primitive: Primitive,
                                 _ arguments: [(argument: Int32, descriptor: TensorDescriptor, location: Location)]) {
        var all = arguments
        let scratch = primitive.scratchpadBytes
        if scratch > 0 {
            scratchpadBytes = max(scratchpadBytes, scratch)
            all.append((Int32(DNNL_ARG_SCRATCHPAD), primitive.descriptor.descriptor(for: Int32(DNNL_ARG_SCRATCHPAD)),
                        .scratchpad))
        }
        calls.append(PendingCall(primitive: primitive, arguments: all, neededBy: needs))
    }

    /// `value` readable as `descriptor`: where it is, or a reordered copy (with the buffer to
    /// free after the reading call).
    mutating func readable(_ value: Graph.Value, as descriptor: TensorDescriptor) throws
        -> (location: Location, temporary: Int?) {
        let source = try location(of: value)
        if source.descriptor == descriptor { return (source.location, nil) }
        let id = newBuffer(descriptor.byteCount)
        append(try Self.reorder(from: source.descriptor, to: descriptor, attributes: Attributes()),
               [(Int32(DNNL_ARG_FROM), source.descriptor, source.location),
                (Int32(DNNL_ARG_TO), descriptor, .buffer(id))])
        return (.buffer(id), id)
    }

    /// `value` in plain NCHW (reordered into a buffer of its own when stored otherwise).
    mutating func plain(_ value: Graph.Value) throws -> Stored {
        let target = try TensorDescriptor(dims(value), tag: dnnl_nchw)
        let source = try location(of: value)
        if source.descriptor == target { return source }
        let id = newBuffer(target.byteCount)
        append(try Self.reorder(from: source.descriptor, to: target, attributes: Attributes()),
               [(Int32(DNNL_ARG_FROM), source.descriptor, source.location),
                (Int32(DNNL_ARG_TO), target, .buffer(id))])
        return Stored(descriptor: target, location: .buffer(id))
    }

    // MARK: - Steps

    private mutating func emit(_ step: Schedule.Step) throws {
        switch step.kind {
        case .convolution(let conv, let postOps, let depthwise):
            try convolution(conv, step.inputs[0], postOps: postOps, depthwise: depthwise, output: step.output)
        case .pool(let pooling):
            try pool(step.inputs[0], pooling.window, kind: pooling.kind, output: step.output)
        case .globalAveragePool:
            try globalAveragePool(step.inputs[0], output: step.output)
        case .concat:
            try concat(step.inputs, output: step.output)
        case .add(let activations):
            try binary(dnnl_binary_add, step.inputs[0], step.inputs[1], activations: activations, output: step.output)
        case .scale:
            try scale(step.inputs[0], by: step.inputs[1], output: step.output)
        case .affine(let affine, let relu):
            try self.affine(affine, step.inputs[0], relu: relu, output: step.output)
        case .layerNorm(let norm):
            try layerNorm(norm, step.inputs[0], output: step.output)
        case .activation(let activation):
            try eltwise(activation, step.inputs[0], output: step.output)
        case .linear(let linear, let activations):
            try self.linear(linear, step.inputs[0], activations: activations, output: step.output)
        }
    }

    // MARK: - Allocation

    /// Allocates the buffers and binds every call's arguments to them.
    private mutating func allocate(_ exports: [Graph.Output: Stored]) throws -> ExecutionPlan {
        var storage = owned
        owned = []
        var deallocateOnFailure = true
        defer { if deallocateOnFailure { for pointer in storage { pointer.deallocate() } } }
        var buffers: [UnsafeMutableRawPointer] = []
        for size in bufferSizes + [scratchpadBytes] {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 64), alignment: 64)
            pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(size, 64))
            storage.append(pointer)
            buffers.append(pointer)
        }
        let scratchpad = buffers[bufferSizes.count]
        func resolve(_ location: Location) -> UnsafeMutableRawPointer? {
            switch location {
            case .input: return nil
            case .buffer(let id): return buffers[id]
            case .fixed(let pointer): return pointer
            case .scratchpad: return scratchpad
            }
        }
        var memories: [Memory] = []
        var inputs: [Memory] = []
        var bound: [ExecutionPlan.Call] = []
        for call in calls {
            var arguments: [dnnl_exec_arg_t] = []
            for argument in call.arguments {
                let memory = try Memory(argument.descriptor, pointer: resolve(argument.location))
                memories.append(memory)
                if case .input = argument.location { inputs.append(memory) }
                arguments.append(dnnl_exec_arg_t(arg: argument.argument, memory: memory.raw))
            }
            bound.append(ExecutionPlan.Call(primitive: call.primitive, arguments: arguments, neededBy: call.neededBy))
        }
        var results = [Graph.Output: ExecutionPlan.Export]()
        for (output, value) in exports {
            guard let pointer = resolve(value.location) else {
                throw EngineError.invalidGraph("the \(output) output is the input itself")
            }
            let dims = value.descriptor.dims
            results[output] = ExecutionPlan.Export(pointer: UnsafePointer(pointer.assumingMemoryBound(to: Float.self)),
                                                   perImage: dims.dropFirst().reduce(1, *))
        }
        deallocateOnFailure = false
        return ExecutionPlan(batch: batch, calls: bound, inputs: inputs, exports: results, memories: memories,
                             storage: storage, stream: stream)
    }
}
