/// The epilogue of a convolution on one block of columns: `x ← act(x [+ residual])` for each
/// output channel's `length` values starting at `row · stride`.
/// - Parameters:
///   - output: the block's first value in channel 0, updated in place.
///   - rows: the number of channels.
///   - stride: the distance between channels (`N·H·W`).
///   - length: the block's columns.
///   - activation: the non-linearity applied last.
///   - residual: an optional tensor laid out like `output`, added before the activation.
func finishColumns(_ output: UnsafeMutablePointer<Float>, rows: Int, stride: Int, length: Int,
                   activation: Activation, residual: UnsafePointer<Float>?) {
    for row in 0..<rows {
        let out = output + row * stride
        if let residual {
            let res = residual + row * stride
            for i in 0..<length { out[i] += res[i] }
        }
        activate(out, count: length, activation)
    }
}

/// Applies `activation` in place to `count` values.
/// - Parameters:
///   - values: the values.
///   - count: how many.
///   - activation: the non-linearity.
@inline(__always)
func activate(_ values: UnsafeMutablePointer<Float>, count: Int, _ activation: Activation) {
    switch activation {
    case .none:
        break
    case .relu:
        for i in 0..<count { values[i] = max(values[i], 0) }
    case .relu6:
        for i in 0..<count { values[i] = min(max(values[i], 0), 6) }
    }
}
