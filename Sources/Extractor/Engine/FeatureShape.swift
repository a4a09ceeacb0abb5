/// The shape of one image's activation: channels × height × width (the batch is implicit).
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

    /// The oneDNN dimensions of a batch of `batch` such tensors: `[N, C, H, W]`.
    func dims(batch: Int) -> [Int] { [batch, channels, height, width] }
}
