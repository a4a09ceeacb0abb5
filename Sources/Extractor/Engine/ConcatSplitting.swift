/// A graph rewrite that removes channel concatenations by moving them past their readers
/// (SqueezeNet's fire modules concatenate, then pool or squeeze):
///
/// - a dense convolution of `concat(a, b)` is `conv_a(a) + conv_b(b)` with the weights split by
///   input channel (the second add becomes an in-place sum post-op of the second convolution);
/// - pooling, global pooling and activations work per channel, so they run on each part;
/// - anything else (and a graph output) reads a real concatenation, made once where needed —
///   a per-channel affine map too: DenseNet normalises the concatenation of all earlier layers
///   in every layer, and splitting it would make one affine map and one convolution per earlier
///   layer in each later one (quadratic in depth, each on a few channels) instead of one copy.
///
/// The result computes the same values with the same multiply-adds and no copies on the
/// common path; only outputs that are themselves concatenations (a feature map) copy.
package enum ConcatSplitting {
    /// A value of the original graph as the rewritten graph holds it.
    private enum Parts {
        /// One tensor.
        case whole(Graph.Value)
        /// Tensors to be read as their channel concatenation, in order.
        case concatenation([Graph.Value])
    }

    /// The rewritten graph (the input itself when it has no concatenation).
    /// - Parameter graph: a graph with its outputs set.
    /// - Returns: an equivalent graph.
    /// - Throws: ``EngineError/invalidGraph(_:)`` when the graph is inconsistent.
    package static func rewrite(_ graph: Graph) throws(EngineError) -> Graph {
        guard graph.nodes.contains(where: { if case .concat = $0.operation { return true } else { return false } })
        else { return graph }
        var new = Graph(input: graph.inputShape)
        var parts: [Graph.Value: Parts] = [graph.input: .whole(new.input)]
        var materialised: [Graph.Value: Graph.Value] = [:]

        func whole(_ value: Graph.Value) throws(EngineError) -> Graph.Value {
            switch parts[value] {
            case .whole(let v)?: return v
            case .concatenation(let list)?:
                if let done = materialised[value] { return done }
                let joined = try new.concat(list)
                materialised[value] = joined
                return joined
            case nil: throw EngineError.invalidGraph("value \(value.index) is read before it is made")
            }
        }

        for node in graph.nodes {
            let split: [Graph.Value]?
            if node.inputs.count == 1, case .concatenation(let list)? = parts[node.inputs[0]] {
                split = list
            } else {
                split = nil
            }
            switch (node.operation, split) {
            case (.concat, _):
                var list: [Graph.Value] = []
                for input in node.inputs {
                    switch parts[input] {
                    case .whole(let v)?: list.append(v)
                    case .concatenation(let inner)?: list += inner
                    case nil: throw EngineError.invalidGraph("value \(input.index) is read before it is made")
                    }
                }
                parts[node.output] = .concatenation(list)
            case (.convolution(let conv), let list?) where conv.groups == 1:
                parts[node.output] = .whole(try splitConvolution(conv, over: list, in: &new))
            case (.pool(let pooling), let list?):
                var pooled: [Graph.Value] = []
                for part in list { pooled.append(try new.pool(part, pooling)) }
                parts[node.output] = .concatenation(pooled)
            case (.globalAveragePool, let list?):
                parts[node.output] = .concatenation(list.map { new.globalAveragePool($0) })
            case (.activation(let activation), let list?):
                parts[node.output] = .concatenation(list.map { new.activation($0, activation) })
            default:
                var inputs: [Graph.Value] = []
                for input in node.inputs { inputs.append(try whole(input)) }
                parts[node.output] = .whole(try new.append(node.operation, inputs))
            }
        }
        for output in Graph.Output.allCases {
            if let value = graph.outputs[output] { new.setOutput(output, try whole(value)) }
        }
        return new
    }

    /// `conv(concat(list))` as one convolution per part, summed.
    private static func splitConvolution(_ conv: Convolution, over list: [Graph.Value],
                                         in graph: inout Graph) throws(EngineError) -> Graph.Value {
        let taps = conv.window.kernel.y * conv.window.kernel.x
        var first = 0
        var sum: Graph.Value?
        for part in list {
            let channels = graph.shape(part).channels
            var weights = [Float]()
            weights.reserveCapacity(conv.outputChannels * channels * taps)
            for o in 0..<conv.outputChannels {
                let start = (o * conv.inputChannels + first) * taps
                weights += conv.weights[start ..< start + channels * taps]
            }
            let piece = Convolution(inputChannels: channels, outputChannels: conv.outputChannels, groups: 1,
                                    window: conv.window, weights: weights, bias: sum == nil ? conv.bias : [])
            let y = try graph.convolution(part, piece)
            sum = try sum.map { (previous) throws(EngineError) in try graph.add(y, previous) } ?? y
            first += channels
        }
        guard let sum else { throw EngineError.invalidGraph("a concatenation of nothing") }
        return sum
    }
}
