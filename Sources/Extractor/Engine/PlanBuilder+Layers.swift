import CDNNL

/// Pooling, concatenation, elementwise and fully connected steps.
extension PlanBuilder {
    /// Compiles an operation descriptor (`dnnl_…_desc_t`) with `activations` as post-ops.
    func primitive<Operation>(for operation: inout Operation, activations: [Activation] = [],
                              what: @autoclosure () -> String) throws -> Primitive {
        let attributes = try Attributes()
        for activation in activations { try attributes.append(activation) }
        return try Primitive(PrimitiveDescriptor.make(&operation, attributes: attributes, what: what()), what: what())
    }

    /// Appends a call of `primitive` reading stored values and making `output` in the layout
    /// the primitive chose for its destination.
    mutating func appendMaking(_ output: Graph.Value, with primitive: Primitive,
                               from sources: [(argument: Int32, value: Stored)]) {
        let out = primitive.descriptor.descriptor(for: Int32(DNNL_ARG_DST))
        append(primitive, sources.map { ($0.argument, $0.value.descriptor, $0.value.location) }
                   + [(Int32(DNNL_ARG_DST), out, store(output, as: out))])
    }

    /// Max or average pooling (global pooling is a window over the whole map).
    mutating func pool(_ x: Graph.Value, _ window: Window, kind: Pooling.Kind, output: Graph.Value) throws {
        let input = shape(x)
        let edges = window.edges(for: Extent(y: input.height, x: input.width))
        let source = try location(of: x)
        let algorithm: dnnl_alg_kind_t
        switch kind {
        case .max: algorithm = dnnl_pooling_max
        case .average(let countsPadding):
            algorithm = countsPadding ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding
        }
        var desc = dnnl_pooling_v2_desc_t()
        var src = source.descriptor.raw
        var dst = try TensorDescriptor(dims(output), tag: dnnl_format_tag_any).raw
        let strides = [window.stride.y, window.stride.x].map { dnnl_dim_t($0) }
        let kernel = [window.kernel.y, window.kernel.x].map { dnnl_dim_t($0) }
        let dilation = [window.dilation.y - 1, window.dilation.x - 1].map { dnnl_dim_t($0) }
        let left = [edges.leading.y, edges.leading.x].map { dnnl_dim_t($0) }
        let right = [edges.trailing.y, edges.trailing.x].map { dnnl_dim_t($0) }
        try DNNL.check(dnnl_pooling_v2_forward_desc_init(&desc, dnnl_forward_inference, algorithm, &src, &dst, strides,
                                                          kernel, dilation, left, right),
                       "describe a pooling on \(input)")
        try appendMaking(output, with: primitive(for: &desc, what: "a pooling on \(input)"),
                         from: [(Int32(DNNL_ARG_SRC), source)])
    }

    /// Each channel's mean, as the mean of its rows' means. oneDNN's pooling adds a window's values
    /// one by one into a float32 sum, whose rounding grows with the count: one window over
    /// EfficientNet-B6's 264×264 maps (a squeeze-excitation average) moved its seeded features by
    /// 3.4e-4 of their largest value where torch's float32 stays within 1e-6 of float64 (and torch
    /// with such sums in its squeeze-excitations moves by the same 3.4e-4). Rows first, then the
    /// column of their means, puts at most max(H, W) values into one sum (6e-7 there).
    mutating func globalAveragePool(_ x: Graph.Value, output: Graph.Value) throws {
        let input = shape(x)
        guard input.height > 1, input.width > 1 else {
            return try pool(x, Window(kernel: Extent(y: input.height, x: input.width)),
                            kind: .average(countsPadding: false), output: output)
        }
        let rows = temporary(FeatureShape(channels: input.channels, height: input.height, width: 1))
        try pool(x, Window(kernel: Extent(y: 1, x: input.width)), kind: .average(countsPadding: false), output: rows)
        try pool(rows, Window(kernel: Extent(y: input.height, x: 1)), kind: .average(countsPadding: false),
                 output: output)
        releaseTemporary(rows)
    }

