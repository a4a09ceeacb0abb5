/// A torchvision network made of inverted-residual blocks with squeeze-excitation (EfficientNet-B*,
/// EfficientNet-V2, MobileNetV3), described module by module with torchvision's state-dict keys
/// (or timm's, see ``EfficientNet/timmNetwork(_:)``, ``MobileNetV3/timmNetwork(_:)``): a family (see `EfficientNet`, `MobileNetV3`) writes the
/// description, this type checks a checkpoint against it and assembles the graph, so the keys and
/// shapes are stated once.
struct InvertedResidualNetwork: Sendable, Equatable {
    /// torchvision's `Conv2dNormActivation`: a convolution without bias, a batch norm and an optional
    /// activation; padding `(kernel − 1) / 2` on every side.
    struct ConvNormActivation: Sendable, Equatable {
        /// Key prefix of the convolution (`.weight`), e.g. `features.2.0.block.1.0` (timm: `blocks.1.0.conv_dw`).
        var convolution: String
        /// Key prefix of the batch norm, e.g. `features.2.0.block.1.1` (timm: `blocks.1.0.bn2`).
        var norm: String
        /// Input channels.
        let inputs: Int
        /// Output channels.
        let outputs: Int
        /// Kernel side.
        let kernel: Int
        /// Stride.
        let stride: Int
        /// Whether it is depthwise (`groups = channels`) rather than dense.
        let depthwise: Bool
        /// What follows the batch norm.
        let activation: Activation?
    }

    /// How a squeeze-excitation module turns its second 1×1 convolution into channel weights.
    enum Gate: Sendable, Equatable {
        /// `1 / (1 + e^(−x))` (EfficientNet).
        case sigmoid
        /// `relu6(x + 3) / 6` (MobileNetV3's `Hardsigmoid`), folded into the convolution as
        /// `clip(x/6 + 1/2, 0, 1)`.
        case hardSigmoid
    }

    /// torchvision's `SqueezeExcitation`: global average, `fc1` (1×1 convolution with bias),
    /// an activation, `fc2`, the gate, and the input scaled channel by channel.
    struct SqueezeExcitation: Sendable, Equatable {
        /// Key prefix, e.g. `features.2.0.block.2` (`.fc1.weight`, `.fc1.bias`, `.fc2.…`).
        var prefix: String
        /// The first convolution's name within the module (timm: `conv_reduce`).
        var reduce = "fc1"
        /// The second convolution's name within the module (timm: `conv_expand`).
        var expand = "fc2"
        /// Channels of the scaled tensor.
        let channels: Int
        /// Channels between the two 1×1 convolutions.
        let squeezed: Int
        /// The activation after `fc1`.
        let activation: Activation
        /// The gate after `fc2`.
        let gate: Gate
    }

    /// One module of a block, in execution order.
    enum Module: Sendable, Equatable {
        case convolution(ConvNormActivation)
        case squeezeExcitation(SqueezeExcitation)
    }

    /// One inverted-residual block: its modules, and whether its input is added to their result.
    struct Block: Sendable, Equatable {
        /// The modules in order.
        let modules: [Module]
        /// Whether the block is residual (stride 1 and as many outputs as inputs).
        let residual: Bool
    }

    /// A fully connected layer of the classifier (`PREFIX.weight`, `PREFIX.bias`) and what follows it.
    struct Dense: Sendable, Equatable {
        /// Key prefix, e.g. `classifier.1`.
        var prefix: String
        /// Input features.
        let inputs: Int
        /// Output features.
        let outputs: Int
        /// The activation after it, if any.
        let activation: Activation?
        /// Whether the weight is stored as a 1×1 convolution's, `outputs × inputs × 1 × 1` (timm's
        /// MobileNetV3 `conv_head` on the pooled map), rather than `outputs × inputs`.
        var pointwise = false

        /// The weight's shape.
        var weightShape: [Int] { pointwise ? [outputs, inputs, 1, 1] : [outputs, inputs] }
    }

