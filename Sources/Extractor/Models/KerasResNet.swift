/// Keras' ResNet50/101/152 (v1) and ResNet50V2/101V2/152V2 (`keras.applications.ResNet50`, …,
/// `ResNet152V2`) from their `.h5` weights, as `keras/src/applications/resnet.py` and
/// `resnet_v2.py` build them. Every batch norm has
/// ε 1.001e-5, every convolution a bias except ResNetV2's `_1_conv` and `_2_conv`.
///
/// - **v1**: stem `conv1_conv` 7×7/2 (zero padding 3) → `conv1_bn` → ReLU → 3×3/2 max pool
///   (zero padding 1); stages of bottlenecks of width 64, 128, 256, 512 (3, 4, 6, 3 blocks in the
///   50-layer nets, 3, 4, 23, 3 in the 101, 3, 8, 36, 3 in the 152; see ``stages(depth:)``). A block
///   strides on its *first* 1×1 convolution (`_1_conv`, unlike torchvision's v1.5) and on the
///   1×1 shortcut `_0_conv` of its stage's first block; `_3_conv` expands ×4; `_out` = ReLU(sum).
/// - **v2** (pre-activation): stem `conv1_conv` 7×7/2 and the max pool, no batch norm;
///   each block starts `_preact_bn` → ReLU, which feeds the 1×1 `_0_conv` shortcut (first block
///   of a stage) and `_1_conv`; a stage strides on its *last* block (3×3 `_2_conv`, and a 1×1/2
///   max-pool subsampling as the shortcut), except conv5; `_out` = sum with no activation;
///   `post_bn` → ReLU after the last block.
///
/// Outputs: the feature map is the last block's output (v1 `conv5_block3_out`, v2 `post_relu`;
/// 2048×7×7), the features its global average, the logits `predictions` before its softmax
/// when the file has the classifier.
enum KerasResNet {
    /// The two kinds.
    enum Version: Sendable, Equatable {
        /// ResNet50/101/152, `caffe` preprocessing.
        case v1
        /// ResNet50V2/101V2/152V2, `tf` preprocessing.
        case v2
    }

    /// The depths Keras publishes, with their blocks in conv3 and conv4 (conv2 and conv5 have 3).
    static let depths = [50: (4, 6), 101: (4, 23), 152: (8, 36)]

    /// Blocks per stage of a depth (the same for v1 and v2).
    /// - Parameter depth: 50, 101 or 152 (another depth gets ResNet50's stages).
    /// - Returns: each stage's name, width and block count.
    static func stages(depth: Int) -> [(name: String, width: Int, blocks: Int)] {
        let (conv3, conv4) = depths[depth] ?? (4, 6)
        return [("conv2", 64, 3), ("conv3", 128, conv3), ("conv4", 256, conv4), ("conv5", 512, 3)]
    }

    /// Keras' batch-norm ε in the ResNets.
    static let epsilon: Float = 1.001e-5

    /// One block's place and sizes.
    struct Block {
        /// Layer name prefix, e.g. `conv3_block1`.
        let name: String
        /// Input channels.
        let inputs: Int
        /// Width of the 1×1 and 3×3 convolutions.
        let width: Int
        /// The block's stride.
        let stride: Int
        /// Whether the shortcut is a 1×1 convolution (the first block of a stage).
        let convolutionShortcut: Bool

        /// Output channels.
        var outputs: Int { width * 4 }
    }

    /// Every block in order.
    static func blocks(_ version: Version, depth: Int) -> [Block] {
        var blocks = [Block]()
        var inputs = 64
        let stages = stages(depth: depth)
        for (index, stage) in stages.enumerated() {
            for block in 1...stage.blocks {
                let stride: Int
                switch version {
                case .v1: stride = block == 1 && index > 0 ? 2 : 1
                case .v2: stride = block == stage.blocks && index < stages.count - 1 ? 2 : 1
                }
                blocks.append(Block(name: "\(stage.name)_block\(block)", inputs: inputs, width: stage.width,
                                    stride: stride, convolutionShortcut: block == 1))
                inputs = stage.width * 4
            }
        }
        return blocks
    }