    /// Channel concatenation (only where ``ConcatSplitting`` could not move it past its readers).
    mutating func concat(_ inputs: [Graph.Value], output: Graph.Value) throws {
        let sources = try inputs.map { try location(of: $0) }
        var dst = try TensorDescriptor(dims(output), tag: dnnl_format_tag_any).raw
        let descriptors = sources.map(\.descriptor.raw)
        let attributes = try Attributes()
        var pd: dnnl_primitive_desc_t?
        try DNNL.check(dnnl_concat_primitive_desc_create(&pd, &dst, Int32(inputs.count), 1, descriptors,
                                                         attributes.raw, try DNNL.cpu.get().raw),
                       "create a concatenation of \(inputs.count) tensors")
        guard let pd else { throw EngineError.library(operation: "create a concatenation", status: "none") }
        appendMaking(output, with: try Primitive(PrimitiveDescriptor(raw: pd), what: "a concatenation"),
                     from: sources.enumerated().map { (Int32(DNNL_ARG_MULTIPLE_SRC) + Int32($0.offset), $0.element) })
    }

    /// A binary primitive (`add`, or `mul` with the second operand broadcast), then activations.
    mutating func binary(_ algorithm: dnnl_alg_kind_t, _ a: Graph.Value, _ b: Graph.Value,
                         activations: [Activation], output: Graph.Value) throws {
        try binary(algorithm, try location(of: a), try location(of: b), activations: activations, output: output)
    }

    /// `x · s` with the `C×1×1` scale `s` broadcast (squeeze-excitation), both in the blocked
    /// layout (`nChw16c`): oneDNN 2.6 runs a broadcast of mixed layouts with its reference kernel,
    /// which took 56 of 60 s of EfficientNet-B0 batches. `s`, and `x` when a convolution left it in
    /// another layout (RegNet's grouped ones, see `convolutionDescriptor`), are reordered first.
    mutating func scale(_ x: Graph.Value, by s: Graph.Value, output: Graph.Value) throws {
        let (mapLayout, scaleLayout) = (try TensorDescriptor(dims(x), tag: dnnl_nChw16c),
                                        try TensorDescriptor(dims(s), tag: dnnl_nChw16c))
        let (map, mapTemporary) = try readable(x, as: mapLayout)
        let (scale, scaleTemporary) = try readable(s, as: scaleLayout)
        try binary(dnnl_binary_mul, Stored(descriptor: mapLayout, location: map),
                   Stored(descriptor: scaleLayout, location: scale), activations: [], output: output)
        for temporary in [mapTemporary, scaleTemporary] { if let temporary { freeBuffers.append(temporary) } }
    }

    private mutating func binary(_ algorithm: dnnl_alg_kind_t, _ first: Stored, _ second: Stored,
                                 activations: [Activation], output: Graph.Value) throws {
        var desc = dnnl_binary_desc_t()
        var (src0, src1) = (first.descriptor.raw, second.descriptor.raw)
        var dst = try TensorDescriptor(dims(output), tag: dnnl_format_tag_any).raw
        try DNNL.check(dnnl_binary_desc_init(&desc, algorithm, &src0, &src1, &dst), "describe a binary operation")
        try appendMaking(output, with: primitive(for: &desc, activations: activations, what: "a binary operation"),
                         from: [(Int32(DNNL_ARG_SRC_0), first), (Int32(DNNL_ARG_SRC_1), second)])
    }

