/// How a convolution or pooling window treats the image border.
///
/// Every layer here works on activations laid out channel-major across the batch,
/// `[C][N][H][W]` ("CNHW"): one channel's planes for all images are contiguous, so a 1×1
/// convolution over the whole batch is a single `W[Cout×Cin] · X[Cin×(N·H·W)]` product and a
/// channel concatenation is two writes at different channel offsets.
public enum Padding: Sendable, Equatable {
    /// The same number of zero pixels on every side (PyTorch `padding=p`; `0` is Keras VALID).
    case symmetric(Int)
    /// TensorFlow "SAME": output `ceil(in / stride)`, total padding
    /// `max((out − 1)·stride + kernel − in, 0)`, the odd pixel at the bottom/right.
    case tensorflowSame

    /// The output length and leading (top or left) padding along one axis.
    /// - Parameters:
    ///   - input: the input length.
    ///   - kernel: the window length.
    ///   - stride: the step between windows.
    /// - Returns: the output length and the number of zero pixels before the first input pixel.
    func resolve(input: Int, kernel: Int, stride: Int) -> (output: Int, leading: Int) {
        switch self {
        case .symmetric(let pad):
            return ((input + 2 * pad - kernel) / stride + 1, pad)
        case .tensorflowSame:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (output, total / 2)
        }
    }
}

/// The elementwise non-linearity fused into the end of a layer.
public enum Activation: Sendable, Equatable {
    /// Identity.
    case none
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6
}

/// The shape of one image's activation: channels × height × width.
public struct FeatureShape: Sendable, Equatable, CustomStringConvertible {
    /// Channels (C).
    public var channels: Int
    /// Height (H).
    public var height: Int
    /// Width (W).
    public var width: Int

    /// Creates a shape.
    /// - Parameters:
    ///   - channels: C.
    ///   - height: H.
    ///   - width: W.
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// `channels × height × width`.
    public var count: Int { channels * height * width }

    /// `height × width`.
    public var planeSize: Int { height * width }

    /// "C×H×W".
    public var description: String { "\(channels)×\(height)×\(width)" }
}
