/// The epilogue shared by every convolution: `row ← act(row + bias [+ residual])` for each
/// output channel's row of `length` values (one channel across the whole batch).
/// - Parameters:
///   - output: `rows × length` values, updated in place.
///   - rows: the number of channels.
///   - length: values per channel (`N·H·W`).
///   - bias: one value per channel.
///   - activation: the non-linearity applied last.
///   - residual: an optional tensor of the same shape added before the activation.
///   - threads: the most threads to use.
func addBiasAndActivate(_ output: UnsafeMutablePointer<Float>, rows: Int, length: Int,
                        bias: UnsafePointer<Float>, activation: Activation,
                        residual: UnsafePointer<Float>? = nil, threads: Int) {
    parallelRanges(rows, threads: threads) { _, range in
        for row in range {
            let out = output + row * length
            let b = bias[row]
            if let residual {
                let res = residual + row * length
                for i in 0..<length { out[i] += b + res[i] }
            } else {
                for i in 0..<length { out[i] += b }
            }
            activate(out, count: length, activation)
        }
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
