import Foundation

/// Keras' EfficientNetB0…B7 (`keras.applications.EfficientNetB0`, …) from their `.h5` weights, as
/// `keras/src/applications/efficientnet.py` builds them for ImageNet weights: the same blocks as
/// torchvision's EfficientNets (``EfficientNet``, the same widths, depths and layer order), with
/// Keras' names, batch-norm ε 1e-3 and TensorFlow's padding.
///
/// - Input (in the model, so `preprocess_input` passes pixels 0…255 through): `Rescaling(1/255)`
///   → `Normalization` (mean and variance stored in the file: `(x − mean) / max(√variance, 1e-7)`)
///   → `Rescaling(1/√std)` with the ImageNet std (0.229, 0.224, 0.225) — the layer Keras adds
///   when it loads the ImageNet weights (as published, it divides by √std, not std), and which
///   spotcheck always applies: one per-channel affine map on the input.
/// - Stem: `stem_conv_pad` (`correct_pad`) + `stem_conv` 3×3/2 `valid` → `stem_bn` → swish.
/// - Blocks `block1a_`, `block2a_`, `block2b_`, …: [`expand_conv` 1×1 → `expand_bn` → swish] →
///   `dwconv` k×k (stride 2: `dwconv_pad` + `valid`) → `bn` → swish → squeeze-excitation
///   (`se_reduce` 1×1 with bias → swish → `se_expand` → sigmoid, times the input) →
///   `project_conv` 1×1 → `project_bn` [+ the block's input]. `correct_pad` pads a stride-2
///   window as TensorFlow's `same` does (the odd pixel bottom and right).
/// - Head: `top_conv` 1×1 → `top_bn` → swish (the feature map), global average (the features),
///   `predictions` before its softmax when the file has the classifier.
///
/// The Keras tensors are checked against ``layout(_:)``, then renamed to torchvision's keys
/// (``KerasLayout/torchvisionTensors(_:modules:)``) for the shared ``InvertedResidualNetwork``.
enum KerasEfficientNet {
    /// The ImageNet std Keras' input rescaling uses.
    static let imagenetStd: [Double] = [0.229, 0.224, 0.225]

    /// The network: torchvision's description of the same member with TensorFlow's padding.
    static func network(_ variant: EfficientNet.Variant) -> InvertedResidualNetwork {
        var network = EfficientNet.network(variant)
        network.tensorflowPadding = true
        return network
    }

    /// The layers with weights in Keras' `model.layers` order.
    /// - Parameter variant: the family member (ε 1e-3).
    /// - Returns: the layout; the classifier is `predictions`.
    static func layout(_ variant: EfficientNet.Variant) -> KerasLayout {
        let stem = variant.scaled(variant.stages[0].inputs)
        var layers: [KerasLayer] = [.normalization("normalization", 3), .conv("stem_conv", 3, stem, 3, bias: false),
                                    .batchNorm("stem_bn", stem)]
        var inputs = stem
        for (index, stage) in variant.stages.enumerated() {
            let outputs = variant.scaled(stage.outputs)
            for layer in 0..<Int((Double(stage.layers) * variant.depth).rounded(.up)) {
                let n = "block\(index + 1)\(Character(UnicodeScalar(UInt8(97 + layer))))_"
                let hidden = inputs * stage.expansion
                if stage.expansion != 1 {
                    layers += [.conv("\(n)expand_conv", inputs, hidden, 1, bias: false), .batchNorm("\(n)expand_bn", hidden)]
                }
                let squeezed = max(1, inputs / 4)
                layers += [.depthwise("\(n)dwconv", hidden, stage.kernel), .batchNorm("\(n)bn", hidden),
                           .conv("\(n)se_reduce", hidden, squeezed, 1), .conv("\(n)se_expand", squeezed, hidden, 1),
                           .conv("\(n)project_conv", hidden, outputs, 1, bias: false), .batchNorm("\(n)project_bn", outputs)]
                inputs = outputs
            }
        }
        let head = network(variant).featureDimension
        layers += [.conv("top_conv", inputs, head, 1, bias: false), .batchNorm("top_bn", head),
                   .dense("predictions", head, 1000)]
        return KerasLayout(layers: layers, headCount: 1)
    }

    /// The input layers as one per-channel map: `x · r / (255 · s) − mean · r / s` with
    /// `s = max(√variance, 1e-7)` and `r = 1/√std`.
    /// - Parameter checkpoint: the tensors (`normalization/mean`, `normalization/variance`).
    /// - Returns: the map.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    static func inputMap(_ checkpoint: CheckpointTensors) throws -> Affine {
        let mean = try checkpoint.tensor("normalization/mean", shape: [3]).values
        let variance = try checkpoint.tensor("normalization/variance", shape: [3]).values
        var scale = [Float](), shift = [Float]()
        for c in 0..<3 {
            let s = max(Double(variance[c]).squareRoot(), 1e-7)
            let r = 1 / imagenetStd[c].squareRoot()
            scale.append(Float(r / (255 * s)))
            shift.append(Float(-Double(mean[c]) * r / s))
        }
        return Affine(scale: scale, shift: shift)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `predictions/kernel` the graph has no logits.
    ///   - variant: the family member.
    ///   - inputSize: the square input side (224 for B0 … 600 for B7).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: EfficientNet.Variant, inputSize: Int) throws -> Graph {
        let network = network(variant)
        let tensors = layout(variant).torchvisionTensors(
            checkpoint.tensors, modules: KerasLayout.torchvisionModules(network.stateDictLayout))
        return try network.graph(CheckpointTensors(tensors: tensors, source: checkpoint.source), inputSize: inputSize,
                                 input: inputMap(checkpoint), classifierOptional: true)
    }
}

extension BackboneRegistry {
    /// Keras' EfficientNetB0…B7 (pixels 0…255 in, at 224, 240, 260, 300, 380, 456, 528, 600), from
    /// `efficientnetb0_notop.h5` or the full `efficientnetb0.h5`, ….
    static let kerasEfficientNets: [BackboneDescriptor] = [
        (0, 1.0, 1.0, 224), (1, 1.0, 1.1, 240), (2, 1.1, 1.2, 260), (3, 1.2, 1.4, 300),
        (4, 1.4, 1.8, 380), (5, 1.6, 2.2, 456), (6, 1.8, 2.6, 528), (7, 2.0, 3.1, 600),
    ].map { member, width, depth, size in
        let variant = EfficientNet.Variant.b(width: width, depth: depth, epsilon: 1e-3)
        return BackboneDescriptor(name: "keras_efficientnetb\(member)",
                                  weights: .keras(files: ["efficientnetb\(member)_notop.h5", "efficientnetb\(member).h5"]),
                                  inputSize: size, preprocessing: .kerasPixels(inputSize: size),
                                  featureDimension: KerasEfficientNet.network(variant).featureDimension, classes: 1000,
                                  architecture: .kerasEfficientNet(variant))
    }
}
