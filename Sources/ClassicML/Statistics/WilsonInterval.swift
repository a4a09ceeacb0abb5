import Foundation

/// The Wilson score interval of a proportion (`correct` of `total`): the confidence interval
/// statsmodels and scipy call `wilson`. Unlike the normal approximation it stays inside [0, 1]
/// and is sensible for small test sets and accuracies near 1.
public struct WilsonInterval: Sendable, Equatable, Codable {
    /// The lower bound.
    public let lower: Double
    /// The upper bound.
    public let upper: Double

    /// The interval for `correct` successes in `total` trials.
    /// - Parameters:
    ///   - correct: successes, `0…total`.
    ///   - total: trials; for 0 the interval is the whole [0, 1].
    ///   - z: the normal quantile of the confidence level (default 1.959964, i.e. 95 %).
    public init(correct: Int, total: Int, z: Double = 1.959963984540054) {
        guard total > 0 else {
            lower = 0
            upper = 1
            return
        }
        let n = Double(total), p = Double(min(max(correct, 0), total)) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }
}
