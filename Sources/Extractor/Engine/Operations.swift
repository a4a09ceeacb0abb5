import CDNNL

/// An elementwise non-linearity. After a convolution, a linear layer or a residual add it is
/// fused into that primitive as a oneDNN post-op; elsewhere it runs as its own primitive.
package enum Activation: Equatable, Sendable, CustomStringConvertible {
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, lower), upper)`; ReLU6 is `clip(0, 6)`.
    case clip(lower: Float, upper: Float)
    /// `x · sigmoid(x)` (SiLU, Swish-1: EfficientNet-B*, RegNetY).
    case silu
    /// `x · min(max(x + 3, 0), 6) / 6` (MobileNetV3).
    case hardSwish
    /// `1 / (1 + e^(−x))` (squeeze-excitation gates).
    case sigmoid
    /// `x · Φ(x)` with the exact normal CDF (PyTorch's default GELU: ConvNeXt, ViT).
    case gelu

    /// ReLU6, as MobileNetV2 and EfficientNet-Lite use it.
    package static let relu6 = Activation.clip(lower: 0, upper: 6)

    /// The oneDNN algorithm and its two parameters.
    var algorithm: (kind: dnnl_alg_kind_t, alpha: Float, beta: Float) {
        switch self {
        case .relu: return (dnnl_eltwise_relu, 0, 0)
        case .clip(let lower, let upper): return (dnnl_eltwise_clip, lower, upper)
        case .silu: return (dnnl_eltwise_swish, 1, 0)
        case .hardSwish: return (dnnl_eltwise_hardswish, 0, 0)
        case .sigmoid: return (dnnl_eltwise_logistic, 0, 0)
        case .gelu: return (dnnl_eltwise_gelu_erf, 0, 0)
        }
    }

    /// The PyTorch-style name.
    package var description: String {
        switch self {
        case .relu: return "relu"
        case .clip(let lower, let upper): return "clip(\(lower), \(upper))"
        case .silu: return "silu"
        case .hardSwish: return "hardswish"
        case .sigmoid: return "sigmoid"
        case .gelu: return "gelu"
        }
    }
}

/// A 2-D convolution `y = W ∗ x + b` with channel groups (groups = channels: depthwise).
package struct Convolution: Sendable {
    /// Input channels (all groups).
    package let inputChannels: Int
    /// Output channels (all groups).
    package let outputChannels: Int
    /// Channel groups; each sees `inputChannels / groups` inputs and makes
    /// `outputChannels / groups` outputs.
    package let groups: Int
    /// Kernel, stride, dilation and padding.
    package let window: Window
    /// `outputChannels × (inputChannels / groups) × kernel.y × kernel.x` (PyTorch's OIHW;
    /// for groups, output channel `o` belongs to group `o / (outputChannels / groups)`).
    package let weights: [Float]
    /// One value per output channel, or empty for none.
    package let bias: [Float]

    /// A convolution layer.
    /// - Parameters:
    ///   - inputChannels: input channels (all groups).
    ///   - outputChannels: output channels (all groups).
    ///   - groups: channel groups (1: dense; the channel count: depthwise).
    ///   - window: kernel, stride, dilation and padding.
    ///   - weights: `outputChannels × (inputChannels / groups) × kernel.y × kernel.x`, OIHW.
    ///   - bias: one value per output channel, or empty.
    package init(inputChannels: Int, outputChannels: Int, groups: Int, window: Window, weights: [Float],
                 bias: [Float]) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.groups = groups
        self.window = window
        self.weights = weights
        self.bias = bias
    }

    /// Whether the layer is depthwise (one filter per channel).
    var isDepthwise: Bool { groups > 1 && groups == inputChannels && groups == outputChannels }

    /// Multiply-adds ×2 for one image producing `output`.
    /// - Parameter output: the output map size.
    /// - Returns: floating-point operations.
    func flops(output: Extent) -> Int {
        2 * outputChannels * (inputChannels / groups) * window.kernel.y * window.kernel.x * output.y * output.x
    }
}

/// Max or average pooling over a sliding window.
package struct Pooling: Sendable {
    /// What a window reduces to.
    package enum Kind: Equatable, Sendable {
        /// The largest value (padding never wins).
        case max
        /// The mean; `countsPadding` divides by the whole window (PyTorch's default
        /// `count_include_pad=True`) rather than by the pixels inside the image.
        case average(countsPadding: Bool)
    }

    /// What a window reduces to.
    package let kind: Kind
    /// Kernel, stride, dilation and padding (output size rounded down).
    package let window: Window

    /// A pooling layer.
    /// - Parameters:
    ///   - kind: what a window reduces to.
    ///   - window: kernel, stride, dilation and padding.
    package init(kind: Kind, window: Window) {
        self.kind = kind
        self.window = window
    }
}

/// A fully connected layer `y = W·flatten(x) + b`; `x` is flattened in C, H, W order
/// (PyTorch's `flatten(1)` of an NCHW tensor).
package struct Linear: Sendable {
    /// Input values per image (`C·H·W` of the input).
    package let inputs: Int
    /// Output values per image.
    package let outputs: Int
    /// `outputs × inputs`, PyTorch's layout.
    package let weights: [Float]
    /// One value per output, or empty for none.
    package let bias: [Float]

    /// A fully connected layer.
    /// - Parameters:
    ///   - inputs: input values per image (`C·H·W`).
    ///   - outputs: output values per image.
    ///   - weights: `outputs × inputs`.
    ///   - bias: one value per output, or empty.
    package init(inputs: Int, outputs: Int, weights: [Float], bias: [Float]) {
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.bias = bias
    }

    /// Multiply-adds ×2 for one image.
    var flops: Int { 2 * inputs * outputs }
}

/// A per-channel affine map `y = scale[c] · x + shift[c]`: a batch norm that cannot be folded
/// into a convolution because a non-linearity or a concatenation separates them (DenseNet's
/// pre-activation BN → ReLU → convolution).
package struct Affine: Sendable {
    /// One multiplier per channel.
    package let scale: [Float]
    /// One offset per channel.
    package let shift: [Float]

    /// A per-channel affine map.
    /// - Parameters:
    ///   - scale: one multiplier per channel.
    ///   - shift: one offset per channel, as many as `scale`.
    package init(scale: [Float], shift: [Float]) {
        self.scale = scale
        self.shift = shift
    }
}

/// A layer norm over channels: at every pixel, `y = (x − mean) / √(variance + ε) · scale[c] + shift[c]`
/// with the mean and (biased) variance taken over the `C` values of that pixel (torchvision's
/// `LayerNorm2d`, and ConvNeXt's block `LayerNorm` applied to a channels-last view of the map).
package struct LayerNorm: Sendable {
    /// One multiplier per channel (the norm's `weight`).
    package let scale: [Float]
    /// One offset per channel (the norm's `bias`).
    package let shift: [Float]
    /// Added to the variance.
    package let epsilon: Float

    /// A channel layer norm.
    /// - Parameters:
    ///   - scale: one multiplier per channel.
    ///   - shift: one offset per channel, as many as `scale`.
    ///   - epsilon: added to the variance (ConvNeXt: 1e-6).
    package init(scale: [Float], shift: [Float], epsilon: Float) {
        self.scale = scale
        self.shift = shift
        self.epsilon = epsilon
    }
}

/// What a graph node computes. Every value is a per-image `C × H × W` tensor; the batch is
/// the engine's business.
///
/// The set covers the CNN families a model zoo adds next: ResNet and VGG (dense convolutions,
/// ReLU, residual adds, max/average pooling, linear heads on a flattened map), DenseNet
/// (concatenations, average pooling, per-channel affine maps for its pre-activation batch
/// norms), RegNet (grouped convolutions), EfficientNet-B* and
/// MobileNetV3 (SiLU / hard-swish, squeeze-excitation as `globalAveragePool` → 1×1
/// convolutions → `sigmoid` → `scale`), dilated and asymmetrically padded convolutions
/// (`Window`), GELU, and ConvNeXt's layer norm over channels.
///
/// The set is open: a new operation needs a case here, its shape rule in `Graph` (and in
/// `Graph.append`), its primitive in `PlanBuilder.emit`, its place in `ConcatSplitting`
/// (whether it works per channel) and, when it can be fused, a rule in `Schedule`; and a node
/// in scripts/fixtures/engine_ops.py with the same node in EngineOperationTests.
package enum Operation: Sendable {
    /// A convolution; input `Cin×H×W`.
    case convolution(Convolution)
    /// An elementwise function.
    case activation(Activation)
    /// The sum of two tensors of one shape (residual connections).
    case add
    /// `x · s` with `s` of shape `C×1×1` broadcast over H and W (squeeze-excitation).
    case scale
    /// A per-channel affine map (an unfolded batch norm).
    case affine(Affine)
    /// A layer norm over channels at every pixel (ConvNeXt).
    case layerNorm(LayerNorm)
    /// The inputs stacked along channels, in input order (same H and W).
    case concat
    /// Max or average pooling.
    case pool(Pooling)
    /// The mean over H and W: `C×H×W → C×1×1`.
    case globalAveragePool
    /// A fully connected layer: `C×H×W → outputs×1×1`.
    case linear(Linear)
}
