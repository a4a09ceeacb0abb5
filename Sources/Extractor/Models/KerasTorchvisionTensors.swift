/// Keras tensors renamed and transposed into torchvision's state-dict form, for the Keras
/// applications whose torchvision twin has the same layers in the same order (DenseNet,
/// EfficientNet): the torchvision family's graph builder then assembles them, so each
/// architecture is written once.
extension KerasLayout {
    /// The tensors of this layout's layers under the torchvision keys of the same modules:
    /// convolution kernels HWIO → OIHW (`…/kernel` → `.weight`, `…/bias` → `.bias`), depthwise
    /// kernels `k×k×C×1` → `C×1×k×k`, batch norms (`gamma`, `beta`, `moving_mean`,
    /// `moving_variance` → `weight`, `bias`, `running_mean`, `running_var`), dense kernels IO → OI.
    /// Layers of other kinds (`Normalization`) are left out and have no module; a layer missing
    /// from `tensors` (a `notop` file's classifier) is skipped.
    /// - Parameters:
    ///   - tensors: the tensors by Keras key, as ``tensors(from:backbone:)`` assigned them.
    ///   - modules: the torchvision module prefix of each convolution, depthwise convolution,
    ///     batch norm and dense layer of ``layers``, in order (see ``torchvisionModules(_:)``).
    /// - Returns: the tensors by torchvision key.
    func torchvisionTensors(_ tensors: [String: WeightTensor], modules: [String]) -> [String: WeightTensor] {
        var renamed = [String: WeightTensor]()
        let mapped = layers.filter { [.conv2d, .depthwiseConv2d, .batchNormalization, .dense].contains($0.kind) }
        for (layer, module) in zip(mapped, modules) {
            for (key, name) in zip(layer.keys, layer.kind.weightNames) {
                guard let tensor = tensors[key] else { continue }
                let s = tensor.shape
                switch (name, s.count) {
                case ("kernel", 4):
                    // HWIO (depthwise: HWC1) to OIHW (C1HW).
                    let outputsFirst = layer.kind == .depthwiseConv2d ? [2, 3, 0, 1] : [3, 2, 0, 1]
                    renamed["\(module).weight"] = tensor.permuted(outputsFirst)
                case ("kernel", 2): renamed["\(module).weight"] = tensor.permuted([1, 0])
                case ("gamma", _): renamed["\(module).weight"] = tensor
                case ("beta", _), ("bias", _): renamed["\(module).bias"] = tensor
                case ("moving_mean", _): renamed["\(module).running_mean"] = tensor
                case ("moving_variance", _): renamed["\(module).running_var"] = tensor
                default: continue
                }
            }
        }
        return renamed
    }

    /// The module prefixes of a torchvision state-dict layout in order (`features.conv0.weight`,
    /// `features.norm0.weight`, … → `features.conv0`, `features.norm0`, …).
    /// - Parameter stateDict: keys and shapes in state-dict order.
    /// - Returns: each module once, where it first appears.
    static func torchvisionModules(_ stateDict: [(key: String, shape: [Int])]) -> [String] {
        var modules = [String]()
        for (key, _) in stateDict {
            let module = key.split(separator: ".").dropLast().joined(separator: ".")
            if modules.last != module { modules.append(module) }
        }
        return modules
    }
}

extension WeightTensor {
    /// The tensor with its axes reordered: axis `i` of the result is axis `order[i]` of this one.
    /// - Parameter order: a permutation of the axes.
    /// - Returns: the permuted tensor (C order).
    func permuted(_ order: [Int]) -> WeightTensor {
        let newShape = order.map { shape[$0] }
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let sourceStrides = order.map { strides[$0] }
        var result = [Float](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: newShape.count)
        for position in result.indices {
            var source = 0
            for axis in index.indices { source += index[axis] * sourceStrides[axis] }
            result[position] = values[source]
            var axis = newShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < newShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return WeightTensor(shape: newShape, values: result)
    }
}
