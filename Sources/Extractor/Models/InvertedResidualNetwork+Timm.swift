/// timm's `efficientnet_b*` and `mobilenetv3_*_100`: torchvision's EfficientNets and MobileNetV3s
/// module for module, in the same order, under timm's key names (`conv_stem`/`bn1`,
/// `blocks.S.B.conv_pw`, `….se.conv_reduce`, …). timm numbers its blocks within stages
/// (`blocks.S.B`) where torchvision's MobileNetV3 numbers them one by one (`features.N`).
extension InvertedResidualNetwork {
    /// timm's names of a block's convolutions and their batch norms, in order, for a block with an
    /// expansion (timm's `InvertedResidual`: three convolutions) …
    private static let timmExpanding = [("conv_pw", "bn1"), ("conv_dw", "bn2"), ("conv_pwl", "bn3")]
    /// … and for one without (`DepthwiseSeparableConv`: two).
    private static let timmSeparable = [("conv_dw", "bn1"), ("conv_pw", "bn2")]

    /// The blocks under timm's names: block `B` of stage `S` is `blocks.S.B`, its squeeze-excitation
    /// `blocks.S.B.se` (`conv_reduce`, `conv_expand`), its convolutions as ``timmExpanding`` or
    /// ``timmSeparable`` name them.
    /// - Parameter stages: the blocks of each of timm's stages, in order (as many as ``blocks`` in all).
    /// - Returns: the renamed blocks.
    func timmBlocks(stages: [Int]) -> [Block] {
        let places = stages.enumerated().flatMap { stage, count in (0..<count).map { "blocks.\(stage).\($0)" } }
        precondition(places.count == blocks.count, "timm's stages hold \(places.count) blocks, not \(blocks.count)")
        return zip(blocks, places).map { block, place in
            let convolutions = block.modules.filter { if case .convolution = $0 { true } else { false } }.count
            var names = (convolutions == 3 ? Self.timmExpanding : Self.timmSeparable)[...]
            let modules = block.modules.map { module -> Module in
                switch module {
                case .convolution(var c):
                    let (convolution, norm) = names.removeFirst()
                    (c.convolution, c.norm) = ("\(place).\(convolution)", "\(place).\(norm)")
                    return .convolution(c)
                case .squeezeExcitation(var se):
                    (se.prefix, se.reduce, se.expand) = ("\(place).se", "conv_reduce", "conv_expand")
                    return .squeezeExcitation(se)
                }
            }
            return Block(modules: modules, residual: block.residual)
        }
    }
}

extension InvertedResidualNetwork.ConvNormActivation {
    /// The same module under other key prefixes.
    /// - Parameters:
    ///   - convolution: the convolution's prefix.
    ///   - norm: the batch norm's prefix.
    /// - Returns: the module.
    func named(_ convolution: String, _ norm: String) -> Self {
        var renamed = self
        (renamed.convolution, renamed.norm) = (convolution, norm)
        return renamed
    }
}

extension EfficientNet {
    /// timm's `efficientnet_b0` … `_b4` (symmetric padding like torchvision's, not the
    /// `tf_efficientnet_*` ones with TensorFlow's `same`; batch-norm ε 1e-5 like torchvision's B0–B4):
    /// torchvision's network with the stem `conv_stem`/`bn1`, the blocks `blocks.S.B` (one timm
    /// stage per torchvision stage), the last convolution `conv_head`/`bn2`, the Linear `classifier`.
    /// - Parameter variant: the family member.
    /// - Returns: its description.
    static func timmNetwork(_ variant: Variant) -> InvertedResidualNetwork {
        let network = network(variant)
        let stages = variant.stages.map { Int((Double($0.layers) * variant.depth).rounded(.up)) }
        let classifier = network.classifier.map { dense in
            var renamed = dense
            renamed.prefix = "classifier"
            return renamed
        }
        return InvertedResidualNetwork(stem: network.stem.named("conv_stem", "bn1"), blocks: network.timmBlocks(stages: stages),
                                       head: network.head.named("conv_head", "bn2"), classifier: classifier,
                                       epsilon: network.epsilon)
    }
}

extension MobileNetV3 {
    /// timm's `mobilenetv3_large_100` and `mobilenetv3_small_100`: torchvision's network with
    /// batch-norm ε 1e-5 (torchvision's is 1e-3), the stem `conv_stem`/`bn1`, the blocks in timm's
    /// stages, the last convolution as timm's last stage (`blocks.N.0.conv`/`.bn1`), and the
    /// classifier's first Linear as `conv_head`, a 1×1 convolution with bias on the pooled map
    /// (then hardswish and the Linear `classifier`). The pooled features are the global average
    /// of the last convolution's map, as torchvision's (timm's `pre_logits` would be `conv_head`'s
    /// output).
    /// - Parameter variant: the family member.
    /// - Returns: its description.
    static func timmNetwork(_ variant: Variant) -> InvertedResidualNetwork {
        let network = network(variant)
        // timm's `arch_def` groups Large's 15 blocks as 1, 2, 3, 4, 2, 3 and Small's 11 as 1, 2, 3, 2, 3.
        let stages = variant == .large ? [1, 2, 3, 4, 2, 3] : [1, 2, 3, 2, 3]
        var classifier = network.classifier
        classifier[0].prefix = "conv_head"
        classifier[0].pointwise = true
        classifier[1].prefix = "classifier"
        return InvertedResidualNetwork(stem: network.stem.named("conv_stem", "bn1"), blocks: network.timmBlocks(stages: stages),
                                       head: network.head.named("blocks.\(stages.count).0.conv", "blocks.\(stages.count).0.bn1"),
                                       classifier: classifier, epsilon: 1e-5)
    }
}
