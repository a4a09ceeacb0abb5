/// A feed-forward network as nodes over per-image tensors, built in execution order, with up
/// to three named outputs. Models build one from a checkpoint (see `Models/`); `Schedule` fuses
/// it and `PlanBuilder` compiles it to oneDNN primitives for a batch size.
///
///     var graph = Graph(input: FeatureShape(channels: 3, height: 224, width: 224))
///     let stem = try graph.convolution(graph.input, conv)        // shapes are checked here
///     let map = graph.activation(stem, .relu6)
///     graph.setOutput(.featureMap, map)
///     graph.setOutput(.features, graph.globalAveragePool(map))
///
/// Every builder method checks its inputs' shapes and returns the new value.
package struct Graph: Sendable {
    /// A tensor of the graph: the input or a node's output.
    package struct Value: Hashable, Sendable {
        /// Position in `shapes` (0 is the input; node `i` makes value `i + 1`).
        package let index: Int
    }

    /// What a caller can ask of a compiled graph.
    package enum Output: Int, Hashable, Sendable, CaseIterable {
        /// The last convolutional feature map (before pooling).
        case featureMap
        /// The pooled feature vector (`C×1×1`).
        case features
        /// The class scores (`classes×1×1`).
        case logits
    }

    /// One operation on earlier values.
    package struct Node: Sendable {
        /// What it computes.
        package let operation: Operation
        /// Its operands (earlier values).
        package let inputs: [Value]
        /// The value it makes.
        package let output: Value
    }

    /// One input image's shape.
    package let inputShape: FeatureShape
    /// Each value's per-image shape, by `Value.index`.
    package private(set) var shapes: [FeatureShape]
    /// The nodes in execution order.
    package private(set) var nodes: [Node] = []
    /// The named outputs that were set.
    package private(set) var outputs: [Output: Value] = [:]

    /// An empty graph taking images of `input` shape.
    /// - Parameter input: one image's shape.
    package init(input: FeatureShape) {
        inputShape = input
        shapes = [input]
    }

    /// The graph's input.
    package var input: Value { Value(index: 0) }

    /// A value's per-image shape.
    package func shape(_ value: Value) -> FeatureShape { shapes[value.index] }

    /// Names a value as one of the graph's outputs.
    /// - Parameters:
    ///   - output: which output.
    ///   - value: the value.
    package mutating func setOutput(_ output: Output, _ value: Value) { outputs[output] = value }

    /// Floating-point operations (multiply-adds ×2) of convolutions and linear layers for one image.
    package var flops: Int {
        nodes.reduce(0) { total, node in
            switch node.operation {
            case .convolution(let c):
                let out = shape(node.output)
                return total + c.flops(output: Extent(y: out.height, x: out.width))
            case .linear(let l):
                return total + l.flops
            default:
                return total
            }
        }
    }

    private mutating func append(_ operation: Operation, _ inputs: [Value], _ shape: FeatureShape) -> Value {
        let value = Value(index: shapes.count)
        shapes.append(shape)
        nodes.append(Node(operation: operation, inputs: inputs, output: value))
        return value
    }

    private func windowOutput(_ window: Window, on input: FeatureShape, _ what: String) throws(EngineError) -> Extent {
        let k = window
        guard k.kernel.y > 0, k.kernel.x > 0, k.stride.y > 0, k.stride.x > 0, k.dilation.y > 0, k.dilation.x > 0
        else { throw EngineError.invalidGraph("\(what) has a kernel, stride or dilation below 1") }
        let edges = k.edges(for: Extent(y: input.height, x: input.width))
        guard min(edges.leading.y, edges.leading.x, edges.trailing.y, edges.trailing.x) >= 0 else {
            throw EngineError.invalidGraph("\(what) has negative padding")
        }
        guard let out = k.outputSize(for: Extent(y: input.height, x: input.width)) else {
            throw EngineError.invalidGraph("\(what)'s window does not fit a \(input) input")
        }
        return out
    }

    /// Appends a node of any operation (what a graph rewrite copies over).
    /// - Parameters:
    ///   - operation: what it computes.
    ///   - inputs: its operands.
    /// - Returns: its output.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the shapes do not fit.
    mutating func append(_ operation: Operation, _ inputs: [Value]) throws(EngineError) -> Value {
        switch operation {
        case .convolution(let c): return try convolution(inputs[0], c)
        case .activation(let a): return activation(inputs[0], a)
        case .add: return try add(inputs[0], inputs[1])
        case .scale: return try scale(inputs[0], by: inputs[1])
        case .affine(let a): return try affine(inputs[0], a)
        case .layerNorm(let n): return try layerNorm(inputs[0], n)
        case .concat: return try concat(inputs)
        case .pool(let p): return try pool(inputs[0], p)
        case .globalAveragePool: return globalAveragePool(inputs[0])
        case .linear(let l): return try linear(inputs[0], l)
        }
    }

    /// Appends a convolution.
    /// - Parameters:
    ///   - x: its input.
    ///   - convolution: the layer.
    /// - Returns: its output.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when channels, groups or weight counts do not fit.
    package mutating func convolution(_ x: Value, _ convolution: Convolution) throws(EngineError) -> Value {
        let c = convolution
        let input = shape(x)
        guard c.inputChannels == input.channels else {
            throw EngineError.invalidGraph("a convolution takes \(c.inputChannels) channels, its input has \(input)")
        }
        guard c.groups > 0, c.inputChannels % c.groups == 0, c.outputChannels % c.groups == 0 else {
            throw EngineError.invalidGraph("\(c.groups) groups do not divide \(c.inputChannels) → \(c.outputChannels) channels")
        }
        let expected = c.outputChannels * (c.inputChannels / c.groups) * c.window.kernel.y * c.window.kernel.x
        guard c.weights.count == expected, c.bias.isEmpty || c.bias.count == c.outputChannels else {
            throw EngineError.invalidGraph("a convolution has \(c.weights.count) weights and \(c.bias.count) biases, expected \(expected) and \(c.outputChannels)")
        }
        let out = try windowOutput(c.window, on: input, "a convolution")
        return append(.convolution(c), [x], FeatureShape(channels: c.outputChannels, height: out.y, width: out.x))
    }

    /// Appends an elementwise function.
    /// - Parameters:
    ///   - x: its input.
    ///   - activation: the function.
    /// - Returns: its output (same shape).
    package mutating func activation(_ x: Value, _ activation: Activation) -> Value {
        append(.activation(activation), [x], shape(x))
    }

    /// Appends `a + b`.
    /// - Parameters:
    ///   - a: one operand.
    ///   - b: the other, same shape.
    /// - Returns: the sum.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the shapes differ.
    package mutating func add(_ a: Value, _ b: Value) throws(EngineError) -> Value {
        guard shape(a) == shape(b) else {
            throw EngineError.invalidGraph("cannot add a \(shape(a)) and a \(shape(b)) tensor")
        }
        return append(.add, [a, b], shape(a))
    }

    /// Appends `x · s`, `s` broadcast over height and width.
    /// - Parameters:
    ///   - x: a `C×H×W` tensor.
    ///   - s: a `C×1×1` tensor.
    /// - Returns: the product.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when `s` is not `C×1×1`.
    package mutating func scale(_ x: Value, by s: Value) throws(EngineError) -> Value {
        guard shape(s) == FeatureShape(channels: shape(x).channels, height: 1, width: 1) else {
            throw EngineError.invalidGraph("cannot scale a \(shape(x)) tensor by a \(shape(s)) one")
        }
        return append(.scale, [x, s], shape(x))
    }

    /// Appends a per-channel affine map.
    /// - Parameters:
    ///   - x: a `C×H×W` tensor.
    ///   - affine: `C` multipliers and `C` offsets.
    /// - Returns: its output (same shape).
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the map has another channel count.
    package mutating func affine(_ x: Value, _ affine: Affine) throws(EngineError) -> Value {
        let channels = shape(x).channels
        guard affine.scale.count == channels, affine.shift.count == channels else {
            throw EngineError.invalidGraph("an affine map of \(affine.scale.count) scales and \(affine.shift.count) "
                                           + "offsets cannot take a \(shape(x)) tensor")
        }
        return append(.affine(affine), [x], shape(x))
    }

    /// Appends a layer norm over channels.
    /// - Parameters:
    ///   - x: a `C×H×W` tensor.
    ///   - norm: `C` multipliers and `C` offsets.
    /// - Returns: its output (same shape).
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the norm has another channel count or a
    ///   negative or non-finite ε.
    package mutating func layerNorm(_ x: Value, _ norm: LayerNorm) throws(EngineError) -> Value {
        let channels = shape(x).channels
        guard norm.scale.count == channels, norm.shift.count == channels else {
            throw EngineError.invalidGraph("a layer norm of \(norm.scale.count) scales and \(norm.shift.count) "
                                           + "offsets cannot take a \(shape(x)) tensor")
        }
        guard norm.epsilon >= 0, norm.epsilon.isFinite else {
            throw EngineError.invalidGraph("a layer norm's ε is \(norm.epsilon)")
        }
        return append(.layerNorm(norm), [x], shape(x))
    }

    /// Appends the channel concatenation of `values`.
    /// - Parameter values: at least two tensors of one height and width.
    /// - Returns: the stacked tensor.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when sizes differ or fewer than two are given.
    package mutating func concat(_ values: [Value]) throws(EngineError) -> Value {
        guard let first = values.first, values.count >= 2 else {
            throw EngineError.invalidGraph("a concatenation needs at least two inputs")
        }
        let size = shape(first)
        guard values.allSatisfy({ shape($0).height == size.height && shape($0).width == size.width }) else {
            throw EngineError.invalidGraph("cannot concatenate \(values.map { shape($0).description }) along channels")
        }
        let channels = values.reduce(0) { $0 + shape($1).channels }
        return append(.concat, values, FeatureShape(channels: channels, height: size.height, width: size.width))
    }

    /// Appends a pooling layer.
    /// - Parameters:
    ///   - x: its input.
    ///   - pooling: the layer.
    /// - Returns: its output.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the window does not fit.
    package mutating func pool(_ x: Value, _ pooling: Pooling) throws(EngineError) -> Value {
        let input = shape(x)
        let out = try windowOutput(pooling.window, on: input, "a pooling layer")
        return append(.pool(pooling), [x], FeatureShape(channels: input.channels, height: out.y, width: out.x))
    }

    /// Appends the mean over height and width.
    /// - Parameter x: its input.
    /// - Returns: a `C×1×1` tensor.
    package mutating func globalAveragePool(_ x: Value) -> Value {
        append(.globalAveragePool, [x], FeatureShape(channels: shape(x).channels, height: 1, width: 1))
    }

    /// Appends a fully connected layer on the flattened input.
    /// - Parameters:
    ///   - x: its input.
    ///   - linear: the layer.
    /// - Returns: an `outputs×1×1` tensor.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the sizes do not fit.
    package mutating func linear(_ x: Value, _ linear: Linear) throws(EngineError) -> Value {
        guard linear.inputs == shape(x).count, linear.weights.count == linear.inputs * linear.outputs,
              linear.bias.isEmpty || linear.bias.count == linear.outputs else {
            throw EngineError.invalidGraph("a linear layer \(linear.inputs) → \(linear.outputs) cannot take a \(shape(x)) input")
        }
        return append(.linear(linear), [x], FeatureShape(channels: linear.outputs, height: 1, width: 1))
    }
}
