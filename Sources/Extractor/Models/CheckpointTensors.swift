/// Typed access to a checkpoint's tensors while a network is assembled: every lookup checks
/// presence and shape and names the file in its error.
struct CheckpointTensors {
    /// The tensors by key.
    let tensors: [String: WeightTensor]
    /// The file (or other origin) the tensors came from, for error messages.
    let source: String

    /// The tensor at `key`, checked against `shape` where a dimension is not `nil`.
    /// - Parameters:
    ///   - key: the checkpoint key.
    ///   - shape: the expected dimensions; `nil` entries accept any length.
    /// - Returns: the tensor.
    /// - Throws: `BackboneError.missingTensor` or `.shapeMismatch`.
    func tensor(_ key: String, shape: [Int?]) throws -> WeightTensor {
        guard let t = tensors[key] else { throw BackboneError.missingTensor(key: key, source: source) }
        let matches = t.shape.count == shape.count && zip(t.shape, shape).allSatisfy { $1 == nil || $0 == $1 }
        guard matches else {
            throw BackboneError.shapeMismatch(key: key, expected: shape.map { $0 ?? -1 }, found: t.shape,
                                              source: source)
        }
        return t
    }

    /// Whether the checkpoint has `key`.
    func contains(_ key: String) -> Bool { tensors[key] != nil }

    /// The batch norm stored under `prefix` (`.weight`, `.bias`, `.running_mean`, `.running_var`).
    /// - Parameters:
    ///   - prefix: the module's key prefix.
    ///   - channels: the expected channel count.
    ///   - epsilon: the framework's ε.
    /// - Returns: the affine form, ready to fold.
    /// - Throws: `BackboneError` when a vector is missing or has another length.
    func batchNorm(_ prefix: String, channels: Int, epsilon: Float) throws -> BatchNorm {
        func vector(_ name: String) throws -> [Float] {
            try tensor("\(prefix).\(name)", shape: [channels]).values
        }
        return BatchNorm(gamma: try vector("weight"), beta: try vector("bias"), mean: try vector("running_mean"),
                         variance: try vector("running_var"), epsilon: epsilon)
    }

    /// A dense (or grouped) convolution from an OIHW PyTorch weight, with its batch norm folded in.
    /// - Parameters:
    ///   - key: the weight's key.
    ///   - inputs: the expected input channels.
    ///   - outputs: the expected output channels (`nil`: read from the checkpoint).
    ///   - groups: channel groups (RegNet's 3×3); the weight is `outputs × inputs/groups × k × k`.
    ///   - kernel: the expected kernel side.
    ///   - stride: the stride.
    ///   - padding: the border treatment.
    ///   - batchNorm: the key prefix of the following batch norm.
    ///   - epsilon: the batch norm's ε.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func convolution(_ key: String, inputs: Int, outputs: Int?, groups: Int = 1, kernel: Int, stride: Int = 1,
                     padding: Padding, batchNorm: String, epsilon: Float) throws -> Convolution {
        let w = try tensor(key, shape: [outputs, inputs / groups, kernel, kernel])
        let bn = try self.batchNorm(batchNorm, channels: w.shape[0], epsilon: epsilon)
        let folded = bn.fold(weight: w.values, bias: nil)
        return Convolution(inputChannels: inputs, outputChannels: w.shape[0], groups: groups,
                           window: Window(kernel: Extent(kernel), stride: Extent(stride), padding: padding),
                           weights: folded.weight, bias: folded.bias)
    }

    /// A depthwise convolution from a `C×1×k×k` PyTorch weight, with its batch norm folded in.
    /// - Parameters:
    ///   - key: the weight's key.
    ///   - channels: the expected channel count.
    ///   - kernel: the expected kernel side (`nil`: read from the checkpoint).
    ///   - stride: the stride.
    ///   - padding: the border treatment (`nil`: symmetric `(k − 1)/2`).
    ///   - batchNorm: the key prefix of the following batch norm.
    ///   - epsilon: the batch norm's ε.
    /// - Returns: the layer (`channels` groups).
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func depthwise(_ key: String, channels: Int, kernel: Int?, stride: Int, padding: Padding?,
                   batchNorm: String, epsilon: Float) throws -> Convolution {
        let w = try tensor(key, shape: [channels, 1, kernel, kernel])
        let k = w.shape[2]
        guard w.shape[3] == k else {
            throw BackboneError.shapeMismatch(key: key, expected: [channels, 1, k, k], found: w.shape, source: source)
        }
        let bn = try self.batchNorm(batchNorm, channels: channels, epsilon: epsilon)
        let folded = bn.fold(weight: w.values, bias: nil)
        return Convolution(inputChannels: channels, outputChannels: channels, groups: channels,
                           window: Window(kernel: Extent(k), stride: Extent(stride),
                                          padding: padding ?? .symmetric((k - 1) / 2)),
                           weights: folded.weight, bias: folded.bias)
    }

    /// A fully connected layer from PyTorch `weight` (`out × in`) and `bias`.
    /// - Parameters:
    ///   - prefix: the module's key prefix.
    ///   - inputs: the expected input features.
    ///   - outputs: the expected output features.
    /// - Returns: the layer.
    /// - Throws: `BackboneError` on a missing tensor or a shape mismatch.
    func linear(_ prefix: String, inputs: Int, outputs: Int) throws -> Linear {
        Linear(inputs: inputs, outputs: outputs,
               weights: try tensor("\(prefix).weight", shape: [outputs, inputs]).values,
               bias: try tensor("\(prefix).bias", shape: [outputs]).values)
    }

    /// Learnable parameters: every tensor except batch-norm running statistics and counters
    /// (what `sum(p.numel() for p in model.parameters())` counts in PyTorch).
    var parameterCount: Int {
        tensors.filter { key, _ in
            !(key.hasSuffix(".running_mean") || key.hasSuffix(".running_var") || key.hasSuffix(".num_batches_tracked"))
        }.values.reduce(0) { $0 + $1.values.count }
    }
}