    /// The first convolution.
    let stem: ConvNormActivation
    /// The blocks in order.
    let blocks: [Block]
    /// The last convolution, whose output is the feature map.
    let head: ConvNormActivation
    /// The classifier on the pooled feature map, layer by layer.
    let classifier: [Dense]
    /// The batch norms' ε.
    let epsilon: Float
    /// Whether strided convolutions pad as TensorFlow's `same` (Keras' `correct_pad`: the odd
    /// pixel at the bottom and right) rather than torchvision's `(kernel − 1) / 2` on every side.
    var tensorflowPadding = false

    /// torchvision's `_make_divisible(v, 8)`: the nearest multiple of 8, at least 8, and not
    /// below 90 % of `v`.
    /// - Parameter v: the wanted width.
    /// - Returns: the width used.
    static func makeDivisible(_ v: Double) -> Int {
        var rounded = max(8, Int(v + 4) / 8 * 8)
        if Double(rounded) < 0.9 * v { rounded += 8 }
        return rounded
    }

    /// Channels of the feature map (the pooled feature vector's length).
    var featureDimension: Int { head.outputs }

    /// Every module, in state-dict order.
    private var modules: [Module] {
        [.convolution(stem)] + blocks.flatMap(\.modules) + [.convolution(head)]
    }

