/// Keras' VGG16 and VGG19 (`keras.applications.VGG16/VGG19`, the cookbook's networks) from their
/// `.h5` weights: five blocks of 3×3 convolutions (`same` padding, bias, ReLU) each closed by a
/// 2×2/2 max pool; the classifier flattens the 7×7×512 map (channels last) into fc1 (4096, ReLU),
/// fc2 (4096, ReLU) and `predictions` (1000). `…_notop.h5` files have no classifier.
///
/// Outputs: the feature map is `block5_pool` (512×7×7, what `include_top=False` returns); the
/// features its global average (512, `pooling='avg'`), the same with or without the classifier;
/// the logits `predictions` before its softmax, when the file has it.
enum KerasVGG {
    /// Convolutions per block: VGG16 `[2, 2, 3, 3, 3]`, VGG19 `[2, 2, 4, 4, 4]`.
    static func blocks(depth: Int) -> [Int] { depth == 19 ? [2, 2, 4, 4, 4] : [2, 2, 3, 3, 3] }

    /// Output channels of each block.
    static let widths = [64, 128, 256, 512, 512]

    /// The layers with weights in Keras' order, the three dense layers the classifier.
    /// - Parameter depth: 16 or 19.
    /// - Returns: the layout.
    static func layout(depth: Int) -> KerasLayout {
        var layers = [KerasLayer]()
        var inputs = 3
        for (block, count) in blocks(depth: depth).enumerated() {
            for index in 1...count {
                layers.append(.conv("block\(block + 1)_conv\(index)", inputs, widths[block], 3))
                inputs = widths[block]
            }
        }
        layers += [.dense("fc1", 512 * 7 * 7, 4096), .dense("fc2", 4096, 4096), .dense("predictions", 4096, 1000)]
        return KerasLayout(layers: layers, headCount: 3)
    }

    /// Builds the graph from tensors keyed as ``KerasLayer/keys``.
    /// - Parameters:
    ///   - checkpoint: the tensors; without `fc1/kernel` the graph has no logits.
    ///   - depth: 16 or 19.
    ///   - inputSize: the square input side (224; the classifier needs a 7×7 map).
    /// - Returns: the graph.
    /// - Throws: `BackboneError` for a missing or misshapen tensor, ``EngineError`` when the layers
    ///   do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, depth: Int, inputSize: Int) throws -> Graph {
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = graph.input
        var inputs = 3
        let pool = Pooling(kind: .max, window: Window(kernel: Extent(2), stride: Extent(2)))
        for (block, count) in blocks(depth: depth).enumerated() {
            for index in 1...count {
                x = try graph.layer(x, checkpoint.kerasConvolution("block\(block + 1)_conv\(index)", inputs: inputs,
                                                                   outputs: widths[block], kernel: 3,
                                                                   padding: .symmetric(1)), .relu)
                inputs = widths[block]
            }
            x = try graph.pool(x, pool)
        }
        graph.setOutput(.featureMap, x)
        graph.setOutput(.features, graph.globalAveragePool(x))
        if checkpoint.contains("fc1/kernel") {
            let map = graph.shape(x)
            var y = graph.activation(try graph.linear(x, checkpoint.kerasDense("fc1", inputs: map.count, outputs: 4096,
                                                                               inputOrder: map)), .relu)
            y = graph.activation(try graph.linear(y, checkpoint.kerasDense("fc2", inputs: 4096, outputs: 4096)), .relu)
            graph.setOutput(.logits, try graph.linear(y, checkpoint.kerasDense("predictions", inputs: 4096, outputs: 1000)))
        }
        return graph
    }
}
