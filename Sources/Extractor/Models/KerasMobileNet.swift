/// Keras' MobileNet (v1, `keras.applications.MobileNet`, α 1.0, depth multiplier 1, input 224)
/// from its `.h5` weights, as `keras/src/applications/mobilenet.py` builds it: `tf`
/// preprocessing, batch norms with Keras' default ε 1e-3, ReLU6, no convolution with a bias but
/// the classifier.
///
/// - Stem: `conv1` 3×3/2 `same` (TensorFlow's: the odd padding pixel bottom and right) →
///   `conv1_bn` → ReLU6.
/// - 13 blocks `k`: `conv_dw_k` depthwise 3×3 → `conv_dw_k_bn` → ReLU6 → `conv_pw_k` 1×1 →
///   `conv_pw_k_bn` → ReLU6. A stride-2 block pads one zero row and column at the bottom and right
///   (`conv_pad_k`, `ZeroPadding2D(((0, 1), (0, 1)))`) and convolves `valid`; a stride-1 block is
///   `same` (one pixel all round).
/// - Classifier: global average (keeping a 1×1 map) → dropout → `conv_preds` (a 1×1 convolution
///   with bias, a dense layer on the pooled vector) → reshape → softmax.
///
/// Outputs: the feature map is `conv_pw_13_relu` (1024×7×7), the features its global average,
/// the logits `conv_preds` before the softmax when the file has the classifier.
enum KerasMobileNet {
    /// Keras' default batch-norm ε.
    static let epsilon: Float = 1e-3

    /// Each block's pointwise outputs and stride.
    static let blocks: [(outputs: Int, stride: Int)] =
        [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + Array(repeating: (512, 1), count: 5)
        + [(1024, 2), (1024, 1)]

    /// The layers with weights in Keras' `model.layers` order.
    /// - Returns: the layout; the classifier is `conv_preds`.
    static func layout() -> KerasLayout {
        var layers: [KerasLayer] = [.conv("conv1", 3, 32, 3, bias: false), .batchNorm("conv1_bn", 32)]
        var inputs = 32
        for (index, block) in blocks.enumerated() {
            let k = index + 1
            layers += [.depthwise("conv_dw_\(k)", inputs, 3), .batchNorm("conv_dw_\(k)_bn", inputs),
                       .conv("conv_pw_\(k)", inputs, block.outputs, 1, bias: false),
                       .batchNorm("conv_pw_\(k)_bn", block.outputs)]
            inputs = block.outputs
        }
        layers.append(.conv("conv_preds", 1024, 1000, 1))
        return KerasLayout(layers: layers, headCount: 1)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `conv_preds/kernel` the graph has no logits.
    ///   - inputSize: the square input side (224).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Graph {
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        let relu6 = Activation.clip(lower: 0, upper: 6)
        var x = try graph.layer(graph.input, checkpoint.kerasConvolution(
            "conv1", inputs: 3, outputs: 32, kernel: 3, stride: 2, padding: .tensorflowSame, hasBias: false,
            batchNorm: ("conv1_bn", epsilon)), relu6)
        var inputs = 32
        let bottomRight = Padding.explicit(Edges(leading: Extent(0), trailing: Extent(1)))
        for (index, block) in blocks.enumerated() {
            let k = index + 1
            x = try graph.layer(x, checkpoint.kerasDepthwiseConvolution(
                "conv_dw_\(k)", channels: inputs, kernel: 3, stride: block.stride,
                padding: block.stride == 1 ? .symmetric(1) : bottomRight, batchNorm: ("conv_dw_\(k)_bn", epsilon)), relu6)
            x = try graph.layer(x, checkpoint.kerasConvolution(
                "conv_pw_\(k)", inputs: inputs, outputs: block.outputs, kernel: 1, padding: .symmetric(0), hasBias: false,
                batchNorm: ("conv_pw_\(k)_bn", epsilon)), relu6)
            inputs = block.outputs
        }
        try graph.setKerasPooledOutputs(featureMap: x, channels: inputs, checkpoint, classifier: "conv_preds",
                                        pointwise: true)
        return graph
    }
}

extension BackboneRegistry {
    /// Keras' MobileNet (α 1.0, 224, `tf` preprocessing), from `mobilenet_1_0_224_tf_no_top.h5` or
    /// the full `mobilenet_1_0_224_tf.h5`.
    static let kerasMobileNets: [BackboneDescriptor] = [
        BackboneDescriptor(name: "keras_mobilenet", weights: .keras(files: ["mobilenet_1_0_224_tf_no_top.h5",
                                                                            "mobilenet_1_0_224_tf.h5"]),
                           inputSize: 224, preprocessing: .kerasTensorflow(inputSize: 224), featureDimension: 1024,
                           classes: 1000, architecture: .kerasMobileNet),
    ]
}
