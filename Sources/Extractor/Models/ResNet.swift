/// torchvision's ResNet family (ResNet-18/34/50/101/152, Wide-ResNet-50-2) assembled from a
/// torchvision state dict (`resnet50-*.pth`): the v1.5 layout, where a bottleneck block strides
/// on its 3×3 convolution; every batch norm (ε 1e-5) folded into its convolution.
enum ResNet {
    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// Blocks in each of the four stages.
        let blocks: [Int]
        /// Bottleneck blocks (1×1, 3×3, 1×1 with expansion 4) rather than basic blocks (3×3, 3×3).
        let bottleneck: Bool
        /// Multiplier of a bottleneck's inner width (torchvision's `width_per_group / 64`: 2 for Wide-ResNet).
        let widthFactor: Int

        /// Output channels of a block of stage planes `planes`.
        func outputs(planes: Int) -> Int { bottleneck ? planes * 4 : planes }

        /// Length of the pooled feature vector.
        var featureDimension: Int { outputs(planes: 512) }
    }

    /// Stage widths (`planes`) and first strides.
    static let stages: [(planes: Int, stride: Int)] = [(64, 1), (128, 2), (256, 2), (512, 2)]

    /// The learnt tensors the architecture reads, in torchvision's state-dict order, with their
    /// shapes (batch-norm counters excluded: old checkpoints do not have them).
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        var layout = [(key: String, shape: [Int])]()
        func conv(_ prefix: String, _ inputs: Int, _ outputs: Int, _ kernel: Int) {
            layout.append(("\(prefix).weight", [outputs, inputs, kernel, kernel]))
        }
        func batchNorm(_ prefix: String, _ channels: Int) {
            for name in ["weight", "bias", "running_mean", "running_var"] { layout.append(("\(prefix).\(name)", [channels])) }
        }
        conv("conv1", 3, 64, 7)
        batchNorm("bn1", 64)
        for block in blocks(variant) {
            let p = block.prefix
            if variant.bottleneck {
                conv("\(p).conv1", block.inputs, block.width, 1)
                batchNorm("\(p).bn1", block.width)
                conv("\(p).conv2", block.width, block.width, 3)
                batchNorm("\(p).bn2", block.width)
                conv("\(p).conv3", block.width, block.outputs, 1)
                batchNorm("\(p).bn3", block.outputs)
            } else {
                conv("\(p).conv1", block.inputs, block.outputs, 3)
                batchNorm("\(p).bn1", block.outputs)
                conv("\(p).conv2", block.outputs, block.outputs, 3)
                batchNorm("\(p).bn2", block.outputs)
            }
            if block.downsamples {
                conv("\(p).downsample.0", block.inputs, block.outputs, 1)
                batchNorm("\(p).downsample.1", block.outputs)
            }
        }
        layout.append(("fc.weight", [1000, variant.featureDimension]))
        layout.append(("fc.bias", [1000]))
        return layout
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another family member is refused at its first differing tensor.
    /// - Parameters:
    ///   - checkpoint: the state dict (`conv1.weight`, `layer1.0.conv1.weight`, …, `fc.bias`).
    ///   - variant: the family member.
    ///   - inputSize: the square input side.
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: Variant, inputSize: Int) throws -> Graph {
        for (key, shape) in stateDictLayout(variant) { _ = try checkpoint.tensor(key, shape: shape) }
        let eps: Float = 1e-5
        func conv(_ prefix: String, _ batchNorm: String, _ inputs: Int, _ kernel: Int, stride: Int = 1) throws
            -> Convolution {
            try checkpoint.convolution("\(prefix).weight", inputs: inputs, outputs: nil, kernel: kernel, stride: stride,
                                       padding: .symmetric(kernel / 2), batchNorm: batchNorm, epsilon: eps)
        }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, conv("conv1", "bn1", 3, 7, stride: 2), .relu)
        x = try graph.pool(x, Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2),
                                                                  padding: .symmetric(1))))
        for block in blocks(variant) {
            let p = block.prefix
            var y: Graph.Value
            if variant.bottleneck {
                y = try graph.layer(x, conv("\(p).conv1", "\(p).bn1", block.inputs, 1), .relu)
                y = try graph.layer(y, conv("\(p).conv2", "\(p).bn2", block.width, 3, stride: block.stride), .relu)
                y = try graph.layer(y, conv("\(p).conv3", "\(p).bn3", block.width, 1), nil)
            } else {
                y = try graph.layer(x, conv("\(p).conv1", "\(p).bn1", block.inputs, 3, stride: block.stride), .relu)
                y = try graph.layer(y, conv("\(p).conv2", "\(p).bn2", block.outputs, 3), nil)
            }
            let shortcut = block.downsamples
                ? try graph.layer(x, conv("\(p).downsample.0", "\(p).downsample.1", block.inputs, 1,
                                          stride: block.stride), nil)
                : x
            x = graph.activation(try graph.add(y, shortcut), .relu)
        }
        try graph.setPooledLinearOutputs(
            featureMap: x, classifier: checkpoint.linear("fc", inputs: variant.featureDimension, outputs: 1000))
        return graph
    }

    /// One residual block's place and sizes.
    struct Block {
        /// Key prefix, e.g. `layer2.0`.
        let prefix: String
        /// Input channels.
        let inputs: Int
        /// Inner width of a bottleneck (unused by basic blocks).
        let width: Int
        /// Output channels.
        let outputs: Int
        /// Stride of the block (on the 3×3 convolution and the shortcut).
        let stride: Int

        /// Whether the shortcut is a strided 1×1 convolution rather than the identity.
        var downsamples: Bool { stride != 1 || inputs != outputs }
    }

    /// Every block of a family member, in order.
    private static func blocks(_ variant: Variant) -> [Block] {
        var blocks = [Block]()
        var inputs = 64
        for (stage, setting) in stages.enumerated() {
            let outputs = variant.outputs(planes: setting.planes)
            for index in 0..<variant.blocks[stage] {
                blocks.append(Block(prefix: "layer\(stage + 1).\(index)", inputs: inputs,
                                    width: setting.planes * variant.widthFactor, outputs: outputs,
                                    stride: index == 0 ? setting.stride : 1))
                inputs = outputs
            }
        }
        return blocks
    }
}

extension BackboneDescriptor {
    /// The learnt tensors a torchvision checkpoint of this backbone holds, in state-dict order
    /// (nil for the families whose layout is read from the file).
    package var stateDictLayout: [(key: String, shape: [Int])]? {
        switch architecture {
        case .resNet(let variant): return ResNet.stateDictLayout(variant)
        case .vgg(let variant): return VGG.stateDictLayout(variant)
        case .denseNet(let variant): return DenseNet.stateDictLayout(variant)
        case .regNet(let variant): return RegNet.stateDictLayout(variant)
        case .invertedResidual(let network): return network.stateDictLayout
        case .convNeXt(let variant): return ConvNeXt.stateDictLayout(variant)
        default: return nil
        }
    }
}
