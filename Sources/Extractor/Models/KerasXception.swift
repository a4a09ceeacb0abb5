/// Keras' Xception (`keras.applications.Xception`, one of the cookbook's networks) from its `.h5`
/// weights, as `keras/src/applications/xception.py` builds it: input 299, `tf` preprocessing,
/// batch norms with Keras' default ε 1e-3, no convolution with a bias.
///
/// - Stem: `block1_conv1` 3×3/2 and `block1_conv2` 3×3 (both `valid`), each batch norm → ReLU.
/// - Entry flow, blocks 2, 3, 4 (128, 256, 728 channels): a 1×1/2 convolution + batch norm as the
///   shortcut (unnamed in Keras: `conv2d`, `conv2d_1`, `conv2d_2` and `batch_normalization`, …,
///   the names a fresh session gives them), and [ReLU (not in block 2)] → separable 3×3 → batch
///   norm → ReLU → separable 3×3 → batch norm → 3×3/2 max pool (`same`) → sum.
/// - Middle flow, blocks 5…12 (728): three times ReLU → separable 3×3 → batch norm, plus the input.
/// - Exit flow: block 13 as an entry block (728 then 1024 channels, shortcut `conv2d_3`), then
///   `block14_sepconv1` (1536) and `block14_sepconv2` (2048), each batch norm → ReLU.
///
/// A separable convolution is a depthwise 3×3 convolution followed by a pointwise 1×1 one
/// (`SeparableConv2D`, depth multiplier 1, `same` padding). Outputs: the feature map is
/// `block14_sepconv2_act` (2048×10×10), the features its global average, the logits
/// `predictions` before its softmax when the file has the classifier.
enum KerasXception {
    /// Keras' default batch-norm ε, which Xception keeps.
    static let epsilon: Float = 1e-3

    /// The blocks with a convolution shortcut: number, input, middle and output channels.
    static let entryBlocks: [(block: Int, inputs: Int, middle: Int, outputs: Int)] =
        [(2, 64, 128, 128), (3, 128, 256, 256), (4, 256, 728, 728), (13, 728, 728, 1024)]

    /// The middle flow's block numbers.
    static let middleBlocks = 5...12

    /// The shortcut's convolution and batch-norm names of the `index`-th entry block.
    static func shortcut(_ index: Int) -> (conv: String, norm: String) {
        index == 0 ? ("conv2d", "batch_normalization") : ("conv2d_\(index)", "batch_normalization_\(index)")
    }

    /// The layers with weights in Keras' `model.layers` order.
    /// - Returns: the layout; the classifier is `predictions`.
    static func layout() -> KerasLayout {
        var layers: [KerasLayer] = [.conv("block1_conv1", 3, 32, 3, bias: false), .batchNorm("block1_conv1_bn", 32),
                                    .conv("block1_conv2", 32, 64, 3, bias: false), .batchNorm("block1_conv2_bn", 64)]
        for (index, b) in entryBlocks.enumerated() {
            let n = "block\(b.block)"
            let (conv, norm) = shortcut(index)
            layers += [.separable("\(n)_sepconv1", b.inputs, b.middle, 3), .batchNorm("\(n)_sepconv1_bn", b.middle),
                       .separable("\(n)_sepconv2", b.middle, b.outputs, 3), .batchNorm("\(n)_sepconv2_bn", b.outputs),
                       .conv(conv, b.inputs, b.outputs, 1, bias: false), .batchNorm(norm, b.outputs)]
            if b.block == 4 {
                for m in middleBlocks {
                    for k in 1...3 {
                        layers += [.separable("block\(m)_sepconv\(k)", 728, 728, 3), .batchNorm("block\(m)_sepconv\(k)_bn", 728)]
                    }
                }
            }
        }
        layers += [.separable("block14_sepconv1", 1024, 1536, 3), .batchNorm("block14_sepconv1_bn", 1536),
                   .separable("block14_sepconv2", 1536, 2048, 3), .batchNorm("block14_sepconv2_bn", 2048),
                   .dense("predictions", 2048, 1000)]
        return KerasLayout(layers: layers, headCount: 1)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `predictions/kernel` the graph has no logits.
    ///   - inputSize: the square input side (299).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Graph {
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        func separable(_ x: Graph.Value, _ layer: String, _ inputs: Int, _ outputs: Int) throws -> Graph.Value {
            let (depthwise, pointwise) = try checkpoint.kerasSeparableConvolution(
                layer, inputs: inputs, outputs: outputs, kernel: 3, batchNorm: ("\(layer)_bn", epsilon))
            return try graph.convolution(try graph.convolution(x, depthwise), pointwise)
        }
        func conv(_ layer: String, _ inputs: Int, _ outputs: Int, _ kernel: Int, stride: Int, padding: Padding,
                  norm: String) throws -> Convolution {
            try checkpoint.kerasConvolution(layer, inputs: inputs, outputs: outputs, kernel: kernel, stride: stride,
                                            padding: padding, hasBias: false, batchNorm: (norm, epsilon))
        }
        var x = try graph.layer(graph.input, conv("block1_conv1", 3, 32, 3, stride: 2, padding: .symmetric(0),
                                                  norm: "block1_conv1_bn"), .relu)
        x = try graph.layer(x, conv("block1_conv2", 32, 64, 3, stride: 1, padding: .symmetric(0), norm: "block1_conv2_bn"), .relu)
        for (index, b) in entryBlocks.enumerated() {
            let n = "block\(b.block)"
            let names = shortcut(index)
            let shortcut = try graph.layer(x, conv(names.conv, b.inputs, b.outputs, 1, stride: 2, padding: .tensorflowSame,
                                                   norm: names.norm), nil)
            var y = b.block == 2 ? x : graph.activation(x, .relu)
            y = graph.activation(try separable(y, "\(n)_sepconv1", b.inputs, b.middle), .relu)
            y = try separable(y, "\(n)_sepconv2", b.middle, b.outputs)
            y = try graph.pool(y, Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2),
                                                                      padding: .tensorflowSame)))
            x = try graph.add(y, shortcut)
            if b.block == 4 {
                for m in middleBlocks {
                    var y = x
                    for k in 1...3 { y = try separable(graph.activation(y, .relu), "block\(m)_sepconv\(k)", 728, 728) }
                    x = try graph.add(y, x)
                }
            }
        }
        x = graph.activation(try separable(x, "block14_sepconv1", 1024, 1536), .relu)
        x = graph.activation(try separable(x, "block14_sepconv2", 1536, 2048), .relu)
        try graph.setKerasPooledOutputs(featureMap: x, channels: 2048, checkpoint)
        return graph
    }
}