    /// The learnt tensors the network reads, in torchvision's state-dict order, with their shapes
    /// (batch-norm counters excluded: they are not read).
    var stateDictLayout: [(key: String, shape: [Int])] {
        var layout = [(key: String, shape: [Int])]()
        for module in modules {
            switch module {
            case .convolution(let c):
                layout.append(("\(c.convolution).weight", [c.outputs, c.depthwise ? 1 : c.inputs, c.kernel, c.kernel]))
                for name in ["weight", "bias", "running_mean", "running_var"] {
                    layout.append(("\(c.norm).\(name)", [c.outputs]))
                }
            case .squeezeExcitation(let se):
                layout.append(("\(se.prefix).\(se.reduce).weight", [se.squeezed, se.channels, 1, 1]))
                layout.append(("\(se.prefix).\(se.reduce).bias", [se.squeezed]))
                layout.append(("\(se.prefix).\(se.expand).weight", [se.channels, se.squeezed, 1, 1]))
                layout.append(("\(se.prefix).\(se.expand).bias", [se.channels]))
            }
        }
        for dense in classifier {
            layout.append(("\(dense.prefix).weight", dense.weightShape))
            layout.append(("\(dense.prefix).bias", [dense.outputs]))
        }
        return layout
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another network is refused at its first differing tensor; batch norms are folded into
    /// their convolutions.
    /// - Parameters:
    ///   - checkpoint: the state dict.
    ///   - inputSize: the square input side.
    ///   - input: a per-channel map applied to the input first (Keras EfficientNet's rescaling and
    ///     normalisation layers), if any.
    ///   - classifierOptional: whether a checkpoint without the classifier (a Keras `notop` file's)
    ///     makes a graph without logits rather than being refused.
    /// - Returns: the graph: the head's map, its global average, the classifier's logits.
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    func graph(_ checkpoint: CheckpointTensors, inputSize: Int, input: Affine? = nil,
               classifierOptional: Bool = false) throws -> Graph {
        let headless = classifierOptional && classifier.first.map { !checkpoint.contains("\($0.prefix).weight") } == true
        let classifierKeys = Set(classifier.flatMap { ["\($0.prefix).weight", "\($0.prefix).bias"] })
        for (key, shape) in stateDictLayout where !(headless && classifierKeys.contains(key)) {
            _ = try checkpoint.tensor(key, shape: shape)
        }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        let image = try input.map { try graph.affine(graph.input, $0) } ?? graph.input
        var x = try convolution(stem, image, &graph, checkpoint)
        for block in blocks {
            let blockInput = x
            for module in block.modules {
                switch module {
                case .convolution(let c): x = try convolution(c, x, &graph, checkpoint)
                case .squeezeExcitation(let se): x = try Self.squeezeExcitation(se, x, &graph, checkpoint)
                }
            }
            if block.residual { x = try graph.add(x, blockInput) }
        }
        let map = try convolution(head, x, &graph, checkpoint)
        var y = graph.globalAveragePool(map)
        graph.setOutput(.featureMap, map)
        graph.setOutput(.features, y)
        guard !headless else { return graph }
        for dense in classifier {
            y = try graph.linear(y, Linear(inputs: dense.inputs, outputs: dense.outputs,
                                           weights: checkpoint.tensor("\(dense.prefix).weight", shape: dense.weightShape).values,
                                           bias: checkpoint.tensor("\(dense.prefix).bias", shape: [dense.outputs]).values))
            if let activation = dense.activation { y = graph.activation(y, activation) }
        }
        graph.setOutput(.logits, y)
        return graph
    }

    private func convolution(_ c: ConvNormActivation, _ x: Graph.Value, _ graph: inout Graph,
                             _ checkpoint: CheckpointTensors) throws -> Graph.Value {
        let padding = tensorflowPadding && c.stride > 1 ? Padding.tensorflowSame : .symmetric((c.kernel - 1) / 2)
        let layer = c.depthwise
            ? try checkpoint.depthwise("\(c.convolution).weight", channels: c.outputs, kernel: c.kernel, stride: c.stride,
                                       padding: padding, batchNorm: c.norm, epsilon: epsilon)
            : try checkpoint.convolution("\(c.convolution).weight", inputs: c.inputs, outputs: c.outputs, kernel: c.kernel,
                                         stride: c.stride, padding: padding, batchNorm: c.norm,
                                         epsilon: epsilon)
        return try graph.layer(x, layer, c.activation)
    }

    /// A squeeze-excitation module on `x` (shared with RegNet, whose blocks have torchvision's same module).
    /// - Parameters:
    ///   - se: the module.
    ///   - x: its input, `se.channels` wide.
    ///   - graph: the graph to add it to.
    ///   - checkpoint: the state dict.
    /// - Returns: `x` scaled channel by channel.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch, ``EngineError`` when shapes do not fit.
    static func squeezeExcitation(_ se: SqueezeExcitation, _ x: Graph.Value, _ graph: inout Graph,
                                  _ checkpoint: CheckpointTensors) throws -> Graph.Value {
        func dense(_ name: String, _ inputs: Int, _ outputs: Int) throws -> (weights: [Float], bias: [Float]) {
            (try checkpoint.tensor("\(se.prefix).\(name).weight", shape: [outputs, inputs, 1, 1]).values,
             try checkpoint.tensor("\(se.prefix).\(name).bias", shape: [outputs]).values)
        }
        let fc1 = try dense(se.reduce, se.channels, se.squeezed)
        var fc2 = try dense(se.expand, se.squeezed, se.channels)
        let gate: Activation
        switch se.gate {
        case .sigmoid:
            gate = .sigmoid
        case .hardSigmoid:
            fc2 = (fc2.weights.map { $0 / 6 }, fc2.bias.map { $0 / 6 + 0.5 })
            gate = .clip(lower: 0, upper: 1)
        }
        var s = graph.globalAveragePool(x)
        s = graph.activation(try graph.linear(s, Linear(inputs: se.channels, outputs: se.squeezed, weights: fc1.weights,
                                                        bias: fc1.bias)), se.activation)
        s = graph.activation(try graph.linear(s, Linear(inputs: se.squeezed, outputs: se.channels, weights: fc2.weights,
                                                        bias: fc2.bias)), gate)
        return try graph.scale(x, by: s)
    }
}

extension InvertedResidualNetwork.ConvNormActivation {
    /// torchvision's module at `prefix`: the convolution `PREFIX.0`, the batch norm `PREFIX.1`.
    init(prefix: String, inputs: Int, outputs: Int, kernel: Int, stride: Int, depthwise: Bool, activation: Activation?) {
        self.init(convolution: "\(prefix).0", norm: "\(prefix).1", inputs: inputs, outputs: outputs, kernel: kernel,
                  stride: stride, depthwise: depthwise, activation: activation)
    }
}
