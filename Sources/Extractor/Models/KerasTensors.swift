/// Layers from Keras tensors (keys `layer/kernel`, `layer/gamma`, … as ``KerasLayout`` assigns
/// them): HWIO convolution kernels and IO dense kernels turned into the engine's OIHW and
/// output-major layouts, batch norms folded.
extension CheckpointTensors {
    /// A Keras `BatchNormalization` (gamma, beta, moving_mean, moving_variance).
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - channels: its channels.
    ///   - epsilon: its ε (1.001e-5 in the Keras ResNets).
    ///   - scale: whether it has gamma (`scale=False`, as in the Inceptions: γ = 1).
    /// - Returns: the affine form.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasBatchNorm(_ layer: String, channels: Int, epsilon: Float, scale: Bool = true) throws -> BatchNorm {
        func vector(_ name: String) throws -> [Float] { try tensor("\(layer)/\(name)", shape: [channels]).values }
        return BatchNorm(gamma: scale ? try vector("gamma") : Array(repeating: 1, count: channels),
                         beta: try vector("beta"), mean: try vector("moving_mean"),
                         variance: try vector("moving_variance"), epsilon: epsilon)
    }

    /// A Keras `Conv2D` (HWIO kernel, bias when the layer has one), with a batch norm folded in.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - inputs: input channels.
    ///   - outputs: output channels.
    ///   - kernel: the kernel side.
    ///   - stride: the stride.
    ///   - padding: the border (Keras `same` at stride 1 is symmetric `k/2`; `valid` is none).
    ///   - hasBias: whether the layer has a bias (`use_bias`).
    ///   - batchNorm: the following batch norm's name and ε, if any.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasConvolution(_ layer: String, inputs: Int, outputs: Int, kernel: Int, stride: Int = 1,
                          padding: Padding, hasBias: Bool = true,
                          batchNorm: (name: String, epsilon: Float)? = nil) throws -> Convolution {
        let oihw = try kerasKernel(layer, kernel: Extent(kernel), inputs: inputs, outputs: outputs)
        let bias = hasBias ? try tensor("\(layer)/bias", shape: [outputs]).values : nil
        var weights = oihw, shift = bias ?? []
        if let batchNorm {
            let folded = try kerasBatchNorm(batchNorm.name, channels: outputs, epsilon: batchNorm.epsilon)
                .fold(weight: oihw, bias: bias)
            (weights, shift) = folded
        }
        return Convolution(inputChannels: inputs, outputChannels: outputs, groups: 1,
                           window: Window(kernel: Extent(kernel), stride: Extent(stride), padding: padding),
                           weights: weights, bias: shift)
    }

    /// A Keras batch norm on its own (not after a convolution, as ResNetV2's pre-activations), as
    /// a depthwise 1×1 convolution: `x · scale + shift` per channel.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - channels: its channels.
    ///   - epsilon: its ε.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasStandaloneBatchNorm(_ layer: String, channels: Int, epsilon: Float) throws -> Convolution {
        let norm = try kerasBatchNorm(layer, channels: channels, epsilon: epsilon)
        return Convolution(inputChannels: channels, outputChannels: channels, groups: channels,
                           window: Window(kernel: Extent(1), stride: Extent(1), padding: .symmetric(0)),
                           weights: norm.scale, bias: norm.shift)
    }

    /// A Keras `Dense` layer (IO kernel, bias).
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - inputs: input features.
    ///   - outputs: output features.
    ///   - inputOrder: for a layer on a flattened `C×H×W` map, the map's shape: Keras flattens
    ///     channels-last (`h, w, c`), the engine channel-major (`c, h, w`), so the kernel's rows
    ///     are reordered; nil for a layer on a vector.
    ///   - pointwise: whether the layer is a 1×1 `Conv2D` on a pooled `1×1` map (MobileNet's
    ///     `conv_preds`), its kernel `1×1×I×O`, rather than a `Dense` layer.
    /// - Returns: the layer (`outputs × inputs` weights).
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasDense(_ layer: String, inputs: Int, outputs: Int, inputOrder map: FeatureShape? = nil,
                    pointwise: Bool = false) throws -> Linear {
        let io = try tensor("\(layer)/kernel", shape: pointwise ? [1, 1, inputs, outputs] : [inputs, outputs]).values
        var weights = [Float](repeating: 0, count: io.count)
        for row in 0..<inputs {
            // The engine's input `row` is Keras' input `source`.
            var source = row
            if let map {
                let plane = map.height * map.width
                source = (row % plane) * map.channels + row / plane
            }
            for o in 0..<outputs { weights[o * inputs + row] = io[source * outputs + o] }
        }
        return Linear(inputs: inputs, outputs: outputs, weights: weights,
                      bias: try tensor("\(layer)/bias", shape: [outputs]).values)
    }
}

