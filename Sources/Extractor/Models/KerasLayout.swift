/// One layer with weights of a Keras application, as `keras.applications` builds it.
struct KerasLayer: Sendable, Equatable {
    /// The layer classes that carry weights in the supported applications.
    enum Kind: String, Sendable {
        /// `Conv2D`: kernel (HWIO) and, when it has one, bias.
        case conv2d
        /// `BatchNormalization`: gamma, beta, moving_mean, moving_variance.
        case batchNormalization = "batch_normalization"
        /// `Dense`: kernel (IO) and bias.
        case dense
        /// `SeparableConv2D`: a depthwise kernel (`k×k×C×1`), a pointwise kernel (`1×1×C×O`)
        /// and, when it has one, bias.
        case separableConv2d = "separable_conv2d"
        /// `DepthwiseConv2D`: a `k×k×C×1` kernel (Keras 3 calls it `kernel`, Keras 2
        /// `depthwise_kernel`) and, when it has one, bias.
        case depthwiseConv2d = "depthwise_conv2d"
        /// `Normalization` (EfficientNet's input): per-channel mean and variance, and the scalar
        /// count of samples it was adapted on (an integer, unused at inference).
        case normalization

        /// The variable names, in Keras' order.
        var weightNames: [String] {
            switch self {
            case .conv2d, .dense: return ["kernel", "bias"]
            case .batchNormalization: return ["gamma", "beta", "moving_mean", "moving_variance"]
            case .separableConv2d: return ["depthwise_kernel", "pointwise_kernel", "bias"]
            case .depthwiseConv2d: return ["kernel", "bias"]
            case .normalization: return ["mean", "variance", "count"]
            }
        }
    }

    /// The layer's name in the application (`block1_conv1`).
    let name: String
    /// Its class.
    let kind: Kind
    /// The shapes of its variables, in Keras' order (a convolution without bias has one).
    let shapes: [[Int]]

    /// `name/variable` for each variable: the keys the graph builders read (Keras 3's `weight.path`).
    /// A batch norm with three variables has no gamma (`scale=False`, as in the Inceptions).
    var keys: [String] {
        let names = kind == .batchNormalization && shapes.count == 3 ? Array(kind.weightNames.dropFirst()) : kind.weightNames
        return zip(names, shapes).map { "\(name)/\($0.0)" }
    }

    /// A `k×k` convolution `inputs → outputs`, with or without bias.
    static func conv(_ name: String, _ inputs: Int, _ outputs: Int, _ kernel: Int, bias: Bool = true) -> KerasLayer {
        KerasLayer(name: name, kind: .conv2d,
                   shapes: [[kernel, kernel, inputs, outputs]] + (bias ? [[outputs]] : []))
    }

    /// A `k×k` separable convolution `inputs → outputs` (depth multiplier 1) without bias.
    static func separable(_ name: String, _ inputs: Int, _ outputs: Int, _ kernel: Int) -> KerasLayer {
        KerasLayer(name: name, kind: .separableConv2d, shapes: [[kernel, kernel, inputs, 1], [1, 1, inputs, outputs]])
    }

    /// A `k×k` depthwise convolution of `channels` (depth multiplier 1) without bias.
    static func depthwise(_ name: String, _ channels: Int, _ kernel: Int) -> KerasLayer {
        KerasLayer(name: name, kind: .depthwiseConv2d, shapes: [[kernel, kernel, channels, 1]])
    }

    /// A `Normalization` of `channels` (mean, variance, and a scalar count).
    static func normalization(_ name: String, _ channels: Int) -> KerasLayer {
        KerasLayer(name: name, kind: .normalization, shapes: [[channels], [channels], []])
    }

    /// A batch normalisation of `channels`.
    static func batchNorm(_ name: String, _ channels: Int) -> KerasLayer {
        KerasLayer(name: name, kind: .batchNormalization, shapes: Array(repeating: [channels], count: 4))
    }

    /// A dense layer `inputs → outputs` with bias.
    static func dense(_ name: String, _ inputs: Int, _ outputs: Int) -> KerasLayer {
        KerasLayer(name: name, kind: .dense, shapes: [[inputs, outputs], [outputs]])
    }
}

/// The layers with weights of a Keras application in `model.layers` order (the order Keras
/// assigns a Keras 2 file's weights by position), the last `headCount` of them the classifier
/// that `include_top=False` files (`…_notop.h5`) leave out.
struct KerasLayout: Sendable, Equatable {
    /// Every layer with weights, the classifier last.
    let layers: [KerasLayer]
    /// How many of the last layers form the classifier.
    let headCount: Int

    /// Assigns a file's weights to the layers as Keras would: Keras 2 files by position among
    /// the layers with weights, Keras 3 files by class and ordinal (`conv2d_3` is the fourth
    /// `Conv2D`). A file may stop before the classifier (a `notop` file); anything else that does
    /// not fit is refused at the first weight that differs.
    /// - Parameters:
    ///   - file: the file's layers.
    ///   - backbone: the backbone's name, for errors.
    /// - Returns: the tensors by ``KerasLayer/keys`` (no classifier keys for a `notop` file).
    /// - Throws: `BackboneError.incompatibleWeights` naming the first weight that is missing or
    ///   has another shape, `.unexpectedWeights` for weights the application does not have.
    func tensors(from file: KerasWeightsFile, backbone: String) throws -> [String: WeightTensor] {
        let body = layers.count - headCount
        var tensors = [String: WeightTensor]()
        var used = Set<Int>()
        var ordinals = [KerasLayer.Kind: Int]()
        let groups = Dictionary(file.layers.enumerated().map { ($1.group, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, layer) in layers.enumerated() {
            let ordinal = ordinals[layer.kind, default: 0]
            ordinals[layer.kind] = ordinal + 1
            let position: Int?
            switch file.format {
            case .legacy: position = index < file.layers.count ? index : nil
            case .keras3: position = groups[ordinal == 0 ? layer.kind.rawValue : "\(layer.kind.rawValue)_\(ordinal)"]
            }
            guard let position else {
                if index == body { break }
                throw BackboneError.incompatibleWeights(backbone: backbone, key: layer.keys[0], expected: layer.shapes[0],
                                                        found: nil, source: file.file)
            }
            let found = file.layers[position]
            for (key, (shape, weight)) in zip(layer.keys, zip(layer.shapes, found.weights)) {
                guard weight.tensor.shape == shape else {
                    throw BackboneError.incompatibleWeights(backbone: backbone, key: Self.describe(weight.name, as: key),
                                                            expected: shape, found: weight.tensor.shape, source: file.file)
                }
                tensors[key] = weight.tensor
            }
            if found.weights.count < layer.shapes.count {
                let missing = layer.keys[found.weights.count]
                throw BackboneError.incompatibleWeights(backbone: backbone, key: missing,
                                                        expected: layer.shapes[found.weights.count], found: nil,
                                                        source: file.file)
            }
            if found.weights.count > layer.shapes.count {
                throw BackboneError.unexpectedWeights(backbone: backbone, key: found.weights[layer.shapes.count].name,
                                                      source: file.file)
            }
            used.insert(position)
        }
        if let extra = file.layers.indices.first(where: { !used.contains($0) }), let weight = file.layers[extra].weights.first {
            throw BackboneError.unexpectedWeights(backbone: backbone, key: weight.name, source: file.file)
        }
        return tensors
    }

    /// A file's weight name, with the application's name for it when they differ.
    private static func describe(_ name: String, as key: String) -> String {
        name == key ? key : "\(name) (\(key))"
    }
}
