/// A graph grouped into the primitives that will run it, in execution order, each marked with
/// the outputs that need it. The grouping is what makes oneDNN fast here:
///
/// - a convolution absorbs the activations that follow it (oneDNN eltwise post-ops);
/// - a residual `add` whose other operand is not read again becomes an in-place `sum` post-op
///   of the convolution producing the first operand (the convolution writes onto the other
///   operand's buffer), and the activations after the add follow it;
/// - a 1×1 convolution followed by a 3×3 depthwise convolution with one-pixel leading padding
///   becomes one primitive (oneDNN's `append_dw`), with both activation chains;
/// - a linear layer or an unfused add absorbs the activations that follow it; a per-channel
///   affine map absorbs a ReLU right after it (oneDNN's batch norm fuses nothing else).
///
/// The plan builder may still split a fused group when oneDNN refuses it (see `PlanBuilder`).
/// Fusion never absorbs a value that is a graph output.
package struct Schedule {
    /// A post-op of a convolution, in order.
    package enum PostOp: Equatable {
        /// An elementwise function of the result so far.
        case activation(Activation)
        /// `result += value` in place: the convolution writes into `value`'s buffer.
        case sum(Graph.Value)
    }

    /// A depthwise convolution fused behind a 1×1 convolution.
    package struct FusedDepthwise {
        /// The depthwise layer.
        package let convolution: Convolution
        /// The 1×1 convolution's (activated) output, the depthwise input: only materialised
        /// when oneDNN refuses the fusion.
        package let input: Graph.Value
        /// Activations after the depthwise convolution.
        package let activations: [Activation]
    }

    /// What a step runs.
    package enum Kind {
        /// A convolution with post-ops and an optional fused depthwise convolution.
        case convolution(Convolution, postOps: [PostOp], depthwise: FusedDepthwise?)
        /// Max or average pooling.
        case pool(Pooling)
        /// Mean over height and width.
        case globalAveragePool
        /// Channel concatenation of the inputs.
        case concat
        /// `inputs[0] + inputs[1]`, then activations.
        case add(activations: [Activation])
        /// `inputs[0] · inputs[1]` broadcast over height and width.
        case scale
        /// A per-channel affine map, then a ReLU if `relu`.
        case affine(Affine, relu: Bool)
        /// A layer norm over channels.
        case layerNorm(LayerNorm)
        /// One elementwise function.
        case activation(Activation)
        /// A fully connected layer, then activations.
        case linear(Linear, activations: [Activation])
    }

    /// One primitive (or fused group) to run.
    package struct Step {
        /// What it runs.
        package let kind: Kind
        /// Its operands (for a convolution: its input only; see `reads`).
        package let inputs: [Graph.Value]
        /// The value it makes.
        package let output: Graph.Value
        /// The outputs that need this step (it is skipped when none of them is asked for).
        package var neededBy: Set<Graph.Output> = []

        /// Every value the step reads, including the in-place sum operand.
        package var reads: [Graph.Value] {
            guard case .convolution(_, let postOps, _) = kind else { return inputs }
            return inputs + postOps.compactMap { op in
                if case .sum(let value) = op { return value }
                return nil
            }
        }
    }

    /// The graph scheduled.
    package let graph: Graph
    /// The steps in execution order.
    package let steps: [Step]

    /// Groups `graph`'s nodes into steps and marks which outputs need each.
    /// - Parameter graph: a graph whose feature map and features are set (the logits are
    ///   optional: a network loaded without its classifier has none).
    /// - Throws: ``EngineError/invalidGraph(_:)`` when one of those is missing.
    package init(_ graph: Graph) throws(EngineError) {
        for output in [Graph.Output.featureMap, .features] where graph.outputs[output] == nil {
            throw EngineError.invalidGraph("the \(output) output is not set")
        }
        self.graph = graph
        var fuser = Fuser(graph)
        var steps = fuser.run()
        Self.markNeeds(&steps, graph: graph)
        self.steps = steps
    }

    /// Marks each step with the outputs whose values depend on it.
    private static func markNeeds(_ steps: inout [Step], graph: Graph) {
        var producer = [Graph.Value: Int]()
        for (index, step) in steps.enumerated() { producer[step.output] = index }
        for (output, value) in graph.outputs {
            var pending = [value]
            while let next = pending.popLast() {
                guard let index = producer[next], !steps[index].neededBy.contains(output) else { continue }
                steps[index].neededBy.insert(output)
                pending.append(contentsOf: steps[index].reads)
            }
        }
    }
}

/// The fusion pass behind `Schedule`.
private struct Fuser {
    let graph: Graph
    /// Node indices reading each value.
    var consumers: [Graph.Value: [Int]] = [:]
    /// Nodes already absorbed into an earlier step.
    var absorbed = Set<Int>()
    let outputValues: Set<Graph.Value>

    init(_ graph: Graph) {
        self.graph = graph
        for (index, node) in graph.nodes.enumerated() {
            for input in Set(node.inputs) { consumers[input, default: []].append(index) }
        }
        outputValues = Set(graph.outputs.values)
    }

    /// The one node reading `value`, when exactly one does and `value` is not a graph output.
    func soleConsumer(of value: Graph.Value) -> Int? {
        guard !outputValues.contains(value), let readers = consumers[value], readers.count == 1 else { return nil }
        return readers[0]
    }

