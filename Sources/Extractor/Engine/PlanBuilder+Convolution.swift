import CDNNL

/// Convolutions, with their fusions and fallbacks.
extension PlanBuilder {
    func weightDims(_ conv: Convolution) -> (dims: [Int], tag: dnnl_format_tag_t) {
        let (o, i, g, k) = (conv.outputChannels, conv.inputChannels, conv.groups, conv.window.kernel)
        return g == 1 ? ([o, i, k.y, k.x], dnnl_oihw) : ([g, o / g, i / g, k.y, k.x], dnnl_goihw)
    }

    func bias(_ conv: Convolution) -> [Float] {
        conv.bias.isEmpty ? [Float](repeating: 0, count: conv.outputChannels) : conv.bias
    }

    /// The algorithms to try, in order. Direct convolution, except for dense 3×3 stride-1
    /// layers: Winograd F(4×4, 3×3) first where both channel counts are multiples of 16 (oneDNN
    /// 2.6 has it for AVX-512 only, hence the fallback), else oneDNN's choice. oneDNN's own
    /// choice (`auto`) takes Winograd only for 4 or more images per call, and VGG's large maps
    /// run one image per call (see `CompiledNetwork.chunk`): forced, VGG-16 ran 2.3× faster
    /// (5.4 vs 2.3 img/s, batch 16, 2 threads), ResNet-50 no slower, and SqueezeNet's
    /// expand3x3 layers were already Winograd. Its rounding differs a little more from
    /// PyTorch's: VGG-16's features within 1.7e-6 of their largest value (direct: 1.3e-6).
    private func algorithms(_ conv: Convolution) -> [dnnl_alg_kind_t] {
        let w = conv.window
        guard conv.groups == 1, w.kernel == Extent(3), w.stride == Extent(1), w.dilation == Extent(1) else {
            return [dnnl_convolution_direct]
        }
        let blocked = conv.inputChannels % 16 == 0 && conv.outputChannels % 16 == 0
        return blocked ? [dnnl_convolution_winograd, dnnl_convolution_auto] : [dnnl_convolution_auto]
    }

    /// A convolution primitive descriptor: weights `any`, destination `nChw16c`, and the source
    /// as `x` is stored unless only oneDNN's reference code takes that; then `any` (and a reorder).
    /// Where that is still the reference code and `anyDestination` allows, both layouts are
    /// oneDNN's choice: grouped convolutions whose groups are not multiples of 16 channels
    /// (RegNet's 8, 24, 56) have no `nChw16c` kernel, but `nChw8c` or `nhwc` ones (the
    /// reference code took 99.9 % of RegNetY-400MF's time).
    func convolutionDescriptor(_ conv: Convolution, _ x: Graph.Value, output: FeatureShape,
                               attributes: Attributes, anyDestination: Bool = false) throws -> PrimitiveDescriptor {
        let stored = try location(of: x).descriptor
        let input = shape(x)
        let dst = try TensorDescriptor(output.dims(batch: batch), tag: dnnl_nChw16c)
        let first = try convolutionDescriptor(conv, input: input, source: stored, destination: dst,
                                              attributes: attributes)
        guard first.isReference else { return first }
        let any = try TensorDescriptor(input.dims(batch: batch), tag: dnnl_format_tag_any)
        if let second = try? convolutionDescriptor(conv, input: input, source: any, destination: dst,
                                                   attributes: attributes), !second.isReference {
            return second
        }
        guard anyDestination else { return first }
        let free = try TensorDescriptor(output.dims(batch: batch), tag: dnnl_format_tag_any)
        let third = try? convolutionDescriptor(conv, input: input, source: any, destination: free,
                                               attributes: attributes)
        return third.map { $0.isReference ? first : $0 } ?? first
    }

