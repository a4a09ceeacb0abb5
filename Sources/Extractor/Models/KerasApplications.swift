import Foundation

extension BackboneRegistry {
    /// `keras.applications` networks from the `.h5` weights Keras downloads (prefixed `keras_`,
    /// as their weights, preprocessing and layer order differ from torchvision's `vgg16`/`resnet50`).
    /// Each accepts its `…_notop.h5` file (features only) or the full file (features and logits),
    /// the notop file first.
    static let kerasApplications: [BackboneDescriptor] = [
        ("keras_vgg16", "vgg16", BackboneDescriptor.Architecture.kerasVGG(depth: 16), 512, Preprocessing.kerasCaffe(inputSize: 224)),
        ("keras_vgg19", "vgg19", .kerasVGG(depth: 19), 512, .kerasCaffe(inputSize: 224)),
        ("keras_resnet50", "resnet50", .kerasResNet(.v1, depth: 50), 2048, .kerasCaffe(inputSize: 224)),
        ("keras_resnet50v2", "resnet50v2", .kerasResNet(.v2, depth: 50), 2048, .kerasTensorflow(inputSize: 224)),
        ("keras_resnet101", "resnet101", .kerasResNet(.v1, depth: 101), 2048, .kerasCaffe(inputSize: 224)),
        ("keras_resnet152", "resnet152", .kerasResNet(.v1, depth: 152), 2048, .kerasCaffe(inputSize: 224)),
        ("keras_resnet101v2", "resnet101v2", .kerasResNet(.v2, depth: 101), 2048, .kerasTensorflow(inputSize: 224)),
        ("keras_resnet152v2", "resnet152v2", .kerasResNet(.v2, depth: 152), 2048, .kerasTensorflow(inputSize: 224)),
        ("keras_xception", "xception", .kerasXception, 2048, .kerasTensorflow(inputSize: 299)),
        ("keras_inception_v3", "inception_v3", .kerasInception(.v3), 2048, .kerasTensorflow(inputSize: 299)),
        ("keras_inception_resnet_v2", "inception_resnet_v2", .kerasInception(.resNetV2), 1536, .kerasTensorflow(inputSize: 299)),
    ].map { name, file, architecture, features, preprocessing in
        BackboneDescriptor(name: name, weights: .keras(files: ["\(file)_weights_tf_dim_ordering_tf_kernels_notop.h5",
                                                               "\(file)_weights_tf_dim_ordering_tf_kernels.h5"]),
                           inputSize: preprocessing.cropSize, preprocessing: preprocessing, featureDimension: features,
                           classes: 1000, architecture: architecture)
    }

    /// Keras' download cache: `$KERAS_HOME/models`, by default `~/.keras/models` (as
    /// `keras.utils.get_file` decides).
    /// - Parameter environment: the process environment.
    /// - Returns: the folder (it may not exist).
    public static func kerasModels(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home = environment["KERAS_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".keras")
        return home.appendingPathComponent("models")
    }
}

extension BackboneDescriptor {
    /// The Keras layer layout of a `keras_…` backbone (nil for the other families).
    var kerasLayout: KerasLayout? {
        switch architecture {
        case .kerasVGG(let depth): return KerasVGG.layout(depth: depth)
        case .kerasResNet(let version, let depth): return KerasResNet.layout(version, depth: depth)
        case .kerasXception: return KerasXception.layout()
        case .kerasInception(let variant): return KerasInception.layout(variant)
        case .kerasDenseNet(let variant): return KerasDenseNet.layout(variant)
        case .kerasMobileNet: return KerasMobileNet.layout()
        case .kerasEfficientNet(let variant): return KerasEfficientNet.layout(variant)
        default: return nil
        }
    }

    /// The Keras layers with weights of a `keras_…` backbone in Keras' `model.layers` order: name,
    /// class (`conv2d`, `batch_normalization`, `dense`, `separable_conv2d`), variable shapes and
    /// their weight paths (`block1_conv1/kernel`) (nil for other families).
    package var kerasLayers: [(name: String, kind: String, shapes: [[Int]], keys: [String])]? {
        kerasLayout?.layers.map { ($0.name, $0.kind.rawValue, $0.shapes, $0.keys) }
    }

    /// Reads a Keras weights file for this backbone and assigns its tensors as Keras would.
    /// - Parameter url: the `.h5` file.
    /// - Returns: the tensors by Keras weight path (`block1_conv1/kernel`).
    /// - Throws: ``CheckpointError`` when the file cannot be read; `BackboneError` when it does
    ///   not fit (see ``KerasLayout/tensors(from:backbone:)``).
    func kerasTensors(_ url: URL) throws -> [String: WeightTensor] {
        guard let layout = kerasLayout else { return [:] }
        return try layout.tensors(from: KerasWeightsFile(contentsOf: url), backbone: name)
    }
}

extension Graph {
    /// The outputs of a Keras application whose classifier is `predictions` on the global average
    /// (ResNets, Xception; MobileNet's `conv_preds`): the map, its global average as the features
    /// and, when the file has the classifier (not a `notop` file), the logits.
    /// - Parameters:
    ///   - featureMap: the last feature map.
    ///   - channels: its channels.
    ///   - checkpoint: the tensors.
    ///   - classifier: the classifier layer's name.
    ///   - pointwise: whether it is a 1×1 `Conv2D` on the pooled map rather than a `Dense` layer.
    /// - Throws: `BackboneError` for a misshapen classifier, ``EngineError`` when it does not fit.
    mutating func setKerasPooledOutputs(featureMap: Value, channels: Int, _ checkpoint: CheckpointTensors,
                                        classifier: String = "predictions", pointwise: Bool = false) throws {
        if checkpoint.contains("\(classifier)/kernel") {
            try setPooledLinearOutputs(featureMap: featureMap,
                                       classifier: checkpoint.kerasDense(classifier, inputs: channels, outputs: 1000,
                                                                         pointwise: pointwise))
        } else {
            setOutput(.featureMap, featureMap)
            setOutput(.features, globalAveragePool(featureMap))
        }
    }
}
