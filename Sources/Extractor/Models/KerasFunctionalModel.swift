/// A Keras functional model as a `keras.applications` function builds it: every layer, the
/// weightless ones too, in the order the Python code calls them, each with its inputs. A family
/// written once in Keras' own terms gets from it both the layer order of Keras' weight files
/// (``layout(featureMap:)``) and the engine graph (``graph(_:inputSize:featureMap:)``).
///
/// Keras does not order `model.layers` (and with it the weights of a Keras 2 file, assigned by
/// position, and the `layers/<class>_<n>` groups of a Keras 3 file) by creation but as
/// `keras/src/ops/function.py`'s `map_graph` does: by depth (the longest path to the output), the
/// deepest first, ties broken by the order in which a depth-first walk from the output first
/// reaches each layer. In a branching network (Inception's mixed blocks) the branches' layers
/// interleave in that order.
struct KerasFunctionalModel {
    /// A Keras layer (or the input).
    enum Operation {
        /// `Input`.
        case input
        /// `Conv2D`, kernel `rows × columns`, with or without bias.
        case conv2d(name: String, kernel: Extent, stride: Int, padding: Padding, bias: Bool)
        /// `BatchNormalization` (without `scale`: no gamma), with its ε.
        case batchNorm(name: String, scale: Bool, epsilon: Float)
        /// `Activation("relu")`.
        case relu
        /// `MaxPooling2D` / `AveragePooling2D`.
        case pool(Pooling)
        /// `Concatenate` along channels.
        case concat
        /// Inception-ResNet's `CustomScaleLayer`: `inputs[0] + scale · inputs[1]`.
        case scaledSum(Float)
        /// `GlobalAveragePooling2D`.
        case globalAveragePool
        /// `Dense` with bias.
        case dense(name: String)
    }

    /// One layer call.
    struct Node {
        /// What the layer is.
        let operation: Operation
        /// The nodes it reads, in the call's order.
        let inputs: [Int]
        /// Its output channels.
        let channels: Int
    }

    /// Every layer call in creation order; node 0 is the input.
    private(set) var nodes: [Node]
    /// The auto-naming counters of a fresh Keras session (`conv2d`, `conv2d_1`, …).
    private var counters = [String: Int]()

    /// A model with only its input.
    /// - Parameter channels: the input's channels.
    init(inputChannels channels: Int = 3) {
        nodes = [Node(operation: .input, inputs: [], channels: channels)]
    }

    /// The input node.
    var input: Int { 0 }

    /// The channels of a node's output.
    func channels(_ node: Int) -> Int { nodes[node].channels }

    private mutating func append(_ operation: Operation, _ inputs: [Int], channels: Int) -> Int {
        nodes.append(Node(operation: operation, inputs: inputs, channels: channels))
        return nodes.count - 1
    }

    /// The name Keras gives an unnamed layer of a class: `base` for the first, `base_1`, … after.
    private mutating func autoName(_ base: String) -> String {
        let n = counters[base, default: 0]
        counters[base] = n + 1
        return n == 0 ? base : "\(base)_\(n)"
    }

    /// Adds a `Conv2D`.
    /// - Parameters:
    ///   - x: its input.
    ///   - filters: output channels.
    ///   - kernel: kernel rows and columns.
    ///   - stride: the stride.
    ///   - same: Keras `padding="same"` (else `valid`).
    ///   - bias: `use_bias`.
    ///   - name: the layer's name (nil: Keras' automatic `conv2d_<n>`).
    /// - Returns: its node.
    mutating func conv2d(_ x: Int, _ filters: Int, _ kernel: Extent, stride: Int = 1, same: Bool, bias: Bool,
                         name: String? = nil) -> Int {
        // Keras' `same` at stride 1 (every `same` convolution of the supported families) is
        // TensorFlow SAME: for an odd kernel, symmetric; `.tensorflowSame` covers the rest.
        append(.conv2d(name: name ?? autoName("conv2d"), kernel: kernel, stride: stride,
                       padding: same ? .tensorflowSame : .symmetric(0), bias: bias), [x], channels: filters)
    }

    /// Adds a `BatchNormalization`.
    /// - Parameters:
    ///   - x: its input.
    ///   - scale: whether it has gamma.
    ///   - epsilon: its ε.
    ///   - name: the layer's name (nil: `batch_normalization_<n>`).
    /// - Returns: its node.
    mutating func batchNorm(_ x: Int, scale: Bool, epsilon: Float, name: String? = nil) -> Int {
        append(.batchNorm(name: name ?? autoName("batch_normalization"), scale: scale, epsilon: epsilon), [x],
               channels: channels(x))
    }

    /// Adds a ReLU `Activation`.
    mutating func relu(_ x: Int) -> Int { append(.relu, [x], channels: channels(x)) }

    /// Adds a pooling layer.
    /// - Parameters:
    ///   - x: its input.
    ///   - kind: max, or average (Keras' excludes padding: `countsPadding: false`).
    ///   - size: the window side.
    ///   - stride: the stride.
    ///   - same: Keras `padding="same"` (else `valid`).
    /// - Returns: its node.
    mutating func pool(_ x: Int, _ kind: Pooling.Kind, size: Int, stride: Int, same: Bool) -> Int {
        append(.pool(Pooling(kind: kind, window: Window(kernel: Extent(size), stride: Extent(stride),
                                                        padding: same ? .tensorflowSame : .symmetric(0)))),
               [x], channels: channels(x))
    }

    /// Adds a `Concatenate` along channels.
    mutating func concat(_ xs: [Int]) -> Int { append(.concat, xs, channels: xs.reduce(0) { $0 + channels($1) }) }

    /// Adds Inception-ResNet's `CustomScaleLayer()([x, residual])`: `x + scale · residual`.
    mutating func scaledSum(_ x: Int, _ residual: Int, scale: Float) -> Int {
        append(.scaledSum(scale), [x, residual], channels: channels(x))
    }

    /// Adds the classifier Keras puts on the last map: `GlobalAveragePooling2D(name="avg_pool")`
    /// and `Dense(outputs, name="predictions")`.
    /// - Parameters:
    ///   - x: the last feature map.
    ///   - outputs: the classes.
    /// - Returns: the classifier's node.
    mutating func averagePooledClassifier(_ x: Int, outputs: Int) -> Int {
        let pooled = append(.globalAveragePool, [x], channels: channels(x))
        return append(.dense(name: "predictions"), [pooled], channels: outputs)
    }

    /// The reachable nodes of `output` in Keras' `model.layers` order (see the type's notes).
    /// - Parameter output: the model's output node.
    /// - Returns: node indices, the input first.
    func kerasOrder(output: Int) -> [Int] {
        // The first-visit index of a depth-first walk from the output, inputs in call order.
        var visit = [Int: Int]()
        var stack = [output]
        while let node = stack.popLast() {
            guard visit[node] == nil else { continue }
            visit[node] = visit.count
            stack += nodes[node].inputs.reversed()
        }
        // The longest path to the output; creation order is topological, so going backwards
        // settles every consumer before the layers it reads.
        var depth = [Int](repeating: -1, count: output + 1)
        depth[output] = 0
        for node in stride(from: output, through: 0, by: -1) where depth[node] >= 0 {
            for parent in nodes[node].inputs { depth[parent] = max(depth[parent], depth[node] + 1) }
        }
        return visit.keys.sorted { a, b in
            depth[a] != depth[b] ? depth[a] > depth[b] : (visit[a] ?? 0) < (visit[b] ?? 0)
        }
    }
}