    /// The layers with weights in Keras' `model.layers` order (within a first block: `_1`, `_2`,
    /// then the shortcut `_0_conv` before `_3_conv`, and in v1 `_0_bn` before `_3_bn`).
    /// - Parameters:
    ///   - version: v1 or v2.
    ///   - depth: 50, 101 or 152.
    /// - Returns: the layout; the classifier is `predictions`.
    static func layout(_ version: Version, depth: Int) -> KerasLayout {
        var layers: [KerasLayer] = [.conv("conv1_conv", 3, 64, 7)]
        if version == .v1 { layers.append(.batchNorm("conv1_bn", 64)) }
        for b in blocks(version, depth: depth) {
            let n = b.name
            let bias = version == .v1
            if version == .v2 { layers.append(.batchNorm("\(n)_preact_bn", b.inputs)) }
            layers += [.conv("\(n)_1_conv", b.inputs, b.width, 1, bias: bias), .batchNorm("\(n)_1_bn", b.width),
                       .conv("\(n)_2_conv", b.width, b.width, 3, bias: bias), .batchNorm("\(n)_2_bn", b.width)]
            if b.convolutionShortcut { layers.append(.conv("\(n)_0_conv", b.inputs, b.outputs, 1)) }
            layers.append(.conv("\(n)_3_conv", b.width, b.outputs, 1))
            if version == .v1 {
                if b.convolutionShortcut { layers.append(.batchNorm("\(n)_0_bn", b.outputs)) }
                layers.append(.batchNorm("\(n)_3_bn", b.outputs))
            }
        }
        if version == .v2 { layers.append(.batchNorm("post_bn", 2048)) }
        layers.append(.dense("predictions", 2048, 1000))
        return KerasLayout(layers: layers, headCount: 1)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `predictions/kernel` the graph has no logits.
    ///   - version: v1 or v2.
    ///   - depth: 50, 101 or 152.
    ///   - inputSize: the square input side (224).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, version: Version, depth: Int, inputSize: Int) throws -> Graph {
        func conv(_ layer: String, _ inputs: Int, _ outputs: Int, _ kernel: Int, stride: Int = 1, bias: Bool = true,
                  batchNorm: String? = nil) throws -> Convolution {
            try checkpoint.kerasConvolution(layer, inputs: inputs, outputs: outputs, kernel: kernel, stride: stride,
                                            padding: .symmetric(kernel / 2), hasBias: bias,
                                            batchNorm: batchNorm.map { ($0, epsilon) })
        }
        func norm(_ x: Graph.Value, _ layer: String, _ channels: Int, _ graph: inout Graph) throws -> Graph.Value {
            graph.activation(try graph.convolution(x, checkpoint.kerasStandaloneBatchNorm(layer, channels: channels,
                                                                                           epsilon: epsilon)), .relu)
        }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, conv("conv1_conv", 3, 64, 7, stride: 2,
                                                  batchNorm: version == .v1 ? "conv1_bn" : nil),
                                version == .v1 ? .relu : nil)
        // Keras pads with zeros (`pool1_pad`) before the pool. v1's input is ≥ 0 after the ReLU,
        // so the pool's own padding (never the maximum) does the same; v2 pools the convolution
        // itself, so its zeros are added first, by a 1×1 identity convolution with padding 1.
        if version == .v2 {
            x = try graph.convolution(x, Convolution(inputChannels: 64, outputChannels: 64, groups: 64,
                                                     window: Window(kernel: Extent(1), padding: .symmetric(1)),
                                                     weights: [Float](repeating: 1, count: 64),
                                                     bias: [Float](repeating: 0, count: 64)))
        }
        x = try graph.pool(x, Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2),
                                                                  padding: .symmetric(version == .v1 ? 1 : 0))))
        for b in blocks(version, depth: depth) {
            let n = b.name
            switch version {
            case .v1:
                var y = try graph.layer(x, conv("\(n)_1_conv", b.inputs, b.width, 1, stride: b.stride,
                                                batchNorm: "\(n)_1_bn"), .relu)
                y = try graph.layer(y, conv("\(n)_2_conv", b.width, b.width, 3, batchNorm: "\(n)_2_bn"), .relu)
                y = try graph.layer(y, conv("\(n)_3_conv", b.width, b.outputs, 1, batchNorm: "\(n)_3_bn"), nil)
                let shortcut = b.convolutionShortcut
                    ? try graph.layer(x, conv("\(n)_0_conv", b.inputs, b.outputs, 1, stride: b.stride,
                                              batchNorm: "\(n)_0_bn"), nil)
                    : x
                x = graph.activation(try graph.add(y, shortcut), .relu)
            case .v2:
                let preact = try norm(x, "\(n)_preact_bn", b.inputs, &graph)
                let shortcut: Graph.Value
                if b.convolutionShortcut {
                    shortcut = try graph.layer(preact, conv("\(n)_0_conv", b.inputs, b.outputs, 1, stride: b.stride), nil)
                } else if b.stride > 1 {
                    shortcut = try graph.pool(x, Pooling(kind: .max, window: Window(kernel: Extent(1),
                                                                                    stride: Extent(b.stride))))
                } else {
                    shortcut = x
                }
                var y = try graph.layer(preact, conv("\(n)_1_conv", b.inputs, b.width, 1, bias: false,
                                                     batchNorm: "\(n)_1_bn"), .relu)
                y = try graph.layer(y, conv("\(n)_2_conv", b.width, b.width, 3, stride: b.stride, bias: false,
                                            batchNorm: "\(n)_2_bn"), .relu)
                y = try graph.layer(y, conv("\(n)_3_conv", b.width, b.outputs, 1), nil)
                x = try graph.add(y, shortcut)
            }
        }
        if version == .v2 { x = try norm(x, "post_bn", 2048, &graph) }
        try graph.setKerasPooledOutputs(featureMap: x, channels: 2048, checkpoint)
        return graph
    }
}
