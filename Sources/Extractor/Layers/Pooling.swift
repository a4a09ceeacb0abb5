/// Max pooling with a square window and no padding, rounding the output size down
/// (PyTorch `max_pool2d(k, s)`, Keras `MaxPooling2D(padding='valid')`).
struct MaxPool {
    /// Window side.
    let kernel: Int
    /// Step between windows.
    let stride: Int

    /// The output shape for an input shape.
    /// - Parameter input: one image's input shape.
    /// - Returns: one image's output shape.
    func outputShape(_ input: FeatureShape) -> FeatureShape {
        FeatureShape(channels: input.channels,
                     height: (input.height - kernel) / stride + 1,
                     width: (input.width - kernel) / stride + 1)
    }

    /// Runs the pooling on a CNHW batch.
    /// - Parameters:
    ///   - input: `C × count × H × W` values.
    ///   - shape: one image's input shape.
    ///   - count: the batch size.
    ///   - output: receives `C × count × Ho × Wo` values.
    ///   - threads: the most threads to use.
    /// - Returns: one image's output shape.
    @discardableResult
    func run(_ input: UnsafePointer<Float>, shape: FeatureShape, count: Int,
             output: UnsafeMutablePointer<Float>, threads: Int) -> FeatureShape {
        let out = outputShape(shape)
        let (h, w, oh, ow) = (shape.height, shape.width, out.height, out.width)
        parallelRanges(shape.channels * count, threads: threads) { _, planes in
            for plane in planes {
                let src = input + plane * h * w
                let dst = output + plane * oh * ow
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var m = -Float.infinity
                        for ky in 0..<kernel {
                            let row = src + (oy * stride + ky) * w + ox * stride
                            for kx in 0..<kernel { m = max(m, row[kx]) }
                        }
                        dst[oy * ow + ox] = m
                    }
                }
            }
        }
        return out
    }
}

/// Global average pooling from a CNHW batch to one row per image.
/// - Parameters:
///   - input: `C × count × H × W` values.
///   - shape: one image's shape.
///   - count: the batch size.
///   - output: receives `count × C` values (row-major, one image per row).
///   - threads: the most threads to use.
func globalAveragePool(_ input: UnsafePointer<Float>, shape: FeatureShape, count: Int,
                       output: UnsafeMutablePointer<Float>, threads: Int) {
    let size = shape.planeSize
    let channels = shape.channels
    parallelRanges(channels * count, threads: threads) { _, planes in
        for plane in planes {
            let src = input + plane * size
            var sum: Float = 0
            for i in 0..<size { sum += src[i] }
            let (c, image) = (plane / count, plane % count)
            output[image * channels + c] = sum / Float(size)
        }
    }
}
