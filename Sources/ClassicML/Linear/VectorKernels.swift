import LinearAlgebra

/// Small vector kernels for the per-sample loops of the linear solvers.
///
/// They run in a fixed summation order (eight SIMD lanes, then a fixed reduction), so a result
/// never depends on thread count — unlike a threaded BLAS level-1 call.
enum VectorKernels {
    /// `Σ a[i]·b[i]` over `count` elements.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            acc0 += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc1 += UnsafeRawPointer(a + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i + 8).loadUnaligned(as: SIMD8<Float>.self)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count { sum += a[i] * b[i]; i += 1 }
        return sum
    }

    /// `y[i] += alpha · x[i]` over `count` elements.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= count {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] += alpha * x[i]; i += 1 }
    }

    /// `x[i] *= alpha` over `count` elements.
    @inline(__always)
    static func scale(_ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { x[i] *= alpha }
    }

    /// The squared Euclidean norm of every row of `x`.
    static func rowSquaredNorms(_ x: Matrix) -> [Float] {
        x.values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return [Float](repeating: 0, count: x.rows) }
            return (0..<x.rows).map { i in
                let row = base + i * x.columns
                return dot(row, row, x.columns)
            }
        }
    }
}
