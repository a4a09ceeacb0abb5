/// torchvision's EfficientNet-B0…B7 and EfficientNet-V2-S (`efficientnet_b0_rwightman-*.pth`, …):
/// MBConv blocks (1×1 expansion, depthwise k×k, squeeze-excitation with SiLU and a sigmoid gate,
/// 1×1 projection), V2's fused MBConv blocks (k×k expansion, 1×1 projection), SiLU throughout,
/// stochastic depth and dropout being the identity at inference. Stage widths and depths follow
/// torchvision's `_efficientnet_conf`.
enum EfficientNet {
    /// One stage of torchvision's `_efficientnet_conf`, before the width and depth multipliers.
    struct Stage: Sendable, Equatable {
        /// A fused MBConv stage (V2) rather than an MBConv one.
        let fused: Bool
        /// Expansion ratio of the hidden width.
        let expansion: Int
        /// Kernel side.
        let kernel: Int
        /// Stride of the stage's first block.
        let stride: Int
        /// Input channels of the stage's first block.
        let inputs: Int
        /// Output channels.
        let outputs: Int
        /// Blocks.
        let layers: Int
    }

    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// The stages before scaling.
        let stages: [Stage]
        /// Multiplier of every width (`width_mult`).
        let width: Double
        /// Multiplier of every stage's depth (`depth_mult`).
        let depth: Double
        /// Channels of the last convolution (`nil`: four times the last stage's outputs).
        let lastChannels: Int?
        /// The batch norms' ε (1e-5 for B0–B4, 1e-3 for B5–B7 and V2).
        let epsilon: Float

        /// EfficientNet-B`n` scaled by `width` and `depth`.
        static func b(width: Double, depth: Double, epsilon: Float) -> Variant {
            Variant(stages: [
                Stage(fused: false, expansion: 1, kernel: 3, stride: 1, inputs: 32, outputs: 16, layers: 1),
                Stage(fused: false, expansion: 6, kernel: 3, stride: 2, inputs: 16, outputs: 24, layers: 2),
                Stage(fused: false, expansion: 6, kernel: 5, stride: 2, inputs: 24, outputs: 40, layers: 2),
                Stage(fused: false, expansion: 6, kernel: 3, stride: 2, inputs: 40, outputs: 80, layers: 3),
                Stage(fused: false, expansion: 6, kernel: 5, stride: 1, inputs: 80, outputs: 112, layers: 3),
                Stage(fused: false, expansion: 6, kernel: 5, stride: 2, inputs: 112, outputs: 192, layers: 4),
                Stage(fused: false, expansion: 6, kernel: 3, stride: 1, inputs: 192, outputs: 320, layers: 1),
            ], width: width, depth: depth, lastChannels: nil, epsilon: epsilon)
        }

        /// EfficientNet-V2-S.
        static let v2Small = Variant(stages: [
            Stage(fused: true, expansion: 1, kernel: 3, stride: 1, inputs: 24, outputs: 24, layers: 2),
            Stage(fused: true, expansion: 4, kernel: 3, stride: 2, inputs: 24, outputs: 48, layers: 4),
            Stage(fused: true, expansion: 4, kernel: 3, stride: 2, inputs: 48, outputs: 64, layers: 4),
            Stage(fused: false, expansion: 4, kernel: 3, stride: 2, inputs: 64, outputs: 128, layers: 6),
            Stage(fused: false, expansion: 6, kernel: 3, stride: 1, inputs: 128, outputs: 160, layers: 9),
            Stage(fused: false, expansion: 6, kernel: 3, stride: 2, inputs: 160, outputs: 256, layers: 15),
        ], width: 1, depth: 1, lastChannels: 1280, epsilon: 1e-3)

        /// `channels · width` rounded as torchvision's `_make_divisible(·, 8)`.
        func scaled(_ channels: Int) -> Int { InvertedResidualNetwork.makeDivisible(Double(channels) * width) }
    }

    /// The network of a family member, module by module with torchvision's keys.
    /// - Parameter variant: the family member.
    /// - Returns: its description.
    static func network(_ variant: Variant) -> InvertedResidualNetwork {
        typealias Conv = InvertedResidualNetwork.ConvNormActivation
        let stemChannels = variant.scaled(variant.stages[0].inputs)
        let stem = Conv(prefix: "features.0", inputs: 3, outputs: stemChannels, kernel: 3, stride: 2, depthwise: false,
                        activation: .silu)
        var blocks = [InvertedResidualNetwork.Block]()
        var inputs = stemChannels
        for (index, stage) in variant.stages.enumerated() {
            let outputs = variant.scaled(stage.outputs)
            let layers = Int((Double(stage.layers) * variant.depth).rounded(.up))
            for layer in 0..<layers {
                let stride = layer == 0 ? stage.stride : 1
                let block = Block(prefix: "features.\(index + 1).\(layer).block", inputs: inputs, outputs: outputs,
                                  hidden: InvertedResidualNetwork.makeDivisible(Double(inputs * stage.expansion)), kernel: stage.kernel,
                                  stride: stride)
                blocks.append(InvertedResidualNetwork.Block(
                    modules: stage.fused ? block.fused : block.mbConv,
                    residual: stride == 1 && inputs == outputs))
                inputs = outputs
            }
        }
        let last = variant.lastChannels ?? 4 * inputs
        return InvertedResidualNetwork(
            stem: stem, blocks: blocks,
            head: Conv(prefix: "features.\(variant.stages.count + 1)", inputs: inputs, outputs: last, kernel: 1, stride: 1,
                       depthwise: false, activation: .silu),
            classifier: [.init(prefix: "classifier.1", inputs: last, outputs: 1000, activation: nil)],
            epsilon: variant.epsilon)
    }

    /// One block's sizes and the modules torchvision gives it.
    private struct Block {
        /// Key prefix of the block's `nn.Sequential`, e.g. `features.2.0.block`.
        let prefix: String
        let inputs: Int
        let outputs: Int
        /// Expanded width (`_make_divisible(inputs · expansion, 8)`).
        let hidden: Int
        let kernel: Int
        let stride: Int

        private func conv(_ index: Int, _ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1,
                          depthwise: Bool = false, _ activation: Activation?) -> InvertedResidualNetwork.Module {
            .convolution(.init(prefix: "\(prefix).\(index)", inputs: inputs, outputs: outputs, kernel: kernel,
                               stride: stride, depthwise: depthwise, activation: activation))
        }

        /// `MBConv`: [1×1 expansion +] depthwise + squeeze-excitation (`inputs / 4` wide) + 1×1 projection.
        var mbConv: [InvertedResidualNetwork.Module] {
            var modules = [InvertedResidualNetwork.Module]()
            if hidden != inputs { modules.append(conv(0, inputs, hidden, kernel: 1, .silu)) }
            modules.append(conv(modules.count, hidden, hidden, kernel: kernel, stride: stride, depthwise: true, .silu))
            modules.append(.squeezeExcitation(.init(prefix: "\(prefix).\(modules.count)", channels: hidden,
                                                    squeezed: max(1, inputs / 4), activation: .silu, gate: .sigmoid)))
            modules.append(conv(modules.count, hidden, outputs, kernel: 1, nil))
            return modules
        }

        /// `FusedMBConv`: k×k expansion + 1×1 projection, or one k×k convolution without expansion.
        var fused: [InvertedResidualNetwork.Module] {
            guard hidden != inputs else { return [conv(0, inputs, outputs, kernel: kernel, stride: stride, .silu)] }
            return [conv(0, inputs, hidden, kernel: kernel, stride: stride, .silu), conv(1, hidden, outputs, kernel: 1, nil)]
        }
    }
}
