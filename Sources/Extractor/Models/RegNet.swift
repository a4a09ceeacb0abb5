/// torchvision's RegNetY family (RegNetY-400MF … 32GF) assembled from a torchvision state dict
/// (`regnet_y_400mf-*.pth`) or from timm's equal `regnety_*` under timm's key names (see ``Naming``):
/// a 3×3 stride-2 stem (32 wide), four stages of residual bottleneck
/// blocks (1×1, grouped 3×3 carrying the stage's stride, squeeze-excitation, 1×1; a 1×1
/// projection shortcut where the width or the resolution changes; ReLU after the sum), global
/// average pool and `fc`; every batch norm (ε 1e-5) folded into its convolution.
enum RegNet {
    /// One member of the family, as torchvision 0.28's `BlockParams.from_init_params` computes it
    /// from the paper's (depth, w₀, wₐ, wₘ, group width) and `_adjust_widths_groups_compatibilty`
    /// (bottleneck ratio 1: a block's inner width is its output width).
    struct Variant: Sendable, Equatable {
        /// Blocks in each of the four stages.
        let depths: [Int]
        /// Output width of each stage.
        let widths: [Int]
        /// Channels per group of the 3×3 convolutions.
        let groupWidth: Int
        /// The state-dict key names of the file.
        var naming = Naming.torchvision

        /// Length of the pooled feature vector.
        var featureDimension: Int { widths.last ?? RegNet.stemWidth }

        /// The same network under another framework's key names.
        /// - Parameter naming: the key names.
        /// - Returns: the variant.
        func named(_ naming: Naming) -> Variant {
            var variant = self
            variant.naming = naming
            return variant
        }
    }

    /// RegNetY-400MF … 32GF as torchvision 0.28 computes them (timm's `regnety_004`, `_016`, `_032`,
    /// `_160` and `_320` are the same; its `_008` and `_080` are not).
    static let y400MF = Variant(depths: [1, 3, 6, 6], widths: [48, 104, 208, 440], groupWidth: 8)
    static let y800MF = Variant(depths: [1, 3, 8, 2], widths: [64, 144, 320, 784], groupWidth: 16)
    static let y1_6GF = Variant(depths: [2, 6, 17, 2], widths: [48, 120, 336, 888], groupWidth: 24)
    static let y3_2GF = Variant(depths: [2, 5, 13, 1], widths: [72, 216, 576, 1512], groupWidth: 24)
    static let y8GF = Variant(depths: [2, 4, 10, 1], widths: [224, 448, 896, 2016], groupWidth: 56)
    static let y16GF = Variant(depths: [2, 4, 11, 1], widths: [224, 448, 1232, 3024], groupWidth: 112)
    static let y32GF = Variant(depths: [2, 5, 12, 1], widths: [232, 696, 1392, 3712], groupWidth: 232)

    /// Output channels of the stem.
    static let stemWidth = 32

    /// The key names of a RegNet state dict: the same modules, in the framework's words and order.
    enum Naming: Sendable, Equatable {
        /// torchvision's: `stem.0`/`stem.1`, `trunk_output.block1.block1-0.proj.0`, `….f.a.0`, `….f.se.fc1`, `fc`.
        case torchvision
        /// timm's: `stem.conv`/`stem.bn`, `s1.b1.conv1.conv`, `….se.fc1`, `….downsample.conv`, `head.fc`.
        case timm

        /// The parts of a block.
        enum Part { case projection, reduce, grouped, squeezeExcitation, expand }

        /// The prefix of block `index` (from 0) of stage `stage` (from 1).
        func block(stage: Int, index: Int) -> String {
            self == .torchvision ? "trunk_output.block\(stage).block\(stage)-\(index)" : "s\(stage).b\(index + 1)"
        }

        /// A part's key prefix within its block.
        func name(_ part: Part) -> String {
            switch (self, part) {
            case (.torchvision, .projection): return "proj"
            case (.torchvision, .reduce): return "f.a"
            case (.torchvision, .grouped): return "f.b"
            case (.torchvision, .squeezeExcitation): return "f.se"
            case (.torchvision, .expand): return "f.c"
            case (.timm, .projection): return "downsample"
            case (.timm, .reduce): return "conv1"
            case (.timm, .grouped): return "conv2"
            case (.timm, .squeezeExcitation): return "se"
            case (.timm, .expand): return "conv3"
            }
        }