    private func convolutionDescriptor(_ conv: Convolution, input: FeatureShape, source: TensorDescriptor,
                                       destination: TensorDescriptor,
                                       attributes: Attributes) throws -> PrimitiveDescriptor {
        let w = conv.window
        let edges = w.edges(for: Extent(y: input.height, x: input.width))
        let strides = [w.stride.y, w.stride.x].map { dnnl_dim_t($0) }
        let dilates = [w.dilation.y - 1, w.dilation.x - 1].map { dnnl_dim_t($0) }
        let left = [edges.leading.y, edges.leading.x].map { dnnl_dim_t($0) }
        let right = [edges.trailing.y, edges.trailing.x].map { dnnl_dim_t($0) }
        let candidates = algorithms(conv)
        for (index, algorithm) in candidates.enumerated() {
            var desc = dnnl_convolution_desc_t()
            var src = source.raw
            var weights = try TensorDescriptor(weightDims(conv).dims, tag: dnnl_format_tag_any).raw
            var bias = try TensorDescriptor([conv.outputChannels], tag: dnnl_x).raw
            var dst = destination.raw
            try DNNL.check(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, algorithm,
                                                                       &src, &weights, &bias, &dst, strides, dilates,
                                                                       left, right),
                           "describe a \(conv.window.kernel.y)×\(conv.window.kernel.x) convolution on \(input)")
            guard index < candidates.count - 1 else {
                return try PrimitiveDescriptor.make(&desc, attributes: attributes, what: "a convolution on \(input)")
            }
            if let made = try? PrimitiveDescriptor.make(&desc, attributes: attributes, what: "a convolution on \(input)") {
                return made
            }
        }
        throw EngineError.invalidGraph("no convolution algorithm for \(input)")
    }

    mutating func convolution(_ conv: Convolution, _ x: Graph.Value, postOps: [Schedule.PostOp],
                                      depthwise: Schedule.FusedDepthwise?, output: Graph.Value) throws {
        let input = shape(x)
        if let depthwise {
            if try fusedConvolution(conv, x, postOps: postOps, depthwise: depthwise, output: output) { return }
            // oneDNN refused the fusion: two convolutions.
            try convolution(conv, x, postOps: postOps, depthwise: nil, output: depthwise.input)
            try convolution(depthwise.convolution, depthwise.input,
                            postOps: depthwise.activations.map(Schedule.PostOp.activation), depthwise: nil,
                            output: output)
            release(depthwise.input)
            return
        }
        let attributes = try Attributes()
        var sumOperand: Graph.Value?
        for op in postOps {
            switch op {
            case .activation(let a): try attributes.append(a)
            case .sum(let value):
                try attributes.appendSum()
                sumOperand = value
            }
        }
        let destination = try TensorDescriptor(dims(output), tag: dnnl_nChw16c)
        if let other = sumOperand, try location(of: other).descriptor != destination {
            try splitSum(conv, x, postOps: postOps, other: other, output: output)
            return
        }
        // A sum post-op writes into its operand's nChw16c buffer: the destination layout is fixed then.
        let pd = try convolutionDescriptor(conv, x, output: shape(output), attributes: attributes,
                                           anyDestination: sumOperand == nil)
        let primitive = try Primitive(pd, what: "a convolution on \(input)")
        try bind(primitive, conv, x, sumOperand: sumOperand, depthwise: nil, output: output)
    }

    /// Tries the `append_dw` fusion; false when oneDNN refuses it.
    mutating func fusedConvolution(_ conv: Convolution, _ x: Graph.Value, postOps: [Schedule.PostOp],
                                           depthwise: Schedule.FusedDepthwise, output: Graph.Value) throws -> Bool {
        let attributes = try Attributes()
        for case .activation(let a) in postOps { try attributes.append(a) }
        try attributes.appendDepthwise(stride: depthwise.convolution.window.stride.y)
        for a in depthwise.activations { try attributes.append(a) }
        guard let pd = try? convolutionDescriptor(conv, x, output: shape(depthwise.input),
                                                  attributes: attributes),
              pd.descriptor(for: Int32(DNNL_ARG_DST)).dims == dims(output),
              let primitive = try? Primitive(pd, what: "a fused convolution") else { return false }
        try bind(primitive, conv, x, sumOperand: nil, depthwise: depthwise.convolution, output: output)
        return true
    }

    /// A convolution whose residual operand is stored in another layout: the convolution
    /// (with the activations before the sum) into a temporary, then a binary add.
    mutating func splitSum(_ conv: Convolution, _ x: Graph.Value, postOps: [Schedule.PostOp],
                                   other: Graph.Value, output: Graph.Value) throws {
        guard let cut = postOps.firstIndex(where: { if case .sum = $0 { return true } else { return false } }) else {
            return
        }
        let temporary = temporary(shape(output))
        try convolution(conv, x, postOps: Array(postOps[..<cut]), depthwise: nil, output: temporary)
        var after: [Activation] = []
        for case .activation(let a) in postOps[(cut + 1)...] { after.append(a) }
        try binary(dnnl_binary_add, temporary, other, activations: after, output: output)
        releaseTemporary(temporary)
    }

    /// Binds a convolution primitive's arguments and stores its output.
    mutating func bind(_ primitive: Primitive, _ conv: Convolution, _ x: Graph.Value,
                       sumOperand: Graph.Value?, depthwise: Convolution?, output: Graph.Value) throws {
        let pd = primitive.descriptor
        let src = pd.descriptor(for: Int32(DNNL_ARG_SRC))
        let (source, temporary) = try readable(x, as: src)
        let w = weightDims(conv)
        var arguments: [(argument: Int32, descriptor: TensorDescriptor, location: Location)] = [
            (Int32(DNNL_ARG_SRC), src, source),
            (Int32(DNNL_ARG_WEIGHTS), pd.descriptor(for: Int32(DNNL_ARG_WEIGHTS)),
             try constant(conv.weights, dims: w.dims, tag: w.tag, as: pd.descriptor(for: Int32(DNNL_ARG_WEIGHTS)))),
            (Int32(DNNL_ARG_BIAS), pd.descriptor(for: Int32(DNNL_ARG_BIAS)),
             try constant(bias(conv), dims: [conv.outputChannels], tag: dnnl_x,
                          as: pd.descriptor(for: Int32(DNNL_ARG_BIAS)))),
        ]
        if let dw = depthwise {
            let weightsArgument = Int32(DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS)
            let biasArgument = Int32(DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS)
            let dwDims = weightDims(dw)
            arguments.append((weightsArgument, pd.descriptor(for: weightsArgument),
                              try constant(dw.weights, dims: dwDims.dims, tag: dwDims.tag,
                                           as: pd.descriptor(for: weightsArgument))))
            arguments.append((biasArgument, pd.descriptor(for: biasArgument),
                              try constant(bias(dw), dims: [dw.outputChannels], tag: dnnl_x,
                                           as: pd.descriptor(for: biasArgument))))
        }
        let dst = pd.descriptor(for: Int32(DNNL_ARG_DST))
        let destination: Location
        if let other = sumOperand, let taken = take(other) {
            destination = taken
            stored[output] = Stored(descriptor: dst, location: taken)
        } else {
            destination = store(output, as: dst)
        }
        arguments.append((Int32(DNNL_ARG_DST), dst, destination))
        append(primitive, arguments)
        if let temporary { freeBuffers.append(temporary) }
    }
}
