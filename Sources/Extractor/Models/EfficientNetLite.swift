/// EfficientNet-Lite0/1/2 (TensorFlow checkpoints with lukemelas `efficientnet_pytorch` key
/// names) assembled from the state dict: block count, widths and kernel sizes are read off the
/// tensor shapes, strides come from the EfficientNet-B0 stage table.
enum EfficientNetLite {
    /// EfficientNet-B0 stages: kernel, first stride and expansion ratio (repeats and widths
    /// scale per variant and are read from the checkpoint).
    static let stages: [(kernel: Int, stride: Int, expansion: Int)] = [
        (3, 1, 1), (3, 2, 6), (5, 2, 6), (3, 2, 6), (5, 1, 6), (5, 2, 6), (3, 1, 6),
    ]

    /// Builds the graph with TensorFlow-SAME padding, folding every batch norm (ε 1e-3).
    /// - Parameters:
    ///   - checkpoint: the state dict (`_conv_stem`, `_blocks.N…`, `_conv_head`, `_fc`).
    ///   - inputSize: the square input side (224 / 240 / 260).
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError` when a tensor is missing, has another shape, or the blocks do
    ///   not form the seven EfficientNet stages; ``EngineError`` when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Graph {
        let eps: Float = 1e-3
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, checkpoint.convolution(
            "_conv_stem.weight", inputs: 3, outputs: 32, kernel: 3, stride: 2, padding: .tensorflowSame,
            batchNorm: "_bn0", epsilon: eps), .relu6)
        var inputs = 32
        var stage = -1
        var index = 0
        while checkpoint.contains("_blocks.\(index)._project_conv.weight") {
            let p = "_blocks.\(index)"
            let outputs = try checkpoint.tensor("\(p)._project_conv.weight", shape: [nil, nil, 1, 1]).shape[0]
            let first = index == 0 || outputs != inputs
            if first { stage += 1 }
            guard stage < stages.count else {
                throw BackboneError.unexpectedStructure("more than \(stages.count) stages of blocks",
                                                        source: checkpoint.source)
            }
            let setting = stages[stage]
            let hidden = inputs * setting.expansion
            let blockInput = x
            if setting.expansion != 1 {
                x = try graph.layer(x, checkpoint.convolution(
                    "\(p)._expand_conv.weight", inputs: inputs, outputs: hidden, kernel: 1, padding: .tensorflowSame,
                    batchNorm: "\(p)._bn0", epsilon: eps), .relu6)
            }
            let stride = first ? setting.stride : 1
            x = try graph.layer(x, checkpoint.depthwise(
                "\(p)._depthwise_conv.weight", channels: hidden, kernel: setting.kernel, stride: stride,
                padding: .tensorflowSame, batchNorm: "\(p)._bn1", epsilon: eps), .relu6)
            x = try graph.layer(x, checkpoint.convolution(
                "\(p)._project_conv.weight", inputs: hidden, outputs: outputs, kernel: 1, padding: .tensorflowSame,
                batchNorm: "\(p)._bn2", epsilon: eps), nil)
            if stride == 1 && inputs == outputs { x = try graph.add(x, blockInput) }
            inputs = outputs
            index += 1
        }
        guard stage == stages.count - 1 else {
            throw BackboneError.unexpectedStructure("\(stage + 1) stages of blocks, expected \(stages.count)",
                                                    source: checkpoint.source)
        }
        x = try graph.layer(x, checkpoint.convolution(
            "_conv_head.weight", inputs: inputs, outputs: 1280, kernel: 1, padding: .tensorflowSame,
            batchNorm: "_bn1", epsilon: eps), .relu6)
        try graph.setPooledLinearOutputs(featureMap: x, classifier: checkpoint.linear("_fc", inputs: 1280, outputs: 1000))
        return graph
    }
}
