import Foundation
import LinearAlgebra

/// scikit-learn's `GaussianNB()`: per class, independent normal features with the class's mean
/// and (population) variance, each variance enlarged by `varSmoothing` times the largest feature
/// variance of the whole training set; class priors are the class frequencies. Predicts the class
/// of largest joint log-likelihood, computed in `Double` as scikit-learn does.
public struct GaussianNB: ProbabilisticClassifier, Codable, Equatable {
    /// The share of the largest feature variance added to every variance (default 1e-9).
    public let varSmoothing: Double
    public private(set) var classes: [Int] = []
    /// Class means, K × d, row after row.
    var means = PackedDoubles()
    /// Smoothed class variances, K × d.
    var variances = PackedDoubles()
    /// Log class priors.
    var logPriors: [Double] = []
    var columns = 0

    public var name: String { ClassifierSpec.gaussianNB(varSmoothing: varSmoothing).description }

    /// An unfitted classifier.
    /// - Parameter varSmoothing: the share of the largest variance added to all, ≥ 0.
    public init(varSmoothing: Double = 1e-9) { self.varSmoothing = varSmoothing }

    /// Learns the class means, variances and priors.
    /// - Throws: `ClassicMLError.invalidParameter` for a negative `varSmoothing` or when every
    ///   feature is constant; the input errors of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard varSmoothing >= 0, varSmoothing.isFinite else {
            throw ClassicMLError.invalidParameter("GaussianNB needs varSmoothing ≥ 0, got \(varSmoothing)")
        }
        let labels = try InputValidation.training(x, y)
        let k = labels.count, d = x.columns, n = x.rows
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let classIndex = y.map { index[$0] ?? 0 }
        var counts = [Double](repeating: 0, count: k)
        for c in classIndex { counts[c] += 1 }
        // Per class (in parallel), the mean and then the sum of squared deviations, in Double.
        let members = (0..<k).map { c in (0..<n).filter { classIndex[$0] == c } }
        let perClass: [(mean: [Double], squares: [Double])] = x.values.withUnsafeBufferPointer { v in
            Parallel.map(k) { c in
                var mean = [Double](repeating: 0, count: d), squares = mean
                mean.withUnsafeMutableBufferPointer { m in
                    squares.withUnsafeMutableBufferPointer { q in
                        for i in members[c] { for j in 0..<d { m[j] += Double(v[i * d + j]) } }
                        for j in 0..<d { m[j] /= counts[c] }
                        for i in members[c] {
                            for j in 0..<d { let centred = Double(v[i * d + j]) - m[j]; q[j] += centred * centred }
                        }
                    }
                }
                return (mean, squares)
            }
        }
        // The largest feature variance over all rows: within-class squares plus the spread of the class means.
        var overall = [Double](repeating: 0, count: d)
        for c in 0..<k { for j in 0..<d { overall[j] += counts[c] * perClass[c].mean[j] } }
        for j in 0..<d { overall[j] /= Double(n) }
        var overallSquares = [Double](repeating: 0, count: d)
        for c in 0..<k {
            for j in 0..<d {
                let shift = perClass[c].mean[j] - overall[j]
                overallSquares[j] += perClass[c].squares[j] + counts[c] * shift * shift
            }
        }
        let mean = perClass.flatMap(\.mean), squares = perClass.flatMap(\.squares)
        let epsilon = varSmoothing * (overallSquares.map { $0 / Double(n) }.max() ?? 0)
        var variance = squares
        for c in 0..<k { for j in 0..<d { variance[c * d + j] = variance[c * d + j] / counts[c] + epsilon } }
        guard variance.allSatisfy({ $0 > 0 }) else {
            throw ClassicMLError.invalidParameter(
                "GaussianNB: a class has a feature of zero variance and varSmoothing adds none; use varSmoothing > 0")
        }
        classes = labels
        means = PackedDoubles(mean)
        variances = PackedDoubles(variance)
        logPriors = counts.map { Foundation.log($0 / Double(n)) }
        columns = d
    }

    /// scikit-learn's joint log-likelihood `log P(c) + Σ log N(x_j; μ_cj, σ²_cj)` of every class.
    /// - Parameter x: n × d samples.
    /// - Returns: n rows of K values.
    /// - Precondition: the model is fitted and `x` has the training width.
    func jointLogLikelihood(_ x: Matrix) -> [[Double]] {
        precondition(!classes.isEmpty, "fit the classifier before predicting")
        precondition(x.columns == columns, "model fitted on \(columns) features, got \(x.columns)")
        let k = classes.count, d = columns
        let constants = (0..<k).map { c in
            logPriors[c] - 0.5 * (0..<d).reduce(0.0) { $0 + Foundation.log(2 * Double.pi * variances.values[c * d + $1]) }
        }
        var out = [[Double]](repeating: [], count: x.rows)
        x.values.withUnsafeBufferPointer { v in
            means.values.withUnsafeBufferPointer { mu in
                variances.values.withUnsafeBufferPointer { sigma2 in
                    out.withUnsafeMutableBufferPointer { rows in
                        Parallel.forEachRange(x.rows) { _, range in
                            for i in range {
                                rows[i] = (0..<k).map { c in
                                    var sum = 0.0
                                    for j in 0..<d {
                                        let diff = Double(v[i * d + j]) - mu[c * d + j]
                                        sum += diff * diff / sigma2[c * d + j]
                                    }
                                    return constants[c] - 0.5 * sum
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The class of largest joint log-likelihood (ties to the lowest label).
    public func predict(_ x: Matrix) -> [Int] {
        jointLogLikelihood(x).map { classes[firstMaxIndex($0)] }
    }

    /// The posterior class probabilities (the normalised exponentials of the joint log-likelihoods).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix {
        let likelihoods = jointLogLikelihood(x)
        var out = Matrix(rows: x.rows, columns: classes.count)
        for (i, row) in likelihoods.enumerated() {
            let top = row.max() ?? 0
            let total = row.reduce(0) { $0 + Foundation.exp($1 - top) }
            for c in row.indices { out[i, c] = Float(Foundation.exp(row[c] - top) / total) }
        }
        return out
    }
}

extension GaussianNB: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "GaussianNB" }

    /// Checks a decoded model: classes, K × d finite means, positive finite variances, K finite priors.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        try LoadedModelCheck.require(columns >= 1, "the stored model has no features")
        let k = classes.count
        try LoadedModelCheck.vector(means.values, count: k * columns, "the class means")
        try LoadedModelCheck.vector(variances.values, count: k * columns, "the class variances")
        try LoadedModelCheck.require(variances.values.allSatisfy { $0 > 0 }, "a stored class variance is not positive")
        try LoadedModelCheck.vector(logPriors, count: k, "the class priors")
    }
}
