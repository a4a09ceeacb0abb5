import LinearAlgebra

/// A dense 2-D convolution with bias and a fused activation, run as one OpenBLAS sgemm over
/// the whole batch: `Y[Cout × N·Ho·Wo] = W[Cout × Cin·k·k] · col[Cin·k·k × N·Ho·Wo]`, where
/// `col` is the input itself for a 1×1 stride-1 convolution and its im2col expansion otherwise.
struct Convolution {
    /// Input channels.
    let inputChannels: Int
    /// Output channels.
    let outputChannels: Int
    /// Square kernel side.
    let kernel: Int
    /// Step between windows (both axes).
    let stride: Int
    /// Border treatment.
    let padding: Padding
    /// `outputChannels × (inputChannels·kernel·kernel)`, PyTorch OIHW order per row.
    let weight: [Float]
    /// One value per output channel (a folded batch norm's shift when the layer had none).
    let bias: [Float]
    /// Fused non-linearity.
    let activation: Activation

    /// Whether the input can be multiplied directly, without an im2col copy.
    var isPointwise: Bool { kernel == 1 && stride == 1 && (padding == .symmetric(0) || padding == .tensorflowSame) }

    /// The output shape for an input shape.
    /// - Parameter input: one image's input shape.
    /// - Returns: one image's output shape.
    func outputShape(_ input: FeatureShape) -> FeatureShape {
        let y = padding.resolve(input: input.height, kernel: kernel, stride: stride)
        let x = padding.resolve(input: input.width, kernel: kernel, stride: stride)
        return FeatureShape(channels: outputChannels, height: y.output, width: x.output)
    }

    /// Floats of im2col scratch needed for a batch of `count` images of shape `input`.
    /// - Parameters:
    ///   - input: one image's input shape.
    ///   - count: the batch size.
    /// - Returns: 0 for a pointwise convolution.
    func columnSize(_ input: FeatureShape, count: Int) -> Int {
        isPointwise ? 0 : inputChannels * kernel * kernel * outputShape(input).planeSize * count
    }

    /// Multiply-adds ×2 for one image.
    /// - Parameter input: one image's input shape.
    /// - Returns: floating-point operations.
    func flops(_ input: FeatureShape) -> Int {
        2 * outputChannels * inputChannels * kernel * kernel * outputShape(input).planeSize
    }

    /// Runs the layer on a CNHW batch.
    /// - Parameters:
    ///   - input: `inputChannels × count × H × W` values.
    ///   - shape: one image's input shape.
    ///   - count: the batch size.
    ///   - output: receives `outputChannels × count × Ho × Wo` values.
    ///   - column: im2col scratch of at least `columnSize(shape, count:)` floats.
    ///   - residual: an optional tensor shaped like the output, added before the activation.
    ///   - threads: threads for the Swift loops (BLAS uses its own setting).
    /// - Returns: one image's output shape.
    @discardableResult
    func run(_ input: UnsafePointer<Float>, shape: FeatureShape, count: Int,
             output: UnsafeMutablePointer<Float>, column: UnsafeMutablePointer<Float>,
             residual: UnsafePointer<Float>? = nil, threads: Int) -> FeatureShape {
        let out = outputShape(shape)
        let columns = count * out.planeSize
        let depth = inputChannels * kernel * kernel
        let source: UnsafePointer<Float>
        if isPointwise {
            source = input
        } else {
            im2col(input, shape: shape, count: count, output: out, into: column, threads: threads)
            source = UnsafePointer(column)
        }
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                guard let w = w.baseAddress, let b = b.baseAddress else { return }
                // Each thread owns a block of columns: it seeds them with the bias, accumulates the
                // product onto it (beta 1, so OpenBLAS skips its separate zeroing pass) with
                // OpenBLAS single-threaded inside (see `Backbone`), then applies the epilogue.
                parallelRanges(columns, threads: threads) { _, range in
                    let block = output + range.lowerBound
                    for row in 0..<outputChannels {
                        (block + row * columns).update(repeating: b[row], count: range.count)
                    }
                    BLAS.gemm(m: outputChannels, n: range.count, k: depth, a: w, lda: depth,
                              b: source + range.lowerBound, ldb: columns, beta: 1, c: block, ldc: columns)
                    finishColumns(block, rows: outputChannels, stride: columns, length: range.count,
                                  activation: activation, residual: residual.map { $0 + range.lowerBound })
                }
            }
        }
        return out
    }

    /// Expands the input into `col[(c, ky, kx) × (n, oy, ox)]`, zero where a window leaves the image.
    private func im2col(_ input: UnsafePointer<Float>, shape: FeatureShape, count: Int,
                        output out: FeatureShape, into column: UnsafeMutablePointer<Float>, threads: Int) {
        let (h, w) = (shape.height, shape.width)
        let (oh, ow) = (out.height, out.width)
        let top = padding.resolve(input: h, kernel: kernel, stride: stride).leading
        let left = padding.resolve(input: w, kernel: kernel, stride: stride).leading
        let (k, s) = (kernel, stride)
        let rowLength = count * oh * ow
        parallelRanges(inputChannels * k * k, threads: threads) { _, rows in
            for r in rows {
                let (c, ky, kx) = (r / (k * k), (r / k) % k, r % k)
                let dst = column + r * rowLength
                // Output columns whose input column ix = ox·s + kx − left lies inside the image.
                let first = left - kx <= 0 ? 0 : (left - kx + s - 1) / s
                let lastPlusOne = w - 1 + left - kx < 0 ? 0 : min(ow, (w - 1 + left - kx) / s + 1)
                let lo = min(first, lastPlusOne)
                for image in 0..<count {
                    let plane = input + (c * count + image) * h * w
                    for oy in 0..<oh {
                        let d = dst + (image * oh + oy) * ow
                        let iy = oy * s + ky - top
                        guard iy >= 0, iy < h else {
                            d.update(repeating: 0, count: ow)
                            continue
                        }
                        let src = plane + iy * w + kx - left
                        for ox in 0..<lo { d[ox] = 0 }
                        if s == 1 {
                            for ox in lo..<lastPlusOne { d[ox] = src[ox] }
                        } else {
                            for ox in lo..<lastPlusOne { d[ox] = src[ox * s] }
                        }
                        for ox in max(lo, lastPlusOne)..<ow { d[ox] = 0 }
                    }
                }
            }
        }
    }
}
