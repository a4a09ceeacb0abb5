import LinearAlgebra

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
    package mutating func learnOne(_ x: UnsafeBufferPointer<Float>) {
        precondition(x.count == featureCount, "row has \(x.count) features, the scaler \(featureCount)")
        count += 1
        let rows = count
        guard let row = x.baseAddress else { return }
        means.withUnsafeMutableBufferPointer { mean in
            variances.withUnsafeMutableBufferPointer { variance in
                guard let mean = mean.baseAddress, let variance = variance.baseAddress else { return }
                VectorKernels.welfordUpdate(row, mean: mean, variance: variance, x.count, rows: rows)
            }
        }
    }

    /// Standardises one row with the current statistics: `(x − mean) / √var`, or 0 where the
    /// variance is 0.
    /// - Parameters:
    ///   - x: a row of `featureCount` values.
    ///   - out: receives the standardised row (`featureCount` values).
    package func transformOne(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == featureCount && out.count == featureCount, "row width differs from the scaler's")
        means.withUnsafeBufferPointer { mean in
            variances.withUnsafeBufferPointer { variance in
                guard let xs = x.baseAddress, let ms = mean.baseAddress, let vs = variance.baseAddress,
                      let os = out.baseAddress else { return }
                VectorKernels.standardize(xs, mean: ms, variance: vs, into: os, x.count)
            }
        }
    }
}
