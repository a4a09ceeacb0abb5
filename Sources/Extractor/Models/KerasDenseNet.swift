/// Keras' DenseNet121/169/201 (`keras.applications.DenseNet121`, …) from their `.h5` weights, as
/// `keras/src/applications/densenet.py` builds them: the same network as torchvision's DenseNets
/// (``DenseNet``), layer for layer in the same order, with batch-norm ε 1.001e-5 and Keras' names.
///
/// - Stem: `ZeroPadding2D(3)` + `conv1_conv` 7×7/2 `valid` (no bias) → `conv1_bn` → ReLU →
///   `ZeroPadding2D(1)` + 3×3/2 max pool: torchvision's padded convolution and pool (the pool's
///   input is ≥ 0, so zeros never win the maximum).
/// - Dense blocks `conv2`…`conv5`, layer `k` (`conv2_block1`, …): `_0_bn` → ReLU → `_1_conv`
///   1×1 (128, no bias) → `_1_bn` → ReLU → `_2_conv` 3×3 `same` (32, no bias), concatenated onto
///   the block's input.
/// - Transitions `pool2`…`pool4`: `_bn` → ReLU → `_conv` 1×1 (half the channels, no bias) →
///   2×2/2 average pool.
/// - End: `bn` → ReLU (the feature map, 1024/1664/1920×7×7), its global average (the features),
///   `predictions` before its softmax when the file has the classifier.
///
/// The Keras tensors are checked against ``layout(_:)`` (refused at the first weight that does
/// not fit), then renamed to torchvision's keys and transposed (``KerasLayout/torchvisionTensors(_:modules:)``)
/// for ``DenseNet/graph(_:variant:inputSize:epsilon:classifierOptional:)``.
enum KerasDenseNet {
    /// Keras' batch-norm ε in the DenseNets.
    static let epsilon: Float = 1.001e-5

    /// The layers with weights in Keras' `model.layers` order.
    /// - Parameter variant: the family member (growth 32, stem 64).
    /// - Returns: the layout; the classifier is `predictions`.
    static func layout(_ variant: DenseNet.Variant) -> KerasLayout {
        var layers: [KerasLayer] = [.conv("conv1_conv", 3, variant.initialFeatures, 7, bias: false),
                                    .batchNorm("conv1_bn", variant.initialFeatures)]
        let inputs = variant.blockInputs
        for (block, count) in variant.blocks.enumerated() {
            for layer in 0..<count {
                let n = "conv\(block + 2)_block\(layer + 1)"
                let channels = inputs[block] + layer * variant.growth
                layers += [.batchNorm("\(n)_0_bn", channels),
                           .conv("\(n)_1_conv", channels, variant.bottleneck, 1, bias: false),
                           .batchNorm("\(n)_1_bn", variant.bottleneck),
                           .conv("\(n)_2_conv", variant.bottleneck, variant.growth, 3, bias: false)]
            }
            if block < variant.blocks.count - 1 {
                let channels = inputs[block] + count * variant.growth
                layers += [.batchNorm("pool\(block + 2)_bn", channels),
                           .conv("pool\(block + 2)_conv", channels, channels / 2, 1, bias: false)]
            }
        }
        layers += [.batchNorm("bn", variant.featureDimension), .dense("predictions", variant.featureDimension, 1000)]
        return KerasLayout(layers: layers, headCount: 1)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `predictions/kernel` the graph has no logits.
    ///   - variant: the family member.
    ///   - inputSize: the square input side (224).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: DenseNet.Variant, inputSize: Int) throws -> Graph {
        let modules = KerasLayout.torchvisionModules(DenseNet.stateDictLayout(variant))
        let tensors = layout(variant).torchvisionTensors(checkpoint.tensors, modules: modules)
        return try DenseNet.graph(CheckpointTensors(tensors: tensors, source: checkpoint.source), variant: variant,
                                  inputSize: inputSize, epsilon: epsilon, classifierOptional: true)
    }
}

extension BackboneRegistry {
    /// Keras' DenseNets (`torch` preprocessing at 224), from `densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5`
    /// or the full file.
    static let kerasDenseNets: [BackboneDescriptor] = [
        ("keras_densenet121", "densenet121", DenseNet.Variant(blocks: [6, 12, 24, 16], growth: 32, initialFeatures: 64)),
        ("keras_densenet169", "densenet169", DenseNet.Variant(blocks: [6, 12, 32, 32], growth: 32, initialFeatures: 64)),
        ("keras_densenet201", "densenet201", DenseNet.Variant(blocks: [6, 12, 48, 32], growth: 32, initialFeatures: 64)),
    ].map { name, file, variant in
        BackboneDescriptor(name: name, weights: .keras(files: ["\(file)_weights_tf_dim_ordering_tf_kernels_notop.h5",
                                                               "\(file)_weights_tf_dim_ordering_tf_kernels.h5"]),
                           inputSize: 224, preprocessing: .kerasTorch(inputSize: 224),
                           featureDimension: variant.featureDimension, classes: 1000,
                           architecture: .kerasDenseNet(variant))
    }
}
