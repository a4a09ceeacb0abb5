import CDNNL

/// Thin Swift ownership around the oneDNN C API: the process's CPU engine, memory
/// descriptors, and objects destroyed when their Swift owner goes.
enum DNNL {
    /// Turns a oneDNN status into an ``EngineError``.
    /// - Parameters:
    ///   - status: what the call returned.
    ///   - operation: what was being done, for the message (e.g. "create a convolution").
    /// - Throws: ``EngineError/library(operation:status:)`` unless `status` is success.
    static func check(_ status: dnnl_status_t, _ operation: @autoclosure () -> String) throws(EngineError) {
        guard status != dnnl_success else { return }
        throw EngineError.library(operation: operation(), status: name(of: status))
    }

    /// oneDNN's name for a status.
    static func name(of status: dnnl_status_t) -> String {
        switch status {
        case dnnl_out_of_memory: return "out_of_memory"
        case dnnl_invalid_arguments: return "invalid_arguments"
        case dnnl_unimplemented: return "unimplemented"
        case dnnl_runtime_error: return "runtime_error"
        case dnnl_not_required: return "not_required"
        default: return "status \(status.rawValue)"
        }
    }

    /// The CPU engine every plan of the process uses (made on first use).
    static let cpu: Result<CPUEngine, EngineError> = Result { () throws(EngineError) in try CPUEngine() }

    /// Sets the OpenMP team size for parallel regions started by the calling thread. OpenMP
    /// keeps this setting per thread, so it is set before every build and every run.
    /// - Parameter threads: the team size (at least 1).
    static func setThreads(_ threads: Int) {
        omp_set_num_threads(Int32(max(1, threads)))
    }
}

/// The oneDNN CPU engine.
final class CPUEngine: @unchecked Sendable {
    /// The C handle; oneDNN engines may be shared between threads.
    let raw: dnnl_engine_t

    init() throws(EngineError) {
        var engine: dnnl_engine_t?
        try DNNL.check(dnnl_engine_create(&engine, dnnl_cpu, 0), "create its CPU engine")
        guard let engine else { throw EngineError.library(operation: "create its CPU engine", status: "no engine") }
        raw = engine
    }

    deinit { dnnl_engine_destroy(raw) }
}

/// A oneDNN memory descriptor: logical dimensions, data type (always f32 here) and physical layout.
struct TensorDescriptor: Equatable {
    /// The C struct.
    var raw: dnnl_memory_desc_t

    /// A descriptor from a format tag.
    /// - Parameters:
    ///   - dims: logical dimensions, e.g. `[N, C, H, W]`.
    ///   - tag: the layout (`dnnl_nchw`, `dnnl_nChw16c`, `dnnl_format_tag_any`, …).
    /// - Throws: ``EngineError`` when oneDNN refuses the combination.
    init(_ dims: [Int], tag: dnnl_format_tag_t) throws(EngineError) {
        var md = dnnl_memory_desc_t()
        let sizes = dims.map { dnnl_dim_t($0) }
        try DNNL.check(dnnl_memory_desc_init_by_tag(&md, Int32(sizes.count), sizes, dnnl_f32, tag),
                       "describe a tensor of dimensions \(dims)")
        raw = md
    }

    /// Wraps a descriptor oneDNN returned.
    init(raw: dnnl_memory_desc_t) { self.raw = raw }

    /// The same memory seen with other logical dimensions (only for plain layouts).
    /// - Parameter dims: the new dimensions, same element count.
    /// - Returns: the reshaped descriptor.
    /// - Throws: ``EngineError`` when the layout cannot be reshaped.
    func reshaped(_ dims: [Int]) throws(EngineError) -> TensorDescriptor {
        var out = dnnl_memory_desc_t()
        var source = raw
        let sizes = dims.map { dnnl_dim_t($0) }
        try DNNL.check(dnnl_memory_desc_reshape(&out, &source, Int32(sizes.count), sizes),
                       "reshape a tensor to \(dims)")
        return TensorDescriptor(raw: out)
    }

    /// Bytes the memory takes, including any padding of blocked layouts.
    var byteCount: Int {
        var copy = raw
        return dnnl_memory_desc_get_size(&copy)
    }

    /// The logical dimensions.
    var dims: [Int] {
        withUnsafeBytes(of: raw.dims) { bytes in
            Array(bytes.bindMemory(to: dnnl_dim_t.self).prefix(Int(raw.ndims))).map { Int($0) }
        }
    }

