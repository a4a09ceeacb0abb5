import LinearAlgebra

/// Standardises every feature to zero mean and unit variance, like scikit-learn's
/// `StandardScaler`: statistics are accumulated in `Double`, the standard deviation is the
/// population one (divide by n), and a feature with (near-)zero variance keeps scale 1.
public struct StandardScaler: Sendable, Codable, Equatable {
    /// The per-feature means learned by `fit` (empty before).
    public private(set) var mean: [Double] = []
    /// The per-feature scales (population standard deviations, 1 for constant features).
    public private(set) var scale: [Double] = []

    /// An unfitted scaler.
    public init() {}

    /// Learns per-feature means and scales from `x`.
    /// - Parameter x: n × d samples.
    /// - Throws: `ClassicMLError.shapeMismatch` for an empty matrix; `.nonFiniteValue` for NaN/Inf.
    public mutating func fit(_ x: Matrix) throws {
        guard x.rows > 0, x.columns > 0 else {
            throw ClassicMLError.shapeMismatch("cannot fit a scaler on an empty \(x.rows)×\(x.columns) matrix")
        }
        try InputValidation.finite(x)
        let d = x.columns
        var sum = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<x.rows { for j in 0..<d { sum[j] += Double(v[i * d + j]) } }
        }
        let n = Double(x.rows)
        let mean = sum.map { $0 / n }
        var squares = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<x.rows {
                for j in 0..<d {
                    let centred = Double(v[i * d + j]) - mean[j]
                    squares[j] += centred * centred
                }
            }
        }
        // scikit-learn treats a variance below 10·ε (of the input's float type) as zero.
        let floor = 10 * Double(Float.ulpOfOne)
        self.mean = mean
        self.scale = squares.map { ($0 / n) < floor ? 1 : ($0 / n).squareRoot() }
    }

    /// `(x − mean) / scale`, feature by feature.
    /// - Parameter x: samples with as many columns as seen by `fit`.
    /// - Returns: the standardised matrix.
    /// - Throws: `ClassicMLError.shapeMismatch` for a different width or an unfitted scaler.
    public func transform(_ x: Matrix) throws -> Matrix {
        guard !mean.isEmpty else {
            throw ClassicMLError.shapeMismatch("the scaler is not fitted; call fit first")
        }
        guard x.columns == mean.count else {
            throw ClassicMLError.shapeMismatch("the scaler was fitted on \(mean.count) features but got \(x.columns)")
        }
        var out = x
        let d = x.columns
        let shift = mean.map { Float($0) }
        let factor = scale.map { Float(1 / $0) }
        out.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<x.rows { for j in 0..<d { v[i * d + j] = (v[i * d + j] - shift[j]) * factor[j] } }
        }
        return out
    }

    /// Fits on `x` and returns it transformed.
    /// - Parameter x: n × d samples.
    /// - Returns: the standardised matrix.
    /// - Throws: as `fit`.
    public mutating func fitTransform(_ x: Matrix) throws -> Matrix {
        try fit(x)
        return try transform(x)
    }
}

extension StandardScaler {
    /// The smallest scale `fit` produces: the square root of the variance floor below which a
    /// feature keeps scale 1.
    static let smallestScale = (10 * Double(Float.ulpOfOne)).squareRoot()

    /// Checks a scaler read from a model file: one finite, bounded mean and one scale per
    /// feature, every scale at least ``smallestScale`` (as `fit` leaves them), and the width
    /// the classifier was fitted on.
    /// - Parameter featureCount: the classifier's width, when known.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    func validateLoaded(featureCount: Int?) throws {
        try LoadedModelCheck.require(!mean.isEmpty && mean.count == scale.count,
                                     "the scaler has \(mean.count) means and \(scale.count) scales")
        if let featureCount {
            try LoadedModelCheck.require(mean.count == featureCount,
                                         "the scaler has \(mean.count) features, the classifier \(featureCount)")
        }
        for (j, (m, s)) in zip(mean, scale).enumerated() {
            try LoadedModelCheck.require(abs(m) <= Double(LoadedModelCheck.magnitudeLimit),
                                         "the scaler's mean of feature \(j) is \(m), not a finite number of magnitude at most \(LoadedModelCheck.magnitudeLimit)")
            try LoadedModelCheck.require(s >= Self.smallestScale * (1 - 1e-9) && s <= Double(LoadedModelCheck.magnitudeLimit),
                                         "the scaler's scale of feature \(j) is \(s); fit leaves scales between \(Self.smallestScale) and \(LoadedModelCheck.magnitudeLimit)")
        }
    }
}
