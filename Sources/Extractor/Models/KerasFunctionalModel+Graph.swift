extension KerasFunctionalModel {
    /// The layers with weights in Keras' `model.layers` order, the classifier (the layers made
    /// after the feature map) last.
    /// - Parameter featureMap: the last feature map's node (the classifier comes after it).
    /// - Returns: the layout.
    func layout(featureMap: Int) -> KerasLayout {
        var layers = [KerasLayer](), headCount = 0
        for node in kerasOrder(output: nodes.count - 1) {
            let inputs = nodes[node].inputs.first.map(channels) ?? 0, outputs = channels(node)
            let layer: KerasLayer
            switch nodes[node].operation {
            case .conv2d(let name, let kernel, _, _, let bias):
                layer = KerasLayer(name: name, kind: .conv2d,
                                   shapes: [[kernel.y, kernel.x, inputs, outputs]] + (bias ? [[outputs]] : []))
            case .batchNorm(let name, let scale, _):
                layer = KerasLayer(name: name, kind: .batchNormalization,
                                   shapes: Array(repeating: [outputs], count: scale ? 4 : 3))
            case .dense(let name): layer = .dense(name, inputs, outputs)
            case .input, .relu, .pool, .concat, .scaledSum, .globalAveragePool: continue
            }
            layers.append(layer)
            if node > featureMap { headCount += 1 }
        }
        return KerasLayout(layers: layers, headCount: headCount)
    }

    /// Builds the engine graph up to the feature map, every batch norm folded into the
    /// convolution before it and every `CustomScaleLayer`'s scale into its residual's convolution,
    /// with ``Graph/setKerasPooledOutputs(featureMap:channels:_:)``'s outputs.
    /// - Parameters:
    ///   - checkpoint: tensors keyed as ``KerasLayer/keys``; without `predictions/kernel` the graph
    ///     has no logits.
    ///   - inputSize: the square input side.
    ///   - featureMap: the last feature map's node.
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    func graph(_ checkpoint: CheckpointTensors, inputSize: Int, featureMap: Int) throws -> Graph {
        var lowering = Lowering(model: self, checkpoint: checkpoint,
                                graph: Graph(input: FeatureShape(channels: channels(input), height: inputSize,
                                                                 width: inputSize)))
        for node in 1...featureMap { try lowering.lower(node) }
        let map = try lowering.value(featureMap)
        try lowering.graph.setKerasPooledOutputs(featureMap: map, channels: channels(featureMap), checkpoint)
        return lowering.graph
    }
}

/// The walk of ``KerasFunctionalModel/graph(_:inputSize:featureMap:)``: a convolution stays
/// pending until something other than its one batch norm or scaled sum reads it, so those fold
/// into its weights. A batch norm or scaled sum must read such a convolution (every one in the
/// Inceptions does); a standalone one is refused rather than lowered untested.
private struct Lowering {
    /// A node's result.
    enum Result {
        /// In the graph.
        case value(Graph.Value)
        /// A convolution of a value, not yet in the graph.
        case pending(Graph.Value, Convolution)
    }

    let model: KerasFunctionalModel
    let checkpoint: CheckpointTensors
    var graph: Graph
    var results = [Int: Result]()
    /// How many layers read each node.
    let readers: [Int]

    init(model: KerasFunctionalModel, checkpoint: CheckpointTensors, graph: Graph) {
        self.model = model
        self.checkpoint = checkpoint
        self.graph = graph
        var readers = [Int](repeating: 0, count: model.nodes.count)
        for node in model.nodes { for x in node.inputs { readers[x] += 1 } }
        self.readers = readers
        results[model.input] = .value(graph.input)
    }

    /// A node's result in the graph, adding its pending convolution first.
    mutating func value(_ node: Int) throws -> Graph.Value {
        switch results[node] {
        case .value(let v): return v
        case .pending(let x, let convolution):
            let v = try graph.convolution(x, convolution)
            results[node] = .value(v)
            return v
        case nil: throw EngineError.invalidGraph("Keras layer \(node) is read before it is built")
        }
    }

    /// The pending convolution a node's only reader may fold into, if it has one.
    private func foldable(_ node: Int) -> (Graph.Value, Convolution)? {
        guard readers[node] == 1, case .pending(let x, let convolution) = results[node] else { return nil }
        return (x, convolution)
    }

    /// A layer that needs a convolution of its own before it (the families here always have one).
    private func unfoldable(_ layer: String) -> EngineError {
        .invalidGraph("\(layer) does not follow a convolution read by it alone")
    }

    /// Adds a node to the graph, or folds it into the pending convolution it reads.
    mutating func lower(_ node: Int) throws {
        let inputs = model.nodes[node].inputs
        let channels = model.channels(node)
        switch model.nodes[node].operation {
        case .input: return
        case .conv2d(let name, let kernel, let stride, let padding, let bias):
            let x = try value(inputs[0])
            let inChannels = model.channels(inputs[0])
            let weights = try checkpoint.kerasKernel(name, kernel: kernel, inputs: inChannels, outputs: channels)
            results[node] = .pending(x, Convolution(
                inputChannels: inChannels, outputChannels: channels, groups: 1,
                window: Window(kernel: kernel, stride: Extent(stride), padding: padding), weights: weights,
                bias: bias ? try checkpoint.tensor("\(name)/bias", shape: [channels]).values : []))
        case .batchNorm(let name, let scale, let epsilon):
            let norm = try checkpoint.kerasBatchNorm(name, channels: channels, epsilon: epsilon, scale: scale)
            guard let (x, c) = foldable(inputs[0]) else { throw unfoldable(name) }
            let (weights, bias) = norm.fold(weight: c.weights, bias: c.bias.isEmpty ? nil : c.bias)
            results[node] = .pending(x, c.with(weights: weights, bias: bias))
        case .relu: results[node] = .value(graph.activation(try value(inputs[0]), .relu))
        case .pool(let pooling): results[node] = .value(try graph.pool(try value(inputs[0]), pooling))
        case .concat: results[node] = .value(try graph.concat(inputs.map { try value($0) }))
        case .scaledSum(let scale):
            guard let (x, c) = foldable(inputs[1]) else { throw unfoldable("the scaled sum") }
            let residual = try graph.convolution(x, c.with(weights: c.weights.map { $0 * scale },
                                                           bias: c.bias.map { $0 * scale }))
            results[node] = .value(try graph.add(try value(inputs[0]), residual))
        case .globalAveragePool, .dense:
            throw EngineError.invalidGraph("the classifier is not part of the feature extractor")
        }
    }
}

extension Convolution {
    /// The same layer with other weights and bias.
    func with(weights: [Float], bias: [Float]) -> Convolution {
        Convolution(inputChannels: inputChannels, outputChannels: outputChannels, groups: groups, window: window,
                    weights: weights, bias: bias)
    }
}