    /// Follows single-consumer activation nodes from `value`, absorbing them.
    mutating func absorbActivations(from value: Graph.Value) -> (activations: [Activation], end: Graph.Value) {
        var current = value
        var activations: [Activation] = []
        while let next = soleConsumer(of: current), case .activation(let a) = graph.nodes[next].operation {
            activations.append(a)
            absorbed.insert(next)
            current = graph.nodes[next].output
        }
        return (activations, current)
    }

    mutating func run() -> [Schedule.Step] {
        var steps: [Schedule.Step] = []
        for (index, node) in graph.nodes.enumerated() where !absorbed.contains(index) {
            switch node.operation {
            case .convolution(let conv):
                steps.append(convolutionStep(index, conv))
            case .linear(let linear):
                let (activations, end) = absorbActivations(from: node.output)
                steps.append(Schedule.Step(kind: .linear(linear, activations: activations), inputs: node.inputs,
                                           output: end))
            case .add:
                let (activations, end) = absorbActivations(from: node.output)
                steps.append(Schedule.Step(kind: .add(activations: activations), inputs: node.inputs, output: end))
            case .activation(let a):
                steps.append(Schedule.Step(kind: .activation(a), inputs: node.inputs, output: node.output))
            case .scale:
                steps.append(Schedule.Step(kind: .scale, inputs: node.inputs, output: node.output))
            case .affine(let affine):
                var end = node.output
                if let next = soleConsumer(of: end), case .activation(.relu) = graph.nodes[next].operation {
                    absorbed.insert(next)
                    end = graph.nodes[next].output
                }
                steps.append(Schedule.Step(kind: .affine(affine, relu: end != node.output), inputs: node.inputs,
                                           output: end))
            case .layerNorm(let norm):
                steps.append(Schedule.Step(kind: .layerNorm(norm), inputs: node.inputs, output: node.output))
            case .concat:
                steps.append(Schedule.Step(kind: .concat, inputs: node.inputs, output: node.output))
            case .pool(let pooling):
                steps.append(Schedule.Step(kind: .pool(pooling), inputs: node.inputs, output: node.output))
            case .globalAveragePool:
                steps.append(Schedule.Step(kind: .globalAveragePool, inputs: node.inputs, output: node.output))
            }
        }
        return steps
    }

    /// A convolution with what follows it fused in.
    private mutating func convolutionStep(_ index: Int, _ conv: Convolution) -> Schedule.Step {
        let node = graph.nodes[index]
        var (activations, end) = absorbActivations(from: node.output)
        var postOps = activations.map(Schedule.PostOp.activation)
        if let add = soleConsumer(of: end), case .add = graph.nodes[add].operation,
           let other = graph.nodes[add].inputs.first(where: { $0 != end }),
           canOverwrite(other, from: index, until: add) {
            absorbed.insert(add)
            postOps.append(.sum(other))
            (activations, end) = absorbActivations(from: graph.nodes[add].output)
            postOps += activations.map(Schedule.PostOp.activation)
            return Schedule.Step(kind: .convolution(conv, postOps: postOps, depthwise: nil), inputs: node.inputs,
                                 output: end)
        }
        if isPointwise(conv, input: node.inputs[0]), let next = soleConsumer(of: end),
           case .convolution(let dw) = graph.nodes[next].operation, fusesAsDepthwise(dw, input: end) {
            absorbed.insert(next)
            let (dwActivations, dwEnd) = absorbActivations(from: graph.nodes[next].output)
            return Schedule.Step(kind: .convolution(conv, postOps: postOps,
                                                    depthwise: Schedule.FusedDepthwise(convolution: dw, input: end,
                                                                                       activations: dwActivations)),
                                 inputs: node.inputs, output: dwEnd)
        }
        return Schedule.Step(kind: .convolution(conv, postOps: postOps, depthwise: nil), inputs: node.inputs,
                             output: end)
    }

    /// Whether the convolution at node `start` may write its result onto `value`: `value` is a
    /// node's output (not the caller's input), not a graph output, made before `start`, and
    /// read by nothing but the add at node `add` after `start` runs (nor by the convolution).
    private func canOverwrite(_ value: Graph.Value, from start: Int, until add: Int) -> Bool {
        guard value != graph.input, !outputValues.contains(value), value.index - 1 < start else { return false }
        return (consumers[value] ?? []).allSatisfy { $0 == add || $0 < start }
    }

    /// A 1×1, stride-1, unpadded, ungrouped convolution (the head of an `append_dw` fusion).
    private func isPointwise(_ conv: Convolution, input: Graph.Value) -> Bool {
        let w = conv.window
        let size = graph.shape(input)
        return conv.groups == 1 && w.kernel == Extent(1) && w.stride == Extent(1)
            && w.edges(for: Extent(y: size.height, x: size.width)) == Edges(leading: Extent(0), trailing: Extent(0))
    }

    /// A 3×3 depthwise convolution, stride 1 or 2, undilated, one pixel of leading padding:
    /// what oneDNN's `append_dw` post-op computes.
    private func fusesAsDepthwise(_ conv: Convolution, input: Graph.Value) -> Bool {
        let w = conv.window
        let size = graph.shape(input)
        return conv.isDepthwise && w.kernel == Extent(3) && w.dilation == Extent(1)
            && (w.stride == Extent(1) || w.stride == Extent(2))
            && w.edges(for: Extent(y: size.height, x: size.width)).leading == Extent(1)
    }
}
