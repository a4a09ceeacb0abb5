/// torchvision's ConvNeXt family (Tiny, Small, Base) assembled from a torchvision state dict
/// (`convnext_tiny-983f1562.pth`).
///
/// The stem is a 4×4 stride-4 convolution and a channel layer norm (`LayerNorm2d`, ε 1e-6); each
/// of the four stages is a run of blocks, and between stages a layer norm and a 2×2 stride-2
/// convolution halve the map. A block is a 7×7 depthwise convolution, a layer norm over
/// channels, a Linear to 4× the width, GELU (erf) and a Linear back, multiplied per channel by
/// `layer_scale` and added to the block's input. The Linears act on each pixel's channels, so
/// they are 1×1 convolutions here, and the layer scale is folded into the second one's weights
/// and bias (`s·(W·h + b) = (s·W)·h + s·b`), which leaves the block's residual add free to fuse
/// as an in-place sum. The head: global average → `classifier.0` layer norm → `classifier.2`
/// Linear.
///
/// Outputs: the feature map is the last stage's map (`model.features(x)`, before any norm); the
/// pooled features are what torchvision's Linear head reads, its global average layer-normed by
/// `classifier.0` (`model.classifier[:2](model.avgpool(…))`), so the `avg` layout is the
/// normalised vector, while `grid` and `flat` cut the map itself.
enum ConvNeXt {
    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// Channels of each stage.
        let widths: [Int]
        /// Blocks in each stage.
        let depths: [Int]

        /// Length of the pooled feature vector.
        var featureDimension: Int { widths.last ?? 0 }
    }

    /// Every layer norm's ε (torchvision's `partial(LayerNorm2d, eps=1e-6)` and the blocks' `LayerNorm`).
    static let epsilon: Float = 1e-6

    /// The key prefix of a stage's blocks.
    /// - Parameter stage: 0…3.
    /// - Returns: `features.1`, `.3`, `.5` or `.7`.
    static func stagePrefix(_ stage: Int) -> String { "features.\(2 * stage + 1)" }

    /// The key prefix of the downsampler after a stage.
    /// - Parameter stage: 0…2.
    /// - Returns: `features.2`, `.4` or `.6`.
    static func downsamplePrefix(_ stage: Int) -> String { "features.\(2 * stage + 2)" }

    /// The learnt tensors the architecture reads, in torchvision's state-dict order, with their shapes.
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        var layout = [(key: String, shape: [Int])]()
        func norm(_ prefix: String, _ channels: Int) {
            layout.append(("\(prefix).weight", [channels]))
            layout.append(("\(prefix).bias", [channels]))
        }
        func conv(_ prefix: String, _ shape: [Int]) {
            layout.append(("\(prefix).weight", shape))
            layout.append(("\(prefix).bias", [shape[0]]))
        }
        let w = variant.widths
        conv("features.0.0", [w[0], 3, 4, 4])
        norm("features.0.1", w[0])
        for (stage, depth) in variant.depths.enumerated() {
            let c = w[stage]
            for block in 0..<depth {
                let p = "\(stagePrefix(stage)).\(block)"
                layout.append(("\(p).layer_scale", [c, 1, 1]))
                conv("\(p).block.0", [c, 1, 7, 7])
                norm("\(p).block.2", c)
                conv("\(p).block.3", [4 * c, c])
                conv("\(p).block.5", [c, 4 * c])
            }
            guard stage < variant.depths.count - 1 else { continue }
            norm("\(downsamplePrefix(stage)).0", c)
            conv("\(downsamplePrefix(stage)).1", [w[stage + 1], c, 2, 2])
        }
        norm("classifier.0", variant.featureDimension)
        conv("classifier.2", [1000, variant.featureDimension])
        return layout
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another family member is refused at its first differing tensor.
    /// - Parameters:
    ///   - checkpoint: the state dict (`features.0.0.weight`, …, `classifier.2.bias`).
    ///   - variant: the family member.
    ///   - inputSize: the square input side (a multiple of 32).
    /// - Returns: the graph with its three outputs.
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: Variant, inputSize: Int) throws -> Graph {
        for (key, shape) in stateDictLayout(variant) { _ = try checkpoint.tensor(key, shape: shape) }
        let w = variant.widths
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.convolution(graph.input, checkpoint.patchConvolution("features.0.0", inputs: 3,
                                                                               outputs: w[0], side: 4))
        x = try graph.layerNorm(x, checkpoint.layerNorm("features.0.1", channels: w[0]))
        for (stage, depth) in variant.depths.enumerated() {
            for block in 0..<depth {
                x = try self.block(&graph, x, checkpoint, prefix: "\(stagePrefix(stage)).\(block)", channels: w[stage])
            }
            guard stage < variant.depths.count - 1 else { continue }
            let p = downsamplePrefix(stage)
            x = try graph.layerNorm(x, checkpoint.layerNorm("\(p).0", channels: w[stage]))
            x = try graph.convolution(x, checkpoint.patchConvolution("\(p).1", inputs: w[stage], outputs: w[stage + 1],
                                                                     side: 2))
        }
        let channels = variant.featureDimension
        let features = try graph.layerNorm(graph.globalAveragePool(x),
                                           checkpoint.layerNorm("classifier.0", channels: channels))
        graph.setOutput(.featureMap, x)
        graph.setOutput(.features, features)
        graph.setOutput(.logits, try graph.linear(features, checkpoint.linear("classifier.2", inputs: channels,
                                                                               outputs: 1000)))
        return graph
    }

    /// One block: depthwise 7×7 → layer norm → 1×1 to 4C → GELU → 1×1 back (layer scale folded
    /// in) → + input.
    /// - Parameters:
    ///   - graph: the graph to append to.
    ///   - x: the block's input.
    ///   - checkpoint: the state dict.
    ///   - p: the block's key prefix, e.g. `features.1.0`.
    ///   - c: the stage's channels.
    /// - Returns: the block's output.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch, ``EngineError`` when the
    ///   layers do not fit together.
    private static func block(_ graph: inout Graph, _ x: Graph.Value, _ checkpoint: CheckpointTensors,
                              prefix p: String, channels c: Int) throws -> Graph.Value {
        let dw = try checkpoint.tensor("\(p).block.0.weight", shape: [c, 1, 7, 7])
        var y = try graph.convolution(x, Convolution(
            inputChannels: c, outputChannels: c, groups: c, window: Window(kernel: Extent(7), padding: .symmetric(3)),
            weights: dw.values, bias: try checkpoint.tensor("\(p).block.0.bias", shape: [c]).values))
        y = try graph.layerNorm(y, checkpoint.layerNorm("\(p).block.2", channels: c))
        y = try graph.layer(y, checkpoint.pointwise("\(p).block.3", inputs: c, outputs: 4 * c), .gelu)
        let scale = try checkpoint.tensor("\(p).layer_scale", shape: [c, 1, 1]).values
        y = try graph.convolution(y, checkpoint.pointwise("\(p).block.5", inputs: 4 * c, outputs: c, scaledBy: scale))
        return try graph.add(y, x)
    }
}

