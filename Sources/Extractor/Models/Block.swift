/// One step of a backbone's trunk, run on CNHW activations.
enum Block {
    /// A plain convolution (stem, head).
    case convolution(Convolution)
    /// MobileNetV2 inverted residual / EfficientNet MBConv without squeeze-excite:
    /// optional 1×1 expansion, depthwise convolution, 1×1 projection, optional identity skip.
    case invertedResidual(expand: Convolution?, depthwise: DepthwiseConvolution, project: Convolution,
                          residual: Bool)
    /// A max-pooling layer.
    case maxPool(MaxPool)
    /// SqueezeNet fire module: 1×1 squeeze, then 1×1 and 3×3 expansions concatenated on channels.
    case fire(squeeze: Convolution, expand1x1: Convolution, expand3x3: Convolution)

    /// The output shape for an input shape.
    /// - Parameter input: one image's input shape.
    /// - Returns: one image's output shape.
    func outputShape(_ input: FeatureShape) -> FeatureShape {
        switch self {
        case .convolution(let c):
            return c.outputShape(input)
        case .invertedResidual(let expand, let depthwise, let project, _):
            return project.outputShape(depthwise.outputShape(expand?.outputShape(input) ?? input))
        case .maxPool(let pool):
            return pool.outputShape(input)
        case .fire(let squeeze, let e1, let e3):
            let s = squeeze.outputShape(input)
            var out = e1.outputShape(s)
            out.channels += e3.outputShape(s).channels
            return out
        }
    }

    /// Scratch needed by this block for one image of shape `input` (multiply by the batch for
    /// activations and columns; depthwise scratch is per thread).
    /// - Parameter input: one image's input shape.
    /// - Returns: the largest activation, im2col column and depthwise scratch, in floats.
    func requirements(_ input: FeatureShape) -> (activation: Int, column: Int, depthwise: Int) {
        switch self {
        case .convolution(let c):
            return (max(input.count, c.outputShape(input).count), c.columnSize(input, count: 1), 0)
        case .invertedResidual(let expand, let depthwise, _, _):
            let mid = expand?.outputShape(input) ?? input
            let dw = depthwise.outputShape(mid)
            return (max(input.count, mid.count, dw.count), 0, depthwise.scratchSize(mid))
        case .maxPool:
            return (input.count, 0, 0)
        case .fire(let squeeze, _, let e3):
            let s = squeeze.outputShape(input)
            return (max(input.count, s.count, outputShape(input).count), e3.columnSize(s, count: 1), 0)
        }
    }

    /// Multiply-adds ×2 for one image.
    /// - Parameter input: one image's input shape.
    /// - Returns: floating-point operations.
    func flops(_ input: FeatureShape) -> Int {
        switch self {
        case .convolution(let c):
            return c.flops(input)
        case .invertedResidual(let expand, let depthwise, let project, _):
            let mid = expand?.outputShape(input) ?? input
            return (expand?.flops(input) ?? 0) + depthwise.flops(mid) + project.flops(depthwise.outputShape(mid))
        case .maxPool:
            return 0
        case .fire(let squeeze, let e1, let e3):
            let s = squeeze.outputShape(input)
            return squeeze.flops(input) + e1.flops(s) + e3.flops(s)
        }
    }

    /// Runs the block: reads `buffers.current`, leaves its output in `buffers.current`.
    /// - Parameters:
    ///   - buffers: the workspace's three activation buffers and scratch.
    ///   - shape: one image's input shape.
    ///   - count: the batch size.
    ///   - threads: threads for the Swift loops.
    /// - Returns: one image's output shape.
    func run(_ buffers: inout ActivationBuffers, shape: FeatureShape, count: Int, threads: Int) -> FeatureShape {
        let x = UnsafePointer(buffers.current)
        let (t1, t2) = (buffers.spare, buffers.extra)
        let out: FeatureShape
        switch self {
        case .convolution(let c):
            out = c.run(x, shape: shape, count: count, output: t1, column: buffers.column, threads: threads)
        case .invertedResidual(let expand, let depthwise, let project, let residual):
            var source = x
            var mid = shape
            if let expand {
                mid = expand.run(x, shape: shape, count: count, output: t1, column: buffers.column, threads: threads)
                source = UnsafePointer(t1)
            }
            let dw = depthwise.run(source, shape: mid, count: count, output: t2, scratch: buffers.depthwise,
                                   threads: threads)
            out = project.run(t2, shape: dw, count: count, output: t1, column: buffers.column,
                              residual: residual ? x : nil, threads: threads)
        case .maxPool(let pool):
            out = pool.run(x, shape: shape, count: count, output: t1, threads: threads)
        case .fire(let squeeze, let e1, let e3):
            let s = squeeze.run(x, shape: shape, count: count, output: t2, column: buffers.column, threads: threads)
            let first = e1.run(t2, shape: s, count: count, output: t1, column: buffers.column, threads: threads)
            let second = e3.run(t2, shape: s, count: count, output: t1 + first.count * count,
                                column: buffers.column, threads: threads)
            out = FeatureShape(channels: first.channels + second.channels, height: first.height, width: first.width)
        }
        buffers.swapCurrent()
        return out
    }
}