    /// A per-channel affine map, then a ReLU if `relu`, as oneDNN's inference batch norm on
    /// the stored layout (one pass; a binary multiply with the offset as a post-op fell back to
    /// oneDNN's reference loops on blocked layouts, 40× slower): running mean 0, variance 1 and
    /// ε 0 make it `scale · x + shift` exactly.
    mutating func affine(_ affine: Affine, _ x: Graph.Value, relu: Bool, output: Graph.Value) throws {
        let source = try location(of: x)
        let channels = shape(x).channels
        var flags = dnnl_use_global_stats.rawValue | dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
        if relu { flags |= dnnl_fuse_norm_relu.rawValue }
        var desc = dnnl_batch_normalization_desc_t()
        var data = source.descriptor.raw
        try DNNL.check(dnnl_batch_normalization_forward_desc_init(&desc, dnnl_forward_inference, &data, 0, flags),
                       "describe an affine map on \(shape(x))")
        let primitive = try primitive(for: &desc, what: "an affine map on \(shape(x))")
        let pd = primitive.descriptor
        func vector(_ values: [Float], _ argument: Int32) throws -> (Int32, TensorDescriptor, Location) {
            let target = pd.descriptor(for: argument)
            return (argument, target, try constant(values, dims: [channels], tag: dnnl_x, as: target))
        }
        let out = pd.descriptor(for: Int32(DNNL_ARG_DST))
        append(primitive, [
            (Int32(DNNL_ARG_SRC), source.descriptor, source.location),
            try vector([Float](repeating: 0, count: channels), Int32(DNNL_ARG_MEAN)),
            try vector([Float](repeating: 1, count: channels), Int32(DNNL_ARG_VARIANCE)),
            try vector(affine.scale, Int32(DNNL_ARG_SCALE)),
            try vector(affine.shift, Int32(DNNL_ARG_SHIFT)),
            (Int32(DNNL_ARG_DST), out, store(output, as: out)),
        ])
    }

    /// An elementwise function as its own primitive.
    mutating func eltwise(_ activation: Activation, _ x: Graph.Value, output: Graph.Value) throws {
        let source = try location(of: x)
        let (kind, alpha, beta) = activation.algorithm
        var desc = dnnl_eltwise_desc_t()
        var data = source.descriptor.raw
        try DNNL.check(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, kind, &data, alpha, beta),
                       "describe \(activation)")
        try appendMaking(output, with: primitive(for: &desc, what: "\(activation)"),
                         from: [(Int32(DNNL_ARG_SRC), source)])
    }

    /// A fully connected layer (oneDNN inner product) on the flattened input, then activations;
    /// the result is stored as plain `N × outputs × 1 × 1`.
    mutating func linear(_ linear: Linear, _ x: Graph.Value, activations: [Activation], output: Graph.Value) throws {
        let input = shape(x)
        let weightDims = [linear.outputs, input.channels, input.height, input.width]
        var desc = dnnl_inner_product_desc_t()
        var src = try TensorDescriptor(dims(x), tag: dnnl_format_tag_any).raw
        var weights = try TensorDescriptor(weightDims, tag: dnnl_format_tag_any).raw
        var bias = try TensorDescriptor([linear.outputs], tag: dnnl_x).raw
        let flat = try TensorDescriptor([batch, linear.outputs], tag: dnnl_nc)
        var dst = flat.raw
        try DNNL.check(dnnl_inner_product_forward_desc_init(&desc, dnnl_forward_inference, &src, &weights, &bias, &dst),
                       "describe a linear layer \(linear.inputs) → \(linear.outputs)")
        let primitive = try primitive(for: &desc, activations: activations, what: "a linear layer")
        let pd = primitive.descriptor
        let srcDescriptor = pd.descriptor(for: Int32(DNNL_ARG_SRC))
        let (source, temporary) = try readable(x, as: srcDescriptor)
        let weightsDescriptor = pd.descriptor(for: Int32(DNNL_ARG_WEIGHTS))
        let biasDescriptor = pd.descriptor(for: Int32(DNNL_ARG_BIAS))
        let biases = linear.bias.isEmpty ? [Float](repeating: 0, count: linear.outputs) : linear.bias
        let destination = store(output, as: try flat.reshaped([batch, linear.outputs, 1, 1]))
        append(primitive, [
            (Int32(DNNL_ARG_SRC), srcDescriptor, source),
            (Int32(DNNL_ARG_WEIGHTS), weightsDescriptor,
             try constant(linear.weights, dims: weightDims, tag: dnnl_oihw, as: weightsDescriptor)),
            (Int32(DNNL_ARG_BIAS), biasDescriptor,
             try constant(biases, dims: [linear.outputs], tag: dnnl_x, as: biasDescriptor)),
            (Int32(DNNL_ARG_DST), flat, destination),
        ])
        if let temporary { freeBuffers.append(temporary) }
    }
}
