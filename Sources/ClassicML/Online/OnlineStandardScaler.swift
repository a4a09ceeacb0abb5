/// river's `preprocessing.StandardScaler`, one row at a time: Welford running means and
/// population variances; a feature whose variance is still zero maps to 0.
///
/// The update is river's exactly — `mean += (x − mean₀)/n`, `var += ((x − mean₀)(x − mean) − var)/n`
/// — in double precision, so a pipeline built on it reproduces river's numbers.
public struct OnlineStandardScaler: Codable, Sendable, Equatable {
    /// Rows learned so far.
    public private(set) var count: Int
    /// Running mean of each feature.
    public private(set) var means: [Double]
    /// Running population variance of each feature.
    public private(set) var variances: [Double]

    /// A scaler for rows of `featureCount` features that has seen nothing yet.
    /// - Parameter featureCount: the row width.
    public init(featureCount: Int) {
        count = 0
        means = [Double](repeating: 0, count: featureCount)
        variances = [Double](repeating: 0, count: featureCount)
    }

    /// The row width.
    public var featureCount: Int { means.count }

    /// Updates the running statistics with one row.
    /// - Parameter x: a row of `featureCount` values.
    public mutating func learnOne(_ x: UnsafeBufferPointer<Float>) {
        precondition(x.count == featureCount, "row has \(x.count) features, the scaler \(featureCount)")
        count += 1
        let n = Double(count)
        means.withUnsafeMutableBufferPointer { mean in
            variances.withUnsafeMutableBufferPointer { variance in
                for j in 0..<x.count {
                    let value = Double(x[j])
                    let old = mean[j]
                    let new = old + (value - old) / n
                    mean[j] = new
                    variance[j] += ((value - old) * (value - new) - variance[j]) / n
                }
            }
        }
    }

    /// Standardises one row with the current statistics: `(x − mean) / √var`, or 0 where the
    /// variance is 0.
    /// - Parameters:
    ///   - x: a row of `featureCount` values.
    ///   - out: receives the standardised row (`featureCount` values).
    public func transformOne(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == featureCount && out.count == featureCount, "row width differs from the scaler's")
        means.withUnsafeBufferPointer { mean in
            variances.withUnsafeBufferPointer { variance in
                guard let xs = x.baseAddress, let ms = mean.baseAddress, let vs = variance.baseAddress,
                      let os = out.baseAddress else { return }
                // Four lanes at a time (AVX2 square roots and divisions, exact per lane, so the
                // same numbers as the scalar tail).
                let rawX = UnsafeRawPointer(xs), rawM = UnsafeRawPointer(ms), rawV = UnsafeRawPointer(vs)
                let rawOut = UnsafeMutableRawPointer(os)
                var j = 0
                while j + 4 <= x.count {
                    let value = SIMD4<Double>(rawX.loadUnaligned(fromByteOffset: j * 4, as: SIMD4<Float>.self))
                    let v = rawV.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
                    let m = rawM.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
                    let scaled = ((value - m) / v.squareRoot()).replacing(with: 0, where: v .== 0)
                    rawOut.storeBytes(of: scaled, toByteOffset: j * 8, as: SIMD4<Double>.self)
                    j += 4
                }
                while j < x.count {
                    let v = vs[j]
                    os[j] = v == 0 ? 0 : (Double(xs[j]) - ms[j]) / v.squareRoot()
                    j += 1
                }
            }
        }
    }
}
