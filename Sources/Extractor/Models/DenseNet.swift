/// torchvision's DenseNet family (DenseNet-121/161/169/201) assembled from a torchvision state
/// dict (`densenet121-a639ec97.pth`; the old `denselayer1.norm.1.weight` keys of those files are
/// read as `denselayer1.norm1.weight`, as torchvision's loader renames them).
///
/// DenseNet is pre-activation: each dense layer is BN → ReLU → 1×1 conv → BN → ReLU → 3×3 conv
/// on the concatenation of every earlier map of its block. The second batch norm folds into the
/// 1×1 convolution; the first (and the transitions' and `norm5`) come before a ReLU and a
/// convolution, so they run as per-channel affine maps with the ReLU fused in. A transition is
/// BN → ReLU → 1×1 conv → 2×2 average pooling; the pooling runs before the convolution here (both
/// are linear and the convolution has no bias, so the result is the same with a quarter of the
/// multiply-adds). The end: `norm5` → ReLU (the feature map) → global average → classifier.
enum DenseNet {
    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// Dense layers in each of the four blocks.
        let blocks: [Int]
        /// Channels each dense layer adds (`growth_rate`).
        let growth: Int
        /// Channels of the stem (`num_init_features`).
        let initialFeatures: Int

        /// Width of a dense layer's 1×1 bottleneck (`bn_size · growth_rate`, bn_size 4).
        var bottleneck: Int { 4 * growth }

        /// Channels entering each block, and after the last one.
        var blockInputs: [Int] {
            var channels = [initialFeatures]
            for (index, layers) in blocks.enumerated() {
                let out = (channels[index] + layers * growth)
                channels.append(index == blocks.count - 1 ? out : out / 2)
            }
            return channels
        }

