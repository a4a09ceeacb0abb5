extension CheckpointTensors {
    /// A dense convolution from an OIHW PyTorch weight with its own bias (if any) and, when a
    /// batch norm follows it, that norm folded in: VGG's biased convolutions, DenseNet's 3×3 and
    /// transition convolutions (no bias, their batch norm comes before them).
    /// - Parameters:
    ///   - prefix: the convolution's key prefix (`PREFIX.weight`, `PREFIX.bias`).
    ///   - inputs: the expected input channels.
    ///   - outputs: the expected output channels.
    ///   - kernel: the expected kernel side.
    ///   - padding: the symmetric padding in pixels.
    ///   - hasBias: whether the checkpoint has `PREFIX.bias`.
    ///   - batchNorm: the key prefix of a batch norm right after it, if any.
    ///   - epsilon: that batch norm's ε.
    /// - Returns: the layer, stride 1.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func convolution(_ prefix: String, inputs: Int, outputs: Int, kernel: Int, padding: Int, hasBias: Bool,
                     batchNorm: String? = nil, epsilon: Float = 1e-5) throws -> Convolution {
        var weights = try tensor("\(prefix).weight", shape: [outputs, inputs, kernel, kernel]).values
        var bias = hasBias ? try tensor("\(prefix).bias", shape: [outputs]).values : []
        if let batchNorm {
            let folded = try self.batchNorm(batchNorm, channels: outputs, epsilon: epsilon)
                .fold(weight: weights, bias: hasBias ? bias : nil)
            (weights, bias) = (folded.weight, folded.bias)
        }
        return Convolution(inputChannels: inputs, outputChannels: outputs, groups: 1,
                           window: Window(kernel: Extent(kernel), padding: .symmetric(padding)),
                           weights: weights, bias: bias)
    }

    /// A batch norm that cannot be folded into a convolution (it comes before one, behind a
    /// non-linearity), as the engine's per-channel affine map.
    /// - Parameters:
    ///   - prefix: the module's key prefix.
    ///   - channels: the expected channel count.
    ///   - epsilon: the framework's ε.
    /// - Returns: `γ/√(σ² + ε)` and `β − μ·γ/√(σ² + ε)` per channel.
    /// - Throws: `BackboneError` when a vector is missing or has another length.
    func affine(_ prefix: String, channels: Int, epsilon: Float = 1e-5) throws -> Affine {
        let norm = try batchNorm(prefix, channels: channels, epsilon: epsilon)
        return Affine(scale: norm.scale, shift: norm.shift)
    }
}