        /// A block's parts in state-dict order (torchvision registers the projection first, timm last).
        var parts: [Part] {
            self == .torchvision ? [.projection, .reduce, .grouped, .squeezeExcitation, .expand]
                : [.reduce, .grouped, .squeezeExcitation, .expand, .projection]
        }

        /// The weight key of the convolution of module `module`.
        func weight(_ module: String) -> String { self == .torchvision ? "\(module).0.weight" : "\(module).conv.weight" }

        /// The key prefix of the batch norm of module `module`.
        func norm(_ module: String) -> String { self == .torchvision ? "\(module).1" : "\(module).bn" }

        /// The key prefix of the classifier.
        var classifier: String { self == .torchvision ? "fc" : "head.fc" }
    }

    /// One residual bottleneck block's place and sizes.
    struct Block {
        /// Key prefix, e.g. `trunk_output.block2.block2-0` (timm: `s2.b1`).
        let prefix: String
        /// Input channels.
        let inputs: Int
        /// Output channels (also the inner width).
        let outputs: Int
        /// Stride of the 3×3 convolution and the projection.
        let stride: Int
        /// Groups of the 3×3 convolution.
        let groups: Int
        /// Squeeze-excitation width: `round(0.25 × inputs)` — torchvision relates it to the block's
        /// input, not to the width it scales.
        let squeezed: Int

        /// Whether the shortcut is a 1×1 projection rather than the identity.
        var projects: Bool { stride != 1 || inputs != outputs }
    }

    /// Every block of a family member, in order.
    /// - Parameter variant: the family member.
    /// - Returns: the blocks.
    static func blocks(_ variant: Variant) -> [Block] {
        var blocks = [Block]()
        var inputs = stemWidth
        for (stage, (depth, width)) in zip(variant.depths, variant.widths).enumerated() {
            for index in 0..<depth {
                // Python's round() halves to even; the widths here are multiples of 8, so it is exact.
                let squeezed = Int((0.25 * Double(inputs)).rounded(.toNearestOrEven))
                blocks.append(Block(prefix: variant.naming.block(stage: stage + 1, index: index), inputs: inputs,
                                    outputs: width, stride: index == 0 ? 2 : 1,
                                    groups: max(1, width / variant.groupWidth), squeezed: squeezed))
                inputs = width
            }
        }
        return blocks
    }

    /// The learnt tensors the architecture reads, in the framework's state-dict order, with their
    /// shapes (batch-norm counters excluded: they are not read).
    /// - Parameter variant: the family member.
    /// - Returns: key and shape of every tensor.
    static func stateDictLayout(_ variant: Variant) -> [(key: String, shape: [Int])] {
        let naming = variant.naming
        var layout = [(key: String, shape: [Int])]()
        func conv(_ module: String, _ inputs: Int, _ outputs: Int, _ kernel: Int) {
            layout.append((naming.weight(module), [outputs, inputs, kernel, kernel]))
            for name in ["weight", "bias", "running_mean", "running_var"] {
                layout.append(("\(naming.norm(module)).\(name)", [outputs]))
            }
        }
        conv("stem", 3, stemWidth, 3)
        for block in blocks(variant) {
            for part in naming.parts {
                let module = "\(block.prefix).\(naming.name(part))"
                switch part {
                case .projection: if block.projects { conv(module, block.inputs, block.outputs, 1) }
                case .reduce: conv(module, block.inputs, block.outputs, 1)
                case .grouped: conv(module, block.outputs / block.groups, block.outputs, 3)
                case .expand: conv(module, block.outputs, block.outputs, 1)
                case .squeezeExcitation:
                    layout.append(("\(module).fc1.weight", [block.squeezed, block.outputs, 1, 1]))
                    layout.append(("\(module).fc1.bias", [block.squeezed]))
                    layout.append(("\(module).fc2.weight", [block.outputs, block.squeezed, 1, 1]))
                    layout.append(("\(module).fc2.bias", [block.outputs]))
                }
            }
        }
        layout.append(("\(naming.classifier).weight", [1000, variant.featureDimension]))
        layout.append(("\(naming.classifier).bias", [1000]))
        return layout
    }

