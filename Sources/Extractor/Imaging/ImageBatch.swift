/// A batch of preprocessed images: contiguous float32 in NCHW order, ready for a network.
public struct ImageBatch: Sendable {
    /// Number of images (N).
    public let count: Int
    /// Number of channels (C), 3 for every backbone here.
    public let channels: Int
    /// Height (H) of every image.
    public let height: Int
    /// Width (W) of every image.
    public let width: Int
    /// `count × channels × height × width` values, image after image, plane after plane.
    public var values: [Float]

    /// Creates a batch over existing NCHW values.
    /// - Precondition: `values.count == count * channels * height * width`.
    public init(count: Int, channels: Int, height: Int, width: Int, values: [Float]) {
        precondition(values.count == count * channels * height * width,
                     "NCHW batch \(count)×\(channels)×\(height)×\(width) needs \(count * channels * height * width) values")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.values = values
    }

    /// Number of values per image (`channels × height × width`).
    public var imageSize: Int { channels * height * width }
}
