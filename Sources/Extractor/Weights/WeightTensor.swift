/// One named array read from a checkpoint: its shape as stored and its values as float32,
/// row-major (C order) in that shape.
public struct WeightTensor: Sendable, Equatable {
    /// The dimensions, outermost first (e.g. `[out, in, kh, kw]` for a PyTorch convolution).
    public let shape: [Int]
    /// `shape.reduce(1, *)` values in C order.
    public let values: [Float]

    /// Creates a tensor. - Precondition: the element count matches the shape.
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *),
                     "tensor of shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }
}
