/// torchvision's MobileNetV3-Large and -Small (`mobilenet_v3_large-*.pth`, width 1.0, not dilated):
/// inverted residual blocks with ReLU or hardswish, squeeze-excitation with ReLU and a hard-sigmoid
/// gate, batch norms with ε 1e-3, and a Linear–hardswish–Linear classifier on the pooled map.
enum MobileNetV3 {
    /// One block of torchvision's `_mobilenet_v3_conf` (Tables 1 and 2 of the paper).
    struct Setting: Sendable, Equatable {
        let inputs: Int
        let kernel: Int
        let expanded: Int
        let outputs: Int
        /// Whether the block has squeeze-excitation.
        let squeezeExcitation: Bool
        /// Hardswish rather than ReLU.
        let hardSwish: Bool
        let stride: Int

        init(_ inputs: Int, _ kernel: Int, _ expanded: Int, _ outputs: Int, _ squeezeExcitation: Bool,
             _ activation: String, _ stride: Int) {
            self.inputs = inputs
            self.kernel = kernel
            self.expanded = expanded
            self.outputs = outputs
            self.squeezeExcitation = squeezeExcitation
            self.hardSwish = activation == "HS"
            self.stride = stride
        }
    }

    /// One member of the family.
    struct Variant: Sendable, Equatable {
        /// The blocks.
        let settings: [Setting]
        /// Width of the classifier's hidden layer.
        let lastChannels: Int

        /// MobileNetV3-Large.
        static let large = Variant(settings: [
            Setting(16, 3, 16, 16, false, "RE", 1), Setting(16, 3, 64, 24, false, "RE", 2),
            Setting(24, 3, 72, 24, false, "RE", 1), Setting(24, 5, 72, 40, true, "RE", 2),
            Setting(40, 5, 120, 40, true, "RE", 1), Setting(40, 5, 120, 40, true, "RE", 1),
            Setting(40, 3, 240, 80, false, "HS", 2), Setting(80, 3, 200, 80, false, "HS", 1),
            Setting(80, 3, 184, 80, false, "HS", 1), Setting(80, 3, 184, 80, false, "HS", 1),
            Setting(80, 3, 480, 112, true, "HS", 1), Setting(112, 3, 672, 112, true, "HS", 1),
            Setting(112, 5, 672, 160, true, "HS", 2), Setting(160, 5, 960, 160, true, "HS", 1),
            Setting(160, 5, 960, 160, true, "HS", 1),
        ], lastChannels: 1280)

        /// MobileNetV3-Small.
        static let small = Variant(settings: [
            Setting(16, 3, 16, 16, true, "RE", 2), Setting(16, 3, 72, 24, false, "RE", 2),
            Setting(24, 3, 88, 24, false, "RE", 1), Setting(24, 5, 96, 40, true, "HS", 2),
            Setting(40, 5, 240, 40, true, "HS", 1), Setting(40, 5, 240, 40, true, "HS", 1),
            Setting(40, 5, 120, 48, true, "HS", 1), Setting(48, 5, 144, 48, true, "HS", 1),
            Setting(48, 5, 288, 96, true, "HS", 2), Setting(96, 5, 576, 96, true, "HS", 1),
            Setting(96, 5, 576, 96, true, "HS", 1),
        ], lastChannels: 1024)

        /// Channels of the last convolution: six times the last block's outputs.
        var featureDimension: Int { 6 * (settings.last?.outputs ?? 0) }
    }

    /// The network of a family member, module by module with torchvision's keys.
    /// - Parameter variant: the family member.
    /// - Returns: its description.
    static func network(_ variant: Variant) -> InvertedResidualNetwork {
        typealias Conv = InvertedResidualNetwork.ConvNormActivation
        let stemChannels = variant.settings.first?.inputs ?? 16
        var blocks = [InvertedResidualNetwork.Block]()
        for (index, s) in variant.settings.enumerated() {
            let prefix = "features.\(index + 1).block"
            let activation: Activation = s.hardSwish ? .hardSwish : .relu
            var modules = [InvertedResidualNetwork.Module]()
            func conv(_ inputs: Int, _ outputs: Int, kernel: Int, stride: Int, depthwise: Bool, _ activation: Activation?) {
                modules.append(.convolution(Conv(prefix: "\(prefix).\(modules.count)", inputs: inputs, outputs: outputs,
                                                 kernel: kernel, stride: stride, depthwise: depthwise,
                                                 activation: activation)))
            }
            if s.expanded != s.inputs { conv(s.inputs, s.expanded, kernel: 1, stride: 1, depthwise: false, activation) }
            conv(s.expanded, s.expanded, kernel: s.kernel, stride: s.stride, depthwise: true, activation)
            if s.squeezeExcitation {
                modules.append(.squeezeExcitation(.init(
                    prefix: "\(prefix).\(modules.count)", channels: s.expanded,
                    squeezed: InvertedResidualNetwork.makeDivisible(Double(s.expanded / 4)), activation: .relu, gate: .hardSigmoid)))
            }
            conv(s.expanded, s.outputs, kernel: 1, stride: 1, depthwise: false, nil)
            blocks.append(.init(modules: modules, residual: s.stride == 1 && s.inputs == s.outputs))
        }
        let last = variant.settings.last?.outputs ?? stemChannels
        let features = variant.featureDimension
        return InvertedResidualNetwork(
            stem: Conv(prefix: "features.0", inputs: 3, outputs: stemChannels, kernel: 3, stride: 2, depthwise: false,
                       activation: .hardSwish),
            blocks: blocks,
            head: Conv(prefix: "features.\(variant.settings.count + 1)", inputs: last, outputs: features, kernel: 1,
                       stride: 1, depthwise: false, activation: .hardSwish),
            classifier: [.init(prefix: "classifier.0", inputs: features, outputs: variant.lastChannels, activation: .hardSwish),
                         .init(prefix: "classifier.3", inputs: variant.lastChannels, outputs: 1000, activation: nil)],
            epsilon: 1e-3)
    }
}
