/// Vector kernels for the online learners, written with explicit SIMD so that they run as
/// AVX2 code (floating-point reductions are not auto-vectorised: that would reorder sums).
enum OnlineKernels {
    /// `Σ a[i]·b[i]` with four 4-lane accumulators (one fixed summation order).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
        var i = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        let stride = MemoryLayout<Double>.stride
        while i + 16 <= count {
            s0 += rawA.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
            s1 += rawA.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
            s2 += rawA.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD4<Double>.self)
            s3 += rawA.loadUnaligned(fromByteOffset: (i + 12) * stride, as: SIMD4<Double>.self)
                * rawB.loadUnaligned(fromByteOffset: (i + 12) * stride, as: SIMD4<Double>.self)
            i += 16
        }
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `w[i] = w[i] − rate·(x[i]·g + l2·w[i])`, river's SGD step, in place.
    @inline(__always)
    static func sgdStep(_ w: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, _ count: Int,
                        gradient g: Double, rate: Double, l2: Double) {
        if l2 == 0 {
            for i in 0..<count { w[i] = w[i] - rate * (x[i] * g) }
        } else {
            for i in 0..<count { w[i] = w[i] - rate * (x[i] * g + l2 * w[i]) }
        }
    }

    /// `w[i] += step·x[i]`, the passive-aggressive update, in place.
    @inline(__always)
    static func addScaled(_ w: UnsafeMutablePointer<Double>, _ x: UnsafePointer<Double>, _ count: Int, step: Double) {
        for i in 0..<count { w[i] += step * x[i] }
    }
}