extension CheckpointTensors {
    /// A layer norm's `weight` and `bias` (ConvNeXt's ε).
    /// - Parameters:
    ///   - prefix: the module's key prefix.
    ///   - channels: the expected channel count.
    /// - Returns: the norm.
    /// - Throws: `BackboneError` when a vector is missing or has another length.
    func layerNorm(_ prefix: String, channels: Int) throws -> LayerNorm {
        LayerNorm(scale: try tensor("\(prefix).weight", shape: [channels]).values,
                  shift: try tensor("\(prefix).bias", shape: [channels]).values, epsilon: ConvNeXt.epsilon)
    }

    /// A biased `side×side` convolution of stride `side` (ConvNeXt's stem and downsamplers: the
    /// map cut into non-overlapping patches).
    /// - Parameters:
    ///   - prefix: the convolution's key prefix.
    ///   - inputs: the expected input channels.
    ///   - outputs: the expected output channels.
    ///   - side: the kernel side and stride.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func patchConvolution(_ prefix: String, inputs: Int, outputs: Int, side: Int) throws -> Convolution {
        Convolution(inputChannels: inputs, outputChannels: outputs, groups: 1,
                    window: Window(kernel: Extent(side), stride: Extent(side)),
                    weights: try tensor("\(prefix).weight", shape: [outputs, inputs, side, side]).values,
                    bias: try tensor("\(prefix).bias", shape: [outputs]).values)
    }

    /// A Linear layer applied to every pixel's channels as a 1×1 convolution, its outputs
    /// optionally multiplied by a per-channel scale folded into weights and bias.
    /// - Parameters:
    ///   - prefix: the Linear's key prefix (`weight` `outputs × inputs`, `bias`).
    ///   - inputs: the expected input features.
    ///   - outputs: the expected output features.
    ///   - scale: one multiplier per output, or empty for none.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func pointwise(_ prefix: String, inputs: Int, outputs: Int, scaledBy scale: [Float] = []) throws -> Convolution {
        var weights = try tensor("\(prefix).weight", shape: [outputs, inputs]).values
        var bias = try tensor("\(prefix).bias", shape: [outputs]).values
        if !scale.isEmpty {
            for o in 0..<outputs {
                bias[o] *= scale[o]
                for i in 0..<inputs { weights[o * inputs + i] *= scale[o] }
            }
        }
        return Convolution(inputChannels: inputs, outputChannels: outputs, groups: 1, window: Window(kernel: Extent(1)),
                           weights: weights, bias: bias)
    }
}

extension BackboneRegistry {
    /// torchvision's ConvNeXt-Tiny, -Small and -Base (IMAGENET1K_V1 weights, found where torch hub
    /// keeps them), each with its weights' own transforms: crop 224 after a bilinear resize of the
    /// shorter side to 236, 230 and 232 (torchvision 0.28).
    static let torchvisionConvNeXts: [BackboneDescriptor] = [
        ("convnext_tiny", ConvNeXt.Variant(widths: [96, 192, 384, 768], depths: [3, 3, 9, 3]), 236),
        ("convnext_small", ConvNeXt.Variant(widths: [96, 192, 384, 768], depths: [3, 3, 27, 3]), 230),
        ("convnext_base", ConvNeXt.Variant(widths: [128, 256, 512, 1024], depths: [3, 3, 27, 3]), 232),
    ].map { name, variant, resize in
        let preprocessing = Preprocessing.torchvision(resizeShorterSide: resize, cropSize: 224, filter: .bilinear)
        return BackboneDescriptor(name: name, weights: .torchHub(prefix: name), inputSize: 224,
                                  preprocessing: preprocessing, featureDimension: variant.featureDimension,
                                  classes: 1000, architecture: .convNeXt(variant))
    }
}
