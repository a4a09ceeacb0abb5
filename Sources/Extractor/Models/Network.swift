/// The 1000-way ImageNet classifier on top of a trunk.
enum ClassifierHead {
    /// Global average pool, then a fully connected layer (MobileNetV2, EfficientNet-Lite).
    case linear(Linear)
    /// A 1×1 convolution with activation on the feature map, then global average pool (SqueezeNet).
    case pooledConvolution(Convolution)

    /// The number of classes.
    var classes: Int {
        switch self {
        case .linear(let l): return l.outputs
        case .pooledConvolution(let c): return c.outputChannels
        }
    }
}

/// A backbone's layers and the bookkeeping to run them over a batch: trunk blocks from the
/// input image to the last feature map, its global average (the feature vector) and a head.
struct Network {
    /// One input image's shape (3×S×S).
    let input: FeatureShape
    /// The trunk, input to last feature map.
    let blocks: [Block]
    /// The classifier.
    let head: ClassifierHead
    /// The last feature map's shape, one image.
    let featureShape: FeatureShape

    /// Assembles a network and works out its shapes.
    /// - Parameters:
    ///   - input: one input image's shape.
    ///   - blocks: the trunk.
    ///   - head: the classifier.
    init(input: FeatureShape, blocks: [Block], head: ClassifierHead) {
        self.input = input
        self.blocks = blocks
        self.head = head
        featureShape = blocks.reduce(input) { $1.outputShape($0) }
    }

    /// Length of the pooled feature vector.
    var featureDimension: Int { featureShape.channels }

    /// Number of classes of the head.
    var classes: Int { head.classes }

    /// Per-image scratch sizes (floats): the largest activation, im2col column and depthwise plane.
    func requirements() -> (activation: Int, column: Int, depthwise: Int) {
        var shape = input
        var need = (activation: input.count, column: 0, depthwise: 0)
        for block in blocks {
            let r = block.requirements(shape)
            need = (max(need.activation, r.activation), max(need.column, r.column), max(need.depthwise, r.depthwise))
            shape = block.outputShape(shape)
        }
        if case .pooledConvolution(let c) = head {
            need.activation = max(need.activation, c.outputShape(shape).count)
            need.column = max(need.column, c.columnSize(shape, count: 1))
        }
        return need
    }

    /// Floating-point operations (multiply-adds ×2) of one image through trunk and head.
    var flopsPerImage: Int {
        var shape = input
        var total = 0
        for block in blocks {
            total += block.flops(shape)
            shape = block.outputShape(shape)
        }
        switch head {
        case .linear(let l): total += l.flops
        case .pooledConvolution(let c): total += c.flops(shape)
        }
        return total
    }

    /// Runs the trunk on an NCHW batch.
    /// - Parameters:
    ///   - input: `count × 3 × S × S` values.
    ///   - count: the number of images, at most `workspace.count`.
    ///   - workspace: buffers sized for at least `count` images.
    ///   - threads: threads for the Swift loops and the column blocks of each sgemm.
    /// - Returns: the buffers, whose `current` holds the last feature map in CNHW order.
    func trunk(_ input: UnsafePointer<Float>, count: Int, workspace: Workspace, threads: Int) -> ActivationBuffers {
        precondition(count <= workspace.count, "workspace for \(workspace.count) images, batch of \(count)")
        var buffers = workspace.buffers
        // NCHW → CNHW.
        let plane = self.input.planeSize
        for image in 0..<count {
            for c in 0..<self.input.channels {
                (buffers.current + (c * count + image) * plane)
                    .update(from: input + (image * self.input.channels + c) * plane, count: plane)
            }
        }
        var shape = self.input
        for block in blocks {
            shape = block.run(&buffers, shape: shape, count: count, threads: threads)
        }
        return buffers
    }

    /// Runs trunk, pooling and (optionally) the head.
    /// - Parameters:
    ///   - input: `count × 3 × S × S` values.
    ///   - count: the number of images, at most `workspace.count`.
    ///   - workspace: buffers for at least `count` images; receives `features` and, if asked, `logits`.
    ///   - withLogits: whether to run the classifier.
    ///   - threads: threads for the Swift loops and the column blocks of each sgemm.
    func forward(_ input: UnsafePointer<Float>, count: Int, workspace: Workspace, withLogits: Bool, threads: Int) {
        var buffers = trunk(input, count: count, workspace: workspace, threads: threads)
        globalAveragePool(buffers.current, shape: featureShape, count: count, output: workspace.features,
                          threads: threads)
        guard withLogits else { return }
        switch head {
        case .linear(let linear):
            linear.run(workspace.features, count: count, output: workspace.logits)
        case .pooledConvolution(let conv):
            let out = conv.run(buffers.current, shape: featureShape, count: count, output: buffers.spare,
                               column: buffers.column, threads: threads)
            buffers.swapCurrent()
            globalAveragePool(buffers.current, shape: out, count: count, output: workspace.logits, threads: threads)
        }
    }
}
