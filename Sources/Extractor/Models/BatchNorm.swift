/// Inference-time batch normalisation, `y = γ·(x − μ)/√(σ² + ε) + β`, kept only to be folded
/// into the convolution before it when a network is loaded.
struct BatchNorm {
    /// Per-channel multiplier `γ/√(σ² + ε)`.
    let scale: [Float]
    /// Per-channel offset `β − μ·scale`.
    let shift: [Float]

    /// Creates the affine form of a batch norm from its four parameter vectors.
    /// - Parameters:
    ///   - gamma: the learnt scale γ.
    ///   - beta: the learnt offset β.
    ///   - mean: the running mean μ.
    ///   - variance: the running variance σ².
    ///   - epsilon: ε (1e-5 in torchvision, 1e-3 in the TensorFlow ports).
    init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) {
        var scale = [Float](repeating: 0, count: gamma.count)
        var shift = scale
        for c in gamma.indices {
            // Double keeps the fold exact to float32 rounding.
            let s = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
        }
        self.scale = scale
        self.shift = shift
    }

    /// Folds this normalisation into the layer before it.
    /// - Parameters:
    ///   - weight: `channels × perChannel` weights, scaled row by row in place.
    ///   - bias: the layer's bias (`nil`: none), replaced by the folded bias.
    /// - Returns: the folded weights and bias.
    func fold(weight: [Float], bias: [Float]?) -> (weight: [Float], bias: [Float]) {
        let channels = scale.count
        let perChannel = weight.count / channels
        var w = weight
        var b = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            for i in 0..<perChannel { w[c * perChannel + i] *= scale[c] }
            b[c] = (bias?[c] ?? 0) * scale[c] + shift[c]
        }
        return (w, b)
    }
}
