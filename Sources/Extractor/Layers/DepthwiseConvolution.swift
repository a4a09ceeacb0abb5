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
        let rowLength = g.phaseLength * stride
        // The plane, plus a staging row for the phase split.
        return g.rows * rowLength + rowLength + 16
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
                            let iy = r - top
                            guard iy >= 0, iy < h else {
                                (pad + r * rowLength).update(repeating: 0, count: rowLength)
                                continue
                            }
                            // Stride 1 writes the padded row in place; larger strides build it in
                            // the staging row after the plane and split it into phases.
                            let padded = s == 1 ? pad + r * rowLength : pad + rows * rowLength
                            let paddedLength = s == 1 ? rowLength : rowLength + 16
                            let copied = min(w, paddedLength - left)
                            padded.update(repeating: 0, count: left)
                            (padded + left).update(from: src + iy * w, count: copied)
                            (padded + left + copied).update(repeating: 0, count: paddedLength - left - copied)
                            if s > 1 {
                                splitPhases(UnsafePointer(padded), into: pad + r * rowLength, stride: s,
                                            phaseLength: phaseLength)
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

    /// Computes one output plane from its padded, phase-split input, dispatching to a copy of
    /// the loop with the kernel size and stride as constants (fully unrolled taps).
    @inline(__always)
    private func convolvePlane(_ pad: UnsafePointer<Float>, rowLength: Int, phaseLength: Int,
                               weights: UnsafePointer<Float>, bias: Float,
                               output: UnsafeMutablePointer<Float>, height oh: Int, width ow: Int) {
        let geometry = PlaneGeometry(rowLength: rowLength, phaseLength: phaseLength, height: oh, width: ow)
        switch (kernel, stride) {
        case (3, 1): depthwisePlane(Window3Stride1(), pad, geometry, weights, bias, output, activation)
        case (3, 2): depthwisePlane(Window3Stride2(), pad, geometry, weights, bias, output, activation)
        case (5, 1): depthwisePlane(Window5Stride1(), pad, geometry, weights, bias, output, activation)
        case (5, 2): depthwisePlane(Window5Stride2(), pad, geometry, weights, bias, output, activation)
        default:
            depthwisePlane(RuntimeWindow(kernel: kernel, stride: stride), pad, geometry, weights, bias, output,
                           activation)
        }
    }
}

/// Splits a padded row into `stride` phases: `phase p, index j ← row[j·stride + p]`.
/// - Parameters:
///   - row: at least `stride × phaseLength + 16` values.
///   - phases: receives `stride × phaseLength` values.
///   - stride: the number of phases.
///   - phaseLength: values per phase.
@inline(__always)
private func splitPhases(_ row: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>, stride: Int,
                         phaseLength: Int) {
    var j = 0
    if stride == 2 {
        let odd = phases + phaseLength
        while j + 8 <= phaseLength {
            let v = UnsafeRawPointer(row + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(phases + j).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(odd + j).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
            j += 8
        }
    }
    for p in 0..<stride {
        let phase = phases + p * phaseLength
        for i in j..<phaseLength { phase[i] = row[i * stride + p] }
    }
}

/// A depthwise window's kernel side and stride; the fixed-size conformances let the compiler
/// specialise `depthwisePlane` with constants (unrolled taps, no division by the stride).
protocol DepthwiseWindow {
    /// Kernel side.
    var kernel: Int { get }
    /// Stride.
    var stride: Int { get }
}

/// 3×3, stride 1.
struct Window3Stride1: DepthwiseWindow {
    var kernel: Int { 3 }
    var stride: Int { 1 }
}

/// 3×3, stride 2.
struct Window3Stride2: DepthwiseWindow {
    var kernel: Int { 3 }
    var stride: Int { 2 }
}

/// 5×5, stride 1.
struct Window5Stride1: DepthwiseWindow {
    var kernel: Int { 5 }
    var stride: Int { 1 }
}

/// 5×5, stride 2.
struct Window5Stride2: DepthwiseWindow {
    var kernel: Int { 5 }
    var stride: Int { 2 }
}

/// Any other window, with sizes known only at run time.
struct RuntimeWindow: DepthwiseWindow {
    let kernel: Int
    let stride: Int
}

/// Sizes of one padded scratch plane and its output plane.
struct PlaneGeometry {
    /// Floats per padded row (all phases).
    let rowLength: Int
    /// Floats per phase of a padded row.
    let phaseLength: Int
    /// Output rows.
    let height: Int
    /// Output columns.
    let width: Int
}

/// One depthwise output plane: eight outputs per `SIMD8` accumulator, four output rows at a time
/// so four independent fused multiply-add chains hide the FMA latency. The last chunk of a row
/// may compute lanes past its end (they read the scratch's zero margin) and stores only the
/// valid ones.
/// - Parameters:
///   - window: kernel side and stride.
///   - pad: the padded, phase-split input plane.
///   - g: scratch and output sizes.
///   - weights: the channel's `k × k` weights.
///   - bias: the channel's bias.
///   - output: the output plane.
///   - activation: the fused non-linearity.
@inline(__always)
private func depthwisePlane<Window: DepthwiseWindow>(_ window: Window, _ pad: UnsafePointer<Float>, _ g: PlaneGeometry,
                            _ weights: UnsafePointer<Float>, _ bias: Float,
                            _ output: UnsafeMutablePointer<Float>, _ activation: Activation) {
    let (k, s) = (window.kernel, window.stride)
    let (oh, ow) = (g.height, g.width)
    let rowStep = s * g.rowLength
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) func finish(_ v: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ valid: Int) {
        if valid >= 8 {
            UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<valid { out[lane] = v[lane] }
        }
        activate(out, count: valid, activation)
    }
    var oy = 0
    while oy + 4 <= oh {
        let base = pad + oy * rowStep
        var ox = 0
        while ox < ow {
            var a0 = SIMD8<Float>(repeating: bias), a1 = a0, a2 = a0, a3 = a0
            for ky in 0..<k {
                for kx in 0..<k {
                    let w = SIMD8<Float>(repeating: weights[ky * k + kx])
                    let p = base + ky * g.rowLength + (kx % s) * g.phaseLength + kx / s + ox
                    a0.addProduct(load(p), w)
                    a1.addProduct(load(p + rowStep), w)
                    a2.addProduct(load(p + 2 * rowStep), w)
                    a3.addProduct(load(p + 3 * rowStep), w)
                }
            }
            let valid = min(8, ow - ox)
            let o = output + oy * ow + ox
            finish(a0, o, valid)
            finish(a1, o + ow, valid)
            finish(a2, o + 2 * ow, valid)
            finish(a3, o + 3 * ow, valid)
            ox += 8
        }
        oy += 4
    }
    while oy < oh {
        let base = pad + oy * rowStep
        var ox = 0
        while ox < ow {
            var a0 = SIMD8<Float>(repeating: bias)
            for ky in 0..<k {
                for kx in 0..<k {
                    let p = base + ky * g.rowLength + (kx % s) * g.phaseLength + kx / s + ox
                    a0.addProduct(load(p), SIMD8<Float>(repeating: weights[ky * k + kx]))
                }
            }
            finish(a0, output + oy * ow + ox, min(8, ow - ox))
            ox += 8
        }
        oy += 1
    }
}
