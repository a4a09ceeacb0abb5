/// torchvision's VGG family (VGG-11/13/16/19, with or without batch norm) assembled from a
/// torchvision state dict (`vgg16-397923af.pth`, `vgg16_bn-6c64b313.pth`): five stages of 3×3
/// convolutions (padding 1, bias, ReLU; batch norm ε 1e-5 folded in) each closed by a 2×2 max
/// pooling, then the classifier 25,088 → 4096 → 4096 → 1000 with ReLUs (dropout is the identity
/// at inference; torchvision's `AdaptiveAvgPool2d(7)` is the identity on the 7×7 map of a 224 input).
///
/// Outputs: the feature map is the last max pooling's 512×7×7 (the cookbook's VGG16 features: its
/// `flat` layout is those 25,088 values, channel-major `c·49 + y·7 + x` as PyTorch flattens them
/// — Keras' `Flatten` of its channels-last map orders the same values `(y·7 + x)·512 + c`); the
/// pooled features are that map's global average (512); the logits come from the classifier.
enum VGG {
    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// 3×3 convolutions in each of the five stages.
        let convolutions: [Int]
        /// Whether every convolution is followed by a batch norm (the `_bn` models).
        let batchNorm: Bool

        /// Length of the pooled feature vector.
        var featureDimension: Int { VGG.widths[VGG.widths.count - 1] }
    }

    /// Output channels of each stage's convolutions.
    static let widths = [64, 128, 256, 512, 512]
    /// The classifier's hidden width.
    static let hidden = 4096
    /// The map side the classifier was trained on (torchvision pools any map to it).
    static let classifierSide = 7

    /// One convolution's place: its `features.N` index, batch norm index and channels.
    struct Layer {
        /// Key prefix of the convolution, e.g. `features.0`.
        let convolution: String
        /// Key prefix of its batch norm (the `_bn` models), e.g. `features.1`.
        let batchNorm: String?
        /// Input channels.
        let inputs: Int
        /// Output channels.
        let outputs: Int
        /// Whether a 2×2 max pooling follows it (the last convolution of a stage).
        let pools: Bool
    }

    /// Every convolution in order, with the `features` indices torchvision's `nn.Sequential`
    /// gives them (conv, [batch norm,] ReLU per convolution; one max pooling per stage).
    static func layers(_ variant: Variant) -> [Layer] {
        var layers = [Layer]()
        var index = 0
        var inputs = 3
        for (stage, count) in variant.convolutions.enumerated() {
            for i in 0..<count {
                layers.append(Layer(convolution: "features.\(index)",
                                    batchNorm: variant.batchNorm ? "features.\(index + 1)" : nil,
                                    inputs: inputs, outputs: widths[stage], pools: i == count - 1))
                index += variant.batchNorm ? 3 : 2
                inputs = widths[stage]
            }
            index += 1
        }
        return layers
    }

    /// The classifier's linear layers: key prefix, inputs, outputs.
    static let classifier = [("classifier.0", 512 * classifierSide * classifierSide, hidden),
                             ("classifier.3", hidden, hidden), ("classifier.6", hidden, 1000)]

    /// The learnt tensors the architecture reads, in torchvision's state-dict order, with their
    /// shapes (batch-norm counters excluded).
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        var layout = [(key: String, shape: [Int])]()
        for layer in layers(variant) {
            layout.append(("\(layer.convolution).weight", [layer.outputs, layer.inputs, 3, 3]))
            layout.append(("\(layer.convolution).bias", [layer.outputs]))
            if let norm = layer.batchNorm {
                for name in ["weight", "bias", "running_mean", "running_var"] {
                    layout.append(("\(norm).\(name)", [layer.outputs]))
                }
            }
        }
        for (prefix, inputs, outputs) in classifier {
            layout.append(("\(prefix).weight", [outputs, inputs]))
            layout.append(("\(prefix).bias", [outputs]))
        }
        return layout
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another family member is refused at its first differing tensor.
    /// - Parameters:
    ///   - checkpoint: the state dict (`features.0.weight`, …, `classifier.6.bias`).
    ///   - variant: the family member.
    ///   - inputSize: the square input side (224: the classifier takes a 7×7 map).
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: Variant, inputSize: Int) throws -> Graph {
        for (key, shape) in stateDictLayout(variant) { _ = try checkpoint.tensor(key, shape: shape) }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = graph.input
        for layer in layers(variant) {
            x = try graph.layer(x, checkpoint.convolution(layer.convolution, inputs: layer.inputs,
                                                          outputs: layer.outputs, kernel: 3, padding: 1, hasBias: true,
                                                          batchNorm: layer.batchNorm), .relu)
            if layer.pools {
                x = try graph.pool(x, Pooling(kind: .max, window: Window(kernel: Extent(2), stride: Extent(2))))
            }
        }
        graph.setOutput(.featureMap, x)
        graph.setOutput(.features, graph.globalAveragePool(x))
        var scores = x
        for (index, (prefix, inputs, outputs)) in classifier.enumerated() {
            scores = try graph.linear(scores, checkpoint.linear(prefix, inputs: inputs, outputs: outputs))
            if index < classifier.count - 1 { scores = graph.activation(scores, .relu) }
        }
        graph.setOutput(.logits, scores)
        return graph
    }
}

extension BackboneRegistry {
    /// torchvision's VGGs (IMAGENET1K_V1 weights, found where torch hub keeps them).
    static let torchvisionVGGs: [BackboneDescriptor] = [
        ("vgg11", [1, 1, 2, 2, 2]), ("vgg13", [2, 2, 2, 2, 2]), ("vgg16", [2, 2, 3, 3, 3]), ("vgg19", [2, 2, 4, 4, 4]),
    ].flatMap { name, convolutions in
        [false, true].map { batchNorm in
            let variant = VGG.Variant(convolutions: convolutions, batchNorm: batchNorm)
            let fullName = batchNorm ? name + "_bn" : name
            return BackboneDescriptor(name: fullName, weights: .torchHub(prefix: fullName), inputSize: 224,
                                      preprocessing: .torchvision, featureDimension: variant.featureDimension,
                                      classes: 1000, architecture: .vgg(variant))
        }
    }
}
