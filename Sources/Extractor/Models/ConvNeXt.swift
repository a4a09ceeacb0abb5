/// torchvision's ConvNeXt family (Tiny, Small, Base) assembled from a torchvision state dict
/// (`convnext_tiny-983f1562.pth`), or from timm's equal `convnext_tiny`, `_small`, `_base` under
/// timm's key names (see ``Naming``).
///
/// The stem is a 4×4 stride-4 convolution and a channel layer norm (`LayerNorm2d`, ε 1e-6); each
/// of the four stages is a run of blocks, and between stages a layer norm and a 2×2 stride-2
/// convolution halve the map. A block is a 7×7 depthwise convolution, a layer norm over
/// channels, a Linear to 4× the width, GELU (erf) and a Linear back, multiplied per channel by
/// `layer_scale` and added to the block's input. The Linears act on each pixel's channels, so
/// they are 1×1 convolutions here, and the layer scale is folded into the second one's weights
/// and bias (`s·(W·h + b) = (s·W)·h + s·b`), which leaves the block's residual add free to fuse
/// as an in-place sum. The head: global average → `classifier.0` layer norm → `classifier.2`
/// Linear. timm's ConvNeXt is the same network: the same ε, GELU and order; its layer scale
/// `gamma` is a vector rather than `C×1×1`, and its head norm (`head.norm`) also acts on the
/// global average.
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
        /// The state-dict key names of the file.
        var naming = Naming.torchvision

        /// Length of the pooled feature vector.
        var featureDimension: Int { widths.last ?? 0 }

        /// The same network under another framework's key names.
        /// - Parameter naming: the key names.
        /// - Returns: the variant.
        func named(_ naming: Naming) -> Variant {
            var variant = self
            variant.naming = naming
            return variant
        }
    }

    /// ConvNeXt-Tiny, -Small and -Base.
    static let tiny = Variant(widths: [96, 192, 384, 768], depths: [3, 3, 9, 3])
    static let small = Variant(widths: [96, 192, 384, 768], depths: [3, 3, 27, 3])
    static let base = Variant(widths: [128, 256, 512, 1024], depths: [3, 3, 27, 3])

    /// The key names of a ConvNeXt state dict: the same modules in the same order, in the
    /// framework's words.
    enum Naming: Sendable, Equatable {
        /// torchvision's: `features.0.0` (stem), `features.1.0.block.0`, `features.2.1` (downsampler), `classifier.2`.
        case torchvision
        /// timm's: `stem.0`, `stages.0.blocks.0.conv_dw`, `stages.1.downsample.1`, `head.fc`.
        case timm

        /// The parts of a block.
        enum Part { case scale, depthwise, norm, expand, project }

        /// The stem's convolution and layer norm.
        var stem: (convolution: String, norm: String) {
            self == .torchvision ? ("features.0.0", "features.0.1") : ("stem.0", "stem.1")
        }

        /// The prefix of block `index` of stage `stage` (both from 0).
        func block(stage: Int, index: Int) -> String {
            self == .torchvision ? "features.\(2 * stage + 1).\(index)" : "stages.\(stage).blocks.\(index)"
        }

        /// The layer norm and convolution of the downsampler after stage `stage` (0…2).
        func downsample(after stage: Int) -> (norm: String, convolution: String) {
            self == .torchvision ? ("features.\(2 * stage + 2).0", "features.\(2 * stage + 2).1")
                : ("stages.\(stage + 1).downsample.0", "stages.\(stage + 1).downsample.1")
        }

        /// A part's key within its block (the layer scale's is the tensor's, the others are module prefixes).
        func name(_ part: Part) -> String {
            switch (self, part) {
            case (.torchvision, .scale): return "layer_scale"
            case (.torchvision, .depthwise): return "block.0"
            case (.torchvision, .norm): return "block.2"
            case (.torchvision, .expand): return "block.3"
            case (.torchvision, .project): return "block.5"
            case (.timm, .scale): return "gamma"
            case (.timm, .depthwise): return "conv_dw"
            case (.timm, .norm): return "norm"
            case (.timm, .expand): return "mlp.fc1"
            case (.timm, .project): return "mlp.fc2"
            }
        }

        /// The layer scale's shape: torchvision's `C×1×1`, timm's `C`.
        func scaleShape(_ channels: Int) -> [Int] { self == .torchvision ? [channels, 1, 1] : [channels] }

        /// The head's layer norm and Linear.
        var head: (norm: String, classifier: String) {
            self == .torchvision ? ("classifier.0", "classifier.2") : ("head.norm", "head.fc")
        }
    }

    /// Every layer norm's ε (torchvision's `partial(LayerNorm2d, eps=1e-6)` and the blocks' `LayerNorm`).
    static let epsilon: Float = 1e-6

    /// The learnt tensors the architecture reads, in the framework's state-dict order, with their shapes.
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        let naming = variant.naming
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
        conv(naming.stem.convolution, [w[0], 3, 4, 4])
        norm(naming.stem.norm, w[0])
        for (stage, depth) in variant.depths.enumerated() {
            let c = w[stage]
            if stage > 0 {
                let downsample = naming.downsample(after: stage - 1)
                norm(downsample.norm, w[stage - 1])
                conv(downsample.convolution, [c, w[stage - 1], 2, 2])
            }
            for block in 0..<depth {
                let p = naming.block(stage: stage, index: block)
                layout.append(("\(p).\(naming.name(.scale))", naming.scaleShape(c)))
                conv("\(p).\(naming.name(.depthwise))", [c, 1, 7, 7])
                norm("\(p).\(naming.name(.norm))", c)
                conv("\(p).\(naming.name(.expand))", [4 * c, c])
                conv("\(p).\(naming.name(.project))", [c, 4 * c])
            }
        }
        norm(naming.head.norm, variant.featureDimension)
        conv(naming.head.classifier, [1000, variant.featureDimension])
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
        let naming = variant.naming
        let w = variant.widths
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.convolution(graph.input, checkpoint.patchConvolution(naming.stem.convolution, inputs: 3,
                                                                               outputs: w[0], side: 4))
        x = try graph.layerNorm(x, checkpoint.layerNorm(naming.stem.norm, channels: w[0]))
        for (stage, depth) in variant.depths.enumerated() {
            if stage > 0 {
                let downsample = naming.downsample(after: stage - 1)
                x = try graph.layerNorm(x, checkpoint.layerNorm(downsample.norm, channels: w[stage - 1]))
                x = try graph.convolution(x, checkpoint.patchConvolution(downsample.convolution, inputs: w[stage - 1],
                                                                         outputs: w[stage], side: 2))
            }
            for block in 0..<depth {
                x = try self.block(&graph, x, checkpoint, naming: naming, prefix: naming.block(stage: stage, index: block),
                                   channels: w[stage])
            }
        }
        let channels = variant.featureDimension
        let features = try graph.layerNorm(graph.globalAveragePool(x),
                                           checkpoint.layerNorm(naming.head.norm, channels: channels))
        graph.setOutput(.featureMap, x)
        graph.setOutput(.features, features)
        graph.setOutput(.logits, try graph.linear(features, checkpoint.linear(naming.head.classifier, inputs: channels,
                                                                               outputs: 1000)))
        return graph
    }

    /// One block: depthwise 7×7 → layer norm → 1×1 to 4C → GELU → 1×1 back (layer scale folded
    /// in) → + input.
    /// - Parameters:
    ///   - graph: the graph to append to.
    ///   - x: the block's input.
    ///   - checkpoint: the state dict.
    ///   - naming: the key names.
    ///   - p: the block's key prefix, e.g. `features.1.0`.
    ///   - c: the stage's channels.
    /// - Returns: the block's output.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch, ``EngineError`` when the
    ///   layers do not fit together.
    private static func block(_ graph: inout Graph, _ x: Graph.Value, _ checkpoint: CheckpointTensors, naming: Naming,
                              prefix p: String, channels c: Int) throws -> Graph.Value {
        func key(_ part: Naming.Part) -> String { "\(p).\(naming.name(part))" }
        let dw = try checkpoint.tensor("\(key(.depthwise)).weight", shape: [c, 1, 7, 7])
        var y = try graph.convolution(x, Convolution(
            inputChannels: c, outputChannels: c, groups: c, window: Window(kernel: Extent(7), padding: .symmetric(3)),
            weights: dw.values, bias: try checkpoint.tensor("\(key(.depthwise)).bias", shape: [c]).values))
        y = try graph.layerNorm(y, checkpoint.layerNorm(key(.norm), channels: c))
        y = try graph.layer(y, checkpoint.pointwise(key(.expand), inputs: c, outputs: 4 * c), .gelu)
        let scale = try checkpoint.tensor(key(.scale), shape: naming.scaleShape(c)).values
        y = try graph.convolution(y, checkpoint.pointwise(key(.project), inputs: 4 * c, outputs: c, scaledBy: scale))
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
        ("convnext_tiny", ConvNeXt.tiny, 236), ("convnext_small", ConvNeXt.small, 230), ("convnext_base", ConvNeXt.base, 232),
    ].map { name, variant, resize in
        let preprocessing = Preprocessing.torchvision(resizeShorterSide: resize, cropSize: 224, filter: .bilinear)
        return BackboneDescriptor(name: name, weights: .torchHub(prefix: name), inputSize: 224,
                                  preprocessing: preprocessing, featureDimension: variant.featureDimension,
                                  classes: 1000, architecture: .convNeXt(variant))
    }
}
