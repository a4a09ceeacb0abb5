/// torchvision MobileNetV2 (width 1.0) assembled from a `mobilenet_v2-*.pth` state dict.
enum MobileNetV2 {
    /// Inverted-residual settings: expansion t, output channels c, repeats n, first stride s.
    static let settings: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    /// Builds the graph, folding every batch norm (ε 1e-5) into its convolution.
    /// - Parameters:
    ///   - checkpoint: the state dict (`features.N…`, `classifier.1…`).
    ///   - inputSize: the square input side.
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError` when a tensor is missing or has another shape, ``EngineError``
    ///   when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Graph {
        let eps: Float = 1e-5
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, checkpoint.convolution(
            "features.0.0.weight", inputs: 3, outputs: 32, kernel: 3, stride: 2, padding: .symmetric(1),
            batchNorm: "features.0.1", epsilon: eps), .relu6)
        var inputs = 32
        var index = 1
        for (t, c, n, s) in settings {
            for repeat_ in 0..<n {
                let stride = repeat_ == 0 ? s : 1
                let hidden = inputs * t
                let p = "features.\(index).conv"
                let blockInput = x
                var next = 0
                if t != 1 {
                    x = try graph.layer(x, checkpoint.convolution(
                        "\(p).0.0.weight", inputs: inputs, outputs: hidden, kernel: 1, padding: .symmetric(0),
                        batchNorm: "\(p).0.1", epsilon: eps), .relu6)
                    next = 1
                }
                x = try graph.layer(x, checkpoint.depthwise(
                    "\(p).\(next).0.weight", channels: hidden, kernel: 3, stride: stride, padding: .symmetric(1),
                    batchNorm: "\(p).\(next).1", epsilon: eps), .relu6)
                x = try graph.layer(x, checkpoint.convolution(
                    "\(p).\(next + 1).weight", inputs: hidden, outputs: c, kernel: 1, padding: .symmetric(0),
                    batchNorm: "\(p).\(next + 2)", epsilon: eps), nil)
                if stride == 1 && inputs == c { x = try graph.add(x, blockInput) }
                inputs = c
                index += 1
            }
        }
        x = try graph.layer(x, checkpoint.convolution(
            "features.\(index).0.weight", inputs: inputs, outputs: 1280, kernel: 1, padding: .symmetric(0),
            batchNorm: "features.\(index).1", epsilon: eps), .relu6)
        try graph.setPooledLinearOutputs(featureMap: x,
                                         classifier: checkpoint.linear("classifier.1", inputs: 1280, outputs: 1000))
        return graph
    }
}