    static func == (lhs: TensorDescriptor, rhs: TensorDescriptor) -> Bool {
        var (a, b) = (lhs.raw, rhs.raw)
        return dnnl_memory_desc_equal(&a, &b) != 0
    }
}

/// A primitive descriptor (oneDNN's chosen implementation and layouts); destroyed with its owner.
final class PrimitiveDescriptor {
    /// The C handle.
    let raw: dnnl_primitive_desc_t

    /// Creates an implementation for an operation descriptor.
    /// - Parameters:
    ///   - operation: a pointer to a `dnnl_…_desc_t`.
    ///   - attributes: post-ops and scratchpad mode.
    ///   - what: the operation, for errors.
    /// - Throws: ``EngineError`` (status `unimplemented` when no implementation accepts it).
    init(_ operation: UnsafeRawPointer, attributes: Attributes, what: @autoclosure () -> String) throws(EngineError) {
        var pd: dnnl_primitive_desc_t?
        try DNNL.check(dnnl_primitive_desc_create(&pd, operation, attributes.raw, try DNNL.cpu.get().raw, nil),
                       "create \(what())")
        guard let pd else { throw EngineError.library(operation: "create \(what())", status: "no descriptor") }
        raw = pd
    }

    /// Creates an implementation for an operation descriptor struct (`dnnl_convolution_desc_t`, …).
    /// - Parameters:
    ///   - operation: the operation descriptor, initialised by its `dnnl_…_desc_init`.
    ///   - attributes: post-ops and scratchpad mode.
    ///   - what: the operation, for errors.
    /// - Returns: the descriptor.
    /// - Throws: ``EngineError`` (status `unimplemented` when no implementation accepts it).
    static func make<Operation>(_ operation: inout Operation, attributes: Attributes,
                                what: @autoclosure () -> String) throws -> PrimitiveDescriptor {
        try withUnsafeBytes(of: &operation) { bytes in
            guard let base = bytes.baseAddress else {
                throw EngineError.library(operation: "create \(what())", status: "empty operation descriptor")
            }
            return try PrimitiveDescriptor(base, attributes: attributes, what: what())
        }
    }

    /// Wraps a descriptor made by a creation function other than `dnnl_primitive_desc_create`.
    init(raw: dnnl_primitive_desc_t) { self.raw = raw }

    deinit { dnnl_primitive_desc_destroy(raw) }

    /// oneDNN's name for the chosen implementation, e.g. `jit_1x1:avx512_core` or `ref:any`.
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(raw, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else {
            return ""
        }
        return String(cString: name)
    }

    /// Whether oneDNN fell back to its slow reference code (plain loops) for this operation.
    var isReference: Bool { implementation.hasPrefix("ref:") }

    /// The layout chosen for an argument (e.g. `DNNL_ARG_WEIGHTS`).
    /// - Parameter argument: a `DNNL_ARG_…` index.
    /// - Returns: its descriptor (zero dimensions when the argument is unused).
    func descriptor(for argument: Int32) -> TensorDescriptor {
        guard let md = dnnl_primitive_desc_query_md(raw, dnnl_query_exec_arg_md, argument) else {
            return TensorDescriptor(raw: dnnl_memory_desc_t())
        }
        return TensorDescriptor(raw: md.pointee)
    }
}

/// Primitive attributes: post-ops and a user-provided scratchpad.
final class Attributes {
    /// The C handle.
    let raw: dnnl_primitive_attr_t
    private let postOps: dnnl_post_ops_t

    /// Attributes with an empty post-op chain and the scratchpad supplied at execution.
    init() throws(EngineError) {
        var attr: dnnl_primitive_attr_t?
        var ops: dnnl_post_ops_t?
        try DNNL.check(dnnl_primitive_attr_create(&attr), "create primitive attributes")
        guard let attr else { throw EngineError.library(operation: "create primitive attributes", status: "none") }
        raw = attr
        guard dnnl_post_ops_create(&ops) == dnnl_success, let ops else {
            dnnl_primitive_attr_destroy(attr)
            throw EngineError.library(operation: "create a post-op chain", status: "none")
        }
        postOps = ops
        try DNNL.check(dnnl_primitive_attr_set_scratchpad_mode(raw, dnnl_scratchpad_mode_user),
                       "ask for a user scratchpad")
    }

    deinit {
        dnnl_post_ops_destroy(postOps)
        dnnl_primitive_attr_destroy(raw)
    }

