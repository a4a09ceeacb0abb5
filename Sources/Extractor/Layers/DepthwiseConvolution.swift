/// A depthwise 2-D convolution (one k×k filter per channel) with bias and a fused activation,
/// as vectorised Swift loops over CNHW planes.
///
/// Each (channel, image) plane is first copied into a zero-padded scratch whose rows are
/// split into `stride` phases (`row[p + j·stride]` stored at `phase p, index j`), so every
/// kernel tap reads a contiguous run for any stride and the output row is computed eight
/// values at a time with `SIMD8<Float>` fused multiply-adds.
struct DepthwiseConvolution {
    /// Channels (in = out).
    let channels: Int
    /// Square kernel side (3 or 5 here; any size works).
    let kernel: Int
    /// Step between windows (both axes).
    let stride: Int
    /// Border treatment.
    let padding: Padding
    /// `channels × kernel × kernel`.
    let weight: [Float]
    /// One value per channel.
    let bias: [Float]
    /// Fused non-linearity.
    let activation: Activation

    /// The output shape for an input shape.
    /// - Parameter input: one image's input shape.
    /// - Returns: one image's output shape.
    func outputShape(_ input: FeatureShape) -> FeatureShape {
        let y = padding.resolve(input: input.height, kernel: kernel, stride: stride)
        let x = padding.resolve(input: input.width, kernel: kernel, stride: stride)
        return FeatureShape(channels: channels, height: y.output, width: x.output)
    }

    /// Multiply-adds ×2 for one image.
    /// - Parameter input: one image's input shape.
    /// - Returns: floating-point operations.
    func flops(_ input: FeatureShape) -> Int {
        2 * channels * kernel * kernel * outputShape(input).planeSize
    }

    /// Geometry of the padded, phase-split scratch plane.
    private func scratchGeometry(_ input: FeatureShape) -> (rows: Int, phaseLength: Int) {
        let out = outputShape(input)
        let paddedWidth = (out.width - 1) * stride + kernel
        // +8 so the last SIMD8 load of a row never leaves the plane.
        return ((out.height - 1) * stride + kernel, (paddedWidth + stride - 1) / stride + 8)
    }

    /// Floats of scratch one thread needs for an input shape.
    /// - Parameter input: one image's input shape.
    /// - Returns: the size of one padded plane.
    func scratchSize(_ input: FeatureShape) -> Int {
        let g = scratchGeometry(input)
        return g.rows * g.phaseLength * stride
    }

    /// Runs the layer on a CNHW batch.
    /// - Parameters:
    ///   - input: `channels × count × H × W` values.
    ///   - shape: one image's input shape.
    ///   - count: the batch size.
    ///   - output: receives `channels × count × Ho × Wo` values.
    ///   - scratch: `threads` consecutive blocks of `scratchSize(shape)` floats.
    ///   - threads: the most threads to use.
    /// - Returns: one image's output shape.
    @discardableResult
    func run(_ input: UnsafePointer<Float>, shape: FeatureShape, count: Int,
             output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
             threads: Int) -> FeatureShape {
        let out = outputShape(shape)
        let (h, w) = (shape.height, shape.width)
        let (oh, ow) = (out.height, out.width)
        let (k, s) = (kernel, stride)
        let top = padding.resolve(input: h, kernel: k, stride: s).leading
        let left = padding.resolve(input: w, kernel: k, stride: s).leading
        let (rows, phaseLength) = scratchGeometry(shape)
        let rowLength = phaseLength * s
        let blockSize = scratchSize(shape)
        let planes = channels * count
        let parts = max(1, min(threads, planes))
        weight.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { biases in
                guard let weights = weights.baseAddress, let biases = biases.baseAddress else { return }
                parallelRanges(planes, threads: parts) { part, range in
                    let pad = scratch + part * blockSize
                    for plane in range {
                        let c = plane / count
                        let src = input + plane * h * w
                        // Zero-padded, phase-split copy of the plane.
                        for r in 0..<rows {
                            let dst = pad + r * rowLength
                            let iy = r - top
                            for p in 0..<s {
                                let phase = dst + p * phaseLength
                                guard iy >= 0, iy < h else {
                                    phase.update(repeating: 0, count: phaseLength)
                                    continue
                                }
                                // Index j holds input column x = j·s + p − left.
                                let first = left - p <= 0 ? 0 : (left - p + s - 1) / s
                                let end = w - 1 + left - p < 0 ? 0 : min(phaseLength, (w - 1 + left - p) / s + 1)
                                let lo = min(first, end)
                                let row = src + iy * w + p - left
                                for j in 0..<lo { phase[j] = 0 }
                                for j in lo..<end { phase[j] = row[j * s] }
                                for j in max(lo, end)..<phaseLength { phase[j] = 0 }
                            }
                        }
                        convolvePlane(pad, rowLength: rowLength, phaseLength: phaseLength,
                                      weights: weights + c * k * k, bias: biases[c],
                                      output: output + plane * oh * ow, height: oh, width: ow)
                    }
                }
            }
        }
        return out
    }

    /// Computes one output plane from its padded, phase-split input.
    @inline(__always)
    private func convolvePlane(_ pad: UnsafePointer<Float>, rowLength: Int, phaseLength: Int,
                               weights: UnsafePointer<Float>, bias: Float,
                               output: UnsafeMutablePointer<Float>, height oh: Int, width ow: Int) {
        let (k, s) = (kernel, stride)
        let vectorEnd = ow & ~7
        for oy in 0..<oh {
            let base = pad + oy * s * rowLength
            let o = output + oy * ow
            var ox = 0
            while ox < vectorEnd {
                var acc = SIMD8<Float>(repeating: bias)
                for ky in 0..<k {
                    let row = base + ky * rowLength
                    for kx in 0..<k {
                        let tap = row + (kx % s) * phaseLength + kx / s + ox
                        let v = UnsafeRawPointer(tap).loadUnaligned(as: SIMD8<Float>.self)
                        acc.addProduct(v, SIMD8<Float>(repeating: weights[ky * k + kx]))
                    }
                }
                switch activation {
                case .none: break
                case .relu: acc = acc.replacing(with: 0, where: acc .< 0)
                case .relu6:
                    acc = acc.replacing(with: 0, where: acc .< 0)
                    acc = acc.replacing(with: 6, where: acc .> 6)
                }
                UnsafeMutableRawPointer(o + ox).storeBytes(of: acc, as: SIMD8<Float>.self)
                ox += 8
            }
            while ox < ow {
                var acc = bias
                for ky in 0..<k {
                    let row = base + ky * rowLength
                    for kx in 0..<k {
                        acc += row[(kx % s) * phaseLength + kx / s + ox] * weights[ky * k + kx]
                    }
                }
                o[ox] = acc
                ox += 1
            }
            activate(o + vectorEnd, count: ow - vectorEnd, activation)
        }
    }
}