    /// Builds the graph after checking every tensor's shape in state-dict order, so a file of
    /// another family member is refused at its first differing tensor.
    /// - Parameters:
    ///   - checkpoint: the state dict (`stem.0.weight`, `trunk_output.block1.block1-0.proj.0.weight`, …, `fc.bias`,
    ///     or timm's names).
    ///   - variant: the family member.
    ///   - inputSize: the square input side.
    /// - Returns: the graph: the last stage's map, its global average, the logits.
    /// - Throws: `BackboneError.missingTensor` / `.shapeMismatch` naming the first tensor that does
    ///   not fit, ``EngineError`` when the layers do not fit together.
    static func graph(_ checkpoint: CheckpointTensors, variant: Variant, inputSize: Int) throws -> Graph {
        for (key, shape) in stateDictLayout(variant) { _ = try checkpoint.tensor(key, shape: shape) }
        let naming = variant.naming
        func conv(_ module: String, _ inputs: Int, _ kernel: Int, stride: Int = 1, groups: Int = 1) throws -> Convolution {
            try checkpoint.convolution(naming.weight(module), inputs: inputs, outputs: nil, groups: groups, kernel: kernel,
                                       stride: stride, padding: .symmetric(kernel / 2), batchNorm: naming.norm(module),
                                       epsilon: 1e-5)
        }
        var graph = Graph(input: FeatureShape(channels: 3, height: inputSize, width: inputSize))
        var x = try graph.layer(graph.input, conv("stem", 3, 3, stride: 2), .relu)
        for block in blocks(variant) {
            func module(_ part: Naming.Part) -> String { "\(block.prefix).\(naming.name(part))" }
            var y = try graph.layer(x, conv(module(.reduce), block.inputs, 1), .relu)
            y = try graph.layer(y, conv(module(.grouped), block.outputs, 3, stride: block.stride, groups: block.groups),
                                .relu)
            y = try InvertedResidualNetwork.squeezeExcitation(
                .init(prefix: module(.squeezeExcitation), channels: block.outputs, squeezed: block.squeezed,
                      activation: .relu, gate: .sigmoid), y, &graph, checkpoint)
            y = try graph.layer(y, conv(module(.expand), block.outputs, 1), nil)
            let shortcut = block.projects
                ? try graph.layer(x, conv(module(.projection), block.inputs, 1, stride: block.stride), nil)
                : x
            x = graph.activation(try graph.add(y, shortcut), .relu)
        }
        try graph.setPooledLinearOutputs(
            featureMap: x, classifier: checkpoint.linear(naming.classifier, inputs: variant.featureDimension, outputs: 1000))
        return graph
    }
}

extension BackboneRegistry {
    /// torchvision's RegNetY-400MF … 32GF (found where torch hub keeps them; the IMAGENET1K_V1 and
    /// V2 files share their prefix). Preprocessing is that of the default IMAGENET1K_V2 weights:
    /// resize 232 bilinear, crop 224 (V1 was evaluated at resize 256; the features barely differ).
    /// The SWAG files (`regnet_y_16gf_swag-*`, 384 px bicubic) have another prefix and are not looked for.
    static let torchvisionRegNets: [BackboneDescriptor] = [
        ("regnet_y_400mf", RegNet.y400MF), ("regnet_y_800mf", RegNet.y800MF), ("regnet_y_1_6gf", RegNet.y1_6GF),
        ("regnet_y_3_2gf", RegNet.y3_2GF), ("regnet_y_8gf", RegNet.y8GF), ("regnet_y_16gf", RegNet.y16GF),
        ("regnet_y_32gf", RegNet.y32GF),
    ].map { name, variant in
        BackboneDescriptor(name: name, weights: .torchHub(prefix: name), inputSize: 224,
                           preprocessing: .torchvision(resizeShorterSide: 232, cropSize: 224, filter: .bilinear),
                           featureDimension: variant.featureDimension, classes: 1000, architecture: .regNet(variant))
    }
}