    /// Appends an elementwise function applied to the result so far.
    /// - Parameter activation: the function.
    /// - Throws: ``EngineError`` when oneDNN refuses it.
    func append(_ activation: Activation) throws(EngineError) {
        let (kind, alpha, beta) = activation.algorithm
        try DNNL.check(dnnl_post_ops_append_eltwise(postOps, 1, kind, alpha, beta), "append \(activation)")
        try commit()
    }

    /// Appends `result += destination's previous contents` (an in-place residual add).
    /// - Throws: ``EngineError`` when oneDNN refuses it.
    func appendSum() throws(EngineError) {
        try DNNL.check(dnnl_post_ops_append_sum(postOps, 1), "append a residual sum")
        try commit()
    }

    /// Appends a fused depthwise 3×3 convolution (padding 1 at the top and left) to a 1×1
    /// convolution's result.
    /// - Parameter stride: 1 or 2.
    /// - Throws: ``EngineError`` when oneDNN refuses it.
    func appendDepthwise(stride: Int) throws(EngineError) {
        try DNNL.check(dnnl_post_ops_append_dw(postOps, dnnl_f32, dnnl_f32, dnnl_f32, 3, dnnl_dim_t(stride), 1, 0, 0,
                                               nil),
                       "append a fused depthwise convolution")
        try commit()
    }

    private func commit() throws(EngineError) {
        try DNNL.check(dnnl_primitive_attr_set_post_ops(raw, postOps), "set post-ops")
    }
}

/// A compiled primitive; destroyed with its owner.
final class Primitive {
    /// The C handle.
    let raw: dnnl_primitive_t
    /// Its descriptor (kept for the scratchpad size and argument layouts).
    let descriptor: PrimitiveDescriptor

    /// JIT-compiles the implementation a descriptor chose.
    /// - Parameters:
    ///   - descriptor: the implementation.
    ///   - what: the operation, for errors.
    /// - Throws: ``EngineError`` when compilation fails.
    init(_ descriptor: PrimitiveDescriptor, what: @autoclosure () -> String) throws(EngineError) {
        var primitive: dnnl_primitive_t?
        try DNNL.check(dnnl_primitive_create(&primitive, descriptor.raw), "compile \(what())")
        guard let primitive else { throw EngineError.library(operation: "compile \(what())", status: "none") }
        raw = primitive
        self.descriptor = descriptor
    }

    deinit { dnnl_primitive_destroy(raw) }

    /// Bytes of scratchpad the primitive needs at execution.
    var scratchpadBytes: Int { descriptor.descriptor(for: Int32(DNNL_ARG_SCRATCHPAD)).byteCount }
}

/// A oneDNN memory object over caller-owned bytes; destroyed with its owner (the bytes are not).
final class Memory {
    /// The C handle.
    let raw: dnnl_memory_t

    /// Wraps `pointer` (which must outlive this object) with a descriptor.
    /// - Parameters:
    ///   - descriptor: the layout.
    ///   - pointer: the bytes, or nil to set them later with ``point(at:)``.
    /// - Throws: ``EngineError`` when oneDNN refuses.
    init(_ descriptor: TensorDescriptor, pointer: UnsafeMutableRawPointer?) throws(EngineError) {
        var memory: dnnl_memory_t?
        var md = descriptor.raw
        try DNNL.check(dnnl_memory_create(&memory, &md, try DNNL.cpu.get().raw, pointer), "wrap a buffer")
        guard let memory else { throw EngineError.library(operation: "wrap a buffer", status: "none") }
        raw = memory
    }

    deinit { dnnl_memory_destroy(raw) }

    /// Points the memory at other bytes (the input batch of each call).
    /// - Parameter pointer: the bytes.
    /// - Throws: ``EngineError`` when oneDNN refuses.
    func point(at pointer: UnsafeMutableRawPointer) throws(EngineError) {
        try DNNL.check(dnnl_memory_set_data_handle(raw, pointer), "set a buffer")
    }
}

/// An in-order execution stream on the CPU engine; destroyed with its owner.
final class Stream {
    /// The C handle.
    let raw: dnnl_stream_t

    init() throws(EngineError) {
        var stream: dnnl_stream_t?
        try DNNL.check(dnnl_stream_create(&stream, try DNNL.cpu.get().raw, dnnl_stream_default_flags.rawValue),
                       "create an execution stream")
        guard let stream else { throw EngineError.library(operation: "create an execution stream", status: "none") }
        raw = stream
    }

    deinit { dnnl_stream_destroy(raw) }
}