extension CheckpointTensors {
    /// A Keras `SeparableConv2D` without bias (depth multiplier 1, `same` padding at stride 1) as
    /// two layers: the depthwise `k×k` convolution (kernel `k×k×C×1`), then the pointwise 1×1
    /// convolution (kernel `1×1×C×O`) with the following batch norm folded in.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - inputs: input channels.
    ///   - outputs: output channels.
    ///   - kernel: the depthwise kernel side.
    ///   - batchNorm: the following batch norm's name and ε.
    /// - Returns: the depthwise and the pointwise layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasSeparableConvolution(_ layer: String, inputs: Int, outputs: Int, kernel: Int,
                                   batchNorm: (name: String, epsilon: Float)) throws -> (Convolution, Convolution) {
        let depthwise = try kerasDepthwiseConvolution(layer, variable: "depthwise_kernel", channels: inputs,
                                                      kernel: kernel, padding: .symmetric(kernel / 2))
        // The pointwise kernel `1×1×C×O` is stored as `C×O`, as a dense layer's kernel.
        let io = try tensor("\(layer)/pointwise_kernel", shape: [1, 1, inputs, outputs]).values
        var pointwise = [Float](repeating: 0, count: io.count)
        for i in 0..<inputs {
            for o in 0..<outputs { pointwise[o * inputs + i] = io[i * outputs + o] }
        }
        let (weights, shift) = try kerasBatchNorm(batchNorm.name, channels: outputs, epsilon: batchNorm.epsilon)
            .fold(weight: pointwise, bias: nil)
        return (depthwise,
                Convolution(inputChannels: inputs, outputChannels: outputs, groups: 1, window: Window(kernel: Extent(1)),
                            weights: weights, bias: shift))
    }

    /// A Keras depthwise kernel (`k×k×C×1`, depth multiplier 1, no bias: a `DepthwiseConv2D`'s
    /// `layer/kernel`, or a `SeparableConv2D`'s first half, `layer/depthwise_kernel`), with the
    /// following batch norm folded in when given.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - variable: the kernel's variable name.
    ///   - channels: its channels.
    ///   - kernel: the kernel side.
    ///   - stride: the stride.
    ///   - padding: the border.
    ///   - batchNorm: the following batch norm's name and ε, if any.
    /// - Returns: the layer (`channels` groups).
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasDepthwiseConvolution(_ layer: String, variable: String = "kernel", channels: Int, kernel: Int,
                                   stride: Int = 1, padding: Padding,
                                   batchNorm: (name: String, epsilon: Float)? = nil) throws -> Convolution {
        let hwc = try tensor("\(layer)/\(variable)", shape: [kernel, kernel, channels, 1]).values
        let taps = kernel * kernel
        var weights = [Float](repeating: 0, count: hwc.count)
        for tap in 0..<taps {
            for c in 0..<channels { weights[c * taps + tap] = hwc[tap * channels + c] }
        }
        var shift = [Float]()
        if let batchNorm {
            (weights, shift) = try kerasBatchNorm(batchNorm.name, channels: channels, epsilon: batchNorm.epsilon)
                .fold(weight: weights, bias: nil)
        }
        return Convolution(inputChannels: channels, outputChannels: channels, groups: channels,
                           window: Window(kernel: Extent(kernel), stride: Extent(stride), padding: padding),
                           weights: weights, bias: shift)
    }
}

extension CheckpointTensors {
    /// A Keras `Conv2D` kernel (HWIO, `rows × columns × inputs × outputs`) in the engine's OIHW.
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - kernel: its rows (`y`) and columns (`x`).
    ///   - inputs: input channels.
    ///   - outputs: output channels.
    /// - Returns: the weights, OIHW.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func kerasKernel(_ layer: String, kernel: Extent, inputs: Int, outputs: Int) throws -> [Float] {
        let hwio = try tensor("\(layer)/kernel", shape: [kernel.y, kernel.x, inputs, outputs]).values
        var oihw = [Float](repeating: 0, count: hwio.count)
        let taps = kernel.y * kernel.x
        for tap in 0..<taps {
            for i in 0..<inputs {
                for o in 0..<outputs { oihw[(o * inputs + i) * taps + tap] = hwio[(tap * inputs + i) * outputs + o] }
            }
        }
        return oihw
    }
}
