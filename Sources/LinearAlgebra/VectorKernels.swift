import CVectorKernels

/// The vector kernels of the per-sample loops (linear solvers, online learners, scalers).
///
/// They live in C (`CVectorKernels`) so that each is compiled for AVX2 and for baseline x86-64
/// and the loader picks the right one: the package needs no compiler flags, yet runs AVX2 code
/// on the CPUs that have it. Each keeps one fixed summation order and never fuses a
/// multiply-add, so a result depends neither on the CPU nor on the thread count.
package enum VectorKernels {
    /// `Σ a[i]·b[i]` over `count` floats.
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        sc_dot_f32(a, b, count)
    }

    /// `y[i] += alpha · x[i]` over `count` floats.
    @inline(__always)
    package static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        sc_axpy_f32(alpha, x, y, count)
    }

    /// `x[i] *= alpha` over `count` floats.
    @inline(__always)
    package static func scale(_ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ count: Int) {
        sc_scale_f32(alpha, x, count)
    }

    /// `Σ a[i]·b[i]` over `count` doubles.
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        sc_dot_f64(a, b, count)
    }

    /// `w[i] = w[i] − rate·(x[i]·g + l2·w[i])`, river's SGD step, in place.
    @inline(__always)
    package static func sgdStep(_ w: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, _ count: Int,
                                gradient g: Double, rate: Double, l2: Double) {
        sc_sgd_step_f64(w, x, count, g, rate, l2)
    }

    /// `w[i] += step·x[i]`, the passive-aggressive update, in place.
    @inline(__always)
    package static func addScaled(_ w: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, _ count: Int,
                                  step: Double) {
        sc_add_scaled_f64(w, x, count, step)
    }

    /// Welford's update of running means and population variances with one row; `count`
    /// includes that row.
    @inline(__always)
    package static func welfordUpdate(_ x: UnsafePointer<Float>, mean: UnsafeMutablePointer<Double>,
                                      variance: UnsafeMutablePointer<Double>, _ count: Int, rows: Int) {
        sc_welford_update(x, mean, variance, count, Double(rows))
    }

    /// `out[i] = (x[i] − mean[i]) / √variance[i]`, or 0 where the variance is 0.
    @inline(__always)
    package static func standardize(_ x: UnsafePointer<Float>, mean: UnsafePointer<Double>,
                                    variance: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                                    _ count: Int) {
        sc_standardize(x, mean, variance, out, count)
    }

    /// The squared Euclidean norm of every row of `x`.
    package static func rowSquaredNorms(_ x: Matrix) -> [Float] {
        x.values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return [Float](repeating: 0, count: x.rows) }
            return (0..<x.rows).map { i in
                let row = base + i * x.columns
                return dot(row, row, x.columns)
            }
        }
    }

    /// `sums[i] += x[i] · weight` over `count` bytes (exact integer math).
    @inline(__always)
    package static func accumulate(_ x: UnsafePointer<UInt8>, weight: Int32, into sums: UnsafeMutablePointer<Int32>, _ count: Int) {
        sc_accumulate_u8(sums, x, weight, count)
    }

    /// `out[i] = clamp(sums[i] >> shift, 0, 255)` over `count` sums.
    @inline(__always)
    package static func clip8(_ sums: UnsafePointer<Int32>, shift: Int32, into out: UnsafeMutablePointer<UInt8>, _ count: Int) {
        sc_clip8(out, sums, shift, count)
    }

    /// One output row of a separable resampler's horizontal pass over RGB bytes: for each of
    /// `columns` outputs, the fixed-point weighted sum of `count[c]` pixels from `first[c]`,
    /// rounded and clipped like ``clip8(_:shift:into:_:)``.
    @inline(__always)
    package static func resampleRowRGB(_ input: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, columns: Int,
                                       first: UnsafePointer<Int32>, count: UnsafePointer<Int32>,
                                       weights: UnsafePointer<Int32>, kernelSize: Int, shift: Int32) {
        sc_resample_row_rgb(out, input, columns, first, count, weights, kernelSize, shift)
    }
}