        /// Length of the pooled feature vector.
        var featureDimension: Int { blockInputs[blocks.count] }
    }

    /// Batch norm ε.
    static let epsilon: Float = 1e-5

    /// The learnt tensors the architecture reads, in torchvision's state-dict order, with their
    /// shapes (batch-norm counters excluded).
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        var layout = [(key: String, shape: [Int])]()
        func batchNorm(_ prefix: String, _ channels: Int) {
            for name in ["weight", "bias", "running_mean", "running_var"] { layout.append(("\(prefix).\(name)", [channels])) }
        }
        layout.append(("features.conv0.weight", [variant.initialFeatures, 3, 7, 7]))
        batchNorm("features.norm0", variant.initialFeatures)
        let inputs = variant.blockInputs
        for (block, layers) in variant.blocks.enumerated() {
            for layer in 0..<layers {
                let p = "features.denseblock\(block + 1).denselayer\(layer + 1)"
                let channels = inputs[block] + layer * variant.growth
                batchNorm("\(p).norm1", channels)
                layout.append(("\(p).conv1.weight", [variant.bottleneck, channels, 1, 1]))
                batchNorm("\(p).norm2", variant.bottleneck)
                layout.append(("\(p).conv2.weight", [variant.growth, variant.bottleneck, 3, 3]))
            }
            if block < variant.blocks.count - 1 {
                let channels = inputs[block] + layers * variant.growth
                batchNorm("features.transition\(block + 1).norm", channels)
                layout.append(("features.transition\(block + 1).conv.weight", [channels / 2, channels, 1, 1]))
            }
        }
        batchNorm("features.norm5", variant.featureDimension)
        layout.append(("classifier.weight", [1000, variant.featureDimension]))
        layout.append(("classifier.bias", [1000]))
        return layout
    }

    /// The key torchvision's loader reads a tensor under: `…denselayerN.norm.1.weight` (old
    /// checkpoints, the published files among them) becomes `…denselayerN.norm1.weight`, and
    /// the same for `conv.1`/`conv.2`/`norm.2`; other keys are unchanged.
    /// - Parameter key: a checkpoint key.
    /// - Returns: the current name.
    static func currentKey(_ key: String) -> String {
        var parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4 else { return key }
        let n = parts.count
        guard parts[n - 4].hasPrefix("denselayer"), ["norm", "conv"].contains(parts[n - 3]),
              ["1", "2"].contains(parts[n - 2]) else { return key }
        parts[n - 3] += parts[n - 2]
        parts.remove(at: n - 2)
        return parts.joined(separator: ".")
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another family member is refused at its first differing tensor.
    /// - Parameters:
    ///   - checkpoint: the state dict (`features.conv0.weight`, …, `classifier.bias`; old key names accepted).
    ///   - variant: the family member.
    ///   - inputSize: the square input side.
    ///   - epsilon: the batch norms' ε (Keras' DenseNets: 1.001e-5).
    ///   - classifierOptional: whether a checkpoint without `classifier.weight` (a Keras `notop`
    ///     file's) makes a graph without logits rather than being refused.
    /// - Returns: the graph with its three outputs (two without a classifier).
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    static func graph(_ file: CheckpointTensors, variant: Variant, inputSize: Int, epsilon: Float = DenseNet.epsilon,
                      classifierOptional: Bool = false) throws -> Graph {
        var renamed = [String: WeightTensor]()
        for (key, tensor) in file.tensors { renamed[currentKey(key)] = tensor }
        let checkpoint = CheckpointTensors(tensors: renamed, source: file.source)
        let headless = classifierOptional && !checkpoint.contains("classifier.weight")
        for (key, shape) in stateDictLayout(variant) where !(headless && key.hasPrefix("classifier.")) {
            _ = try checkpoint.tensor(key, shape: shape)
        }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, checkpoint.convolution(
            "features.conv0.weight", inputs: 3, outputs: variant.initialFeatures, kernel: 7, stride: 2,
            padding: .symmetric(3), batchNorm: "features.norm0", epsilon: epsilon), .relu)
        x = try graph.pool(x, Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2),
                                                                  padding: .symmetric(1))))
        var channels = variant.initialFeatures
        for (block, layers) in variant.blocks.enumerated() {
            var parts = [x]
            for layer in 0..<layers {
                let p = "features.denseblock\(block + 1).denselayer\(layer + 1)"
                let input = parts.count == 1 ? x : try graph.concat(parts)
                var y = graph.activation(try graph.affine(input, checkpoint.affine("\(p).norm1", channels: channels,
                                                                                    epsilon: epsilon)), .relu)
                y = try graph.layer(y, checkpoint.convolution("\(p).conv1", inputs: channels,
                                                              outputs: variant.bottleneck, kernel: 1, padding: 0,
                                                              hasBias: false, batchNorm: "\(p).norm2",
                                                              epsilon: epsilon), .relu)
                y = try graph.convolution(y, checkpoint.convolution("\(p).conv2", inputs: variant.bottleneck,
                                                                    outputs: variant.growth, kernel: 3, padding: 1,
                                                                    hasBias: false))
                parts.append(y)
                channels += variant.growth
            }
            x = try graph.concat(parts)
            guard block < variant.blocks.count - 1 else { break }
            let p = "features.transition\(block + 1)"
            x = graph.activation(try graph.affine(x, checkpoint.affine("\(p).norm", channels: channels, epsilon: epsilon)),
                                 .relu)
            x = try graph.pool(x, Pooling(kind: .average(countsPadding: true),
                                          window: Window(kernel: Extent(2), stride: Extent(2))))
            x = try graph.convolution(x, checkpoint.convolution("\(p).conv", inputs: channels, outputs: channels / 2,
                                                                kernel: 1, padding: 0, hasBias: false))
            channels /= 2
        }
        let map = graph.activation(try graph.affine(x, checkpoint.affine("features.norm5", channels: channels,
                                                                         epsilon: epsilon)), .relu)
        if headless {
            graph.setOutput(.featureMap, map)
            graph.setOutput(.features, graph.globalAveragePool(map))
        } else {
            try graph.setPooledLinearOutputs(
                featureMap: map, classifier: checkpoint.linear("classifier", inputs: channels, outputs: 1000))
        }
        return graph
    }
}

extension BackboneRegistry {
    /// torchvision's DenseNets (IMAGENET1K_V1 weights, found where torch hub keeps them).
    static let torchvisionDenseNets: [BackboneDescriptor] = [
        ("densenet121", DenseNet.Variant(blocks: [6, 12, 24, 16], growth: 32, initialFeatures: 64)),
        ("densenet161", DenseNet.Variant(blocks: [6, 12, 36, 24], growth: 48, initialFeatures: 96)),
        ("densenet169", DenseNet.Variant(blocks: [6, 12, 32, 32], growth: 32, initialFeatures: 64)),
        ("densenet201", DenseNet.Variant(blocks: [6, 12, 48, 32], growth: 32, initialFeatures: 64)),
    ].map { name, variant in
        BackboneDescriptor(name: name, weights: .torchHub(prefix: name), inputSize: 224, preprocessing: .torchvision,
                           featureDimension: variant.featureDimension, classes: 1000, architecture: .denseNet(variant))
    }
}
