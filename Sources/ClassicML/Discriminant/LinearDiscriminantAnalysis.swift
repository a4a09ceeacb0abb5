import Foundation
import LinearAlgebra

/// scikit-learn's `LinearDiscriminantAnalysis()` with its default svd solver: no covariance matrix
/// is formed; the within-class deviations, scaled per feature by their standard deviation, are
/// decomposed, directions with singular value ≤ `tolerance` dropped, the class means projected
/// and decomposed again, and the result turned into one linear score per class
/// (`x · coefᵀ + intercept`; a single score for two classes). Priors are the class frequencies.
///
/// The singular vectors come from the eigendecomposition of the smaller Gram matrix in `Double`
/// (`XᵀX` when there are more samples than features, `XXᵀ` otherwise), so wide CNN features cost
/// one n × n product instead of a d-wide SVD.
public struct LinearDiscriminantAnalysis: LinearClassifier, ProbabilisticClassifier, Codable, Equatable {
    /// Singular values at or below this are treated as zero (scikit-learn's `tol`, default 1e-4).
    public let tolerance: Double
    private var state = LinearState()

    public var name: String { ClassifierSpec.lda.description }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// An unfitted model.
    /// - Parameter tolerance: the singular-value threshold, > 0.
    public init(tolerance: Double = 1e-4) { self.tolerance = tolerance }

    /// Fits the discriminant directions, coefficients and intercepts.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad tolerance, or when the within-class
    ///   scatter has no direction above it (every class is a single repeated point); the input
    ///   errors of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard tolerance > 0, tolerance.isFinite else {
            throw ClassicMLError.invalidParameter("LinearDiscriminantAnalysis needs tolerance > 0, got \(tolerance)")
        }
        let labels = try InputValidation.training(x, y)
        let n = x.rows, d = x.columns, k = labels.count
        let classIndex = LinearState.classIndices(y, classes: labels)
        var counts = [Double](repeating: 0, count: k), means = [Double](repeating: 0, count: k * d)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<n {
                counts[classIndex[i]] += 1
                for j in 0..<d { means[classIndex[i] * d + j] += Double(v[i * d + j]) }
            }
        }
        for c in 0..<k { for j in 0..<d { means[c * d + j] /= counts[c] } }
        let priors = counts.map { $0 / Double(n) }
        var overall = [Double](repeating: 0, count: d)   // x̄ = priors · means
        for c in 0..<k { for j in 0..<d { overall[j] += priors[c] * means[c * d + j] } }

        // Within-class deviations, scaled by their per-feature standard deviation and √(1/(n − K)).
        var scaled = [Double](repeating: 0, count: n * d), std = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<n {
                for j in 0..<d {
                    let deviation = Double(v[i * d + j]) - means[classIndex[i] * d + j]
                    scaled[i * d + j] = deviation
                    std[j] += deviation * deviation
                }
            }
        }
        std = std.map { $0 == 0 ? 1 : ($0 / Double(n)).squareRoot() }
        let factor = (1 / Double(max(1, n - k))).squareRoot()
        for i in 0..<n { for j in 0..<d { scaled[i * d + j] *= factor / std[j] } }
        let within = try WithinScaling(scaled, rows: n, columns: d, std: std, tolerance: tolerance)

        // Between-class scaling: the weighted, centred means in the within space, decomposed.
        var centred = means
        for c in 0..<k { for j in 0..<d { centred[c * d + j] -= overall[j] } }
        let projected = within.apply(centred, rows: k)   // K × r
        let r = within.rank
        var weighted = projected
        let between = 1 / Double(max(1, k - 1))
        for c in 0..<k { for a in 0..<r { weighted[c * r + a] *= (Double(n) * priors[c] * between).squareRoot() } }
        let directions = try Self.rightSingularVectors(weighted, rows: k, columns: r, relativeTolerance: tolerance)
        // coef = projected · V2 (K × r2); coef_ = coef · V2ᵀ · scalingsᵀ.
        let r2 = directions.count / r
        var coef = [Double](repeating: 0, count: k * r2)
        BLAS.gemm(transposeB: true, m: k, n: r2, k: r, a: projected, b: directions, c: &coef)
        var back = [Double](repeating: 0, count: k * r)
        BLAS.gemm(m: k, n: r, k: r2, a: coef, b: directions, c: &back)
        var weights = within.applyTransposed(back, rows: k)   // K × d
        var intercepts = (0..<k).map { c in
            -0.5 * (0..<r2).reduce(0.0) { $0 + coef[c * r2 + $1] * coef[c * r2 + $1] } + Foundation.log(priors[c])
        }
        for c in 0..<k { for j in 0..<d { intercepts[c] -= overall[j] * weights[c * d + j] } }
        if k == 2 {
            weights = (0..<d).map { weights[d + $0] - weights[$0] }
            intercepts = [intercepts[1] - intercepts[0]]
        }
        state = LinearState(classes: labels,
                            weights: PackedMatrix(Matrix(rows: k == 2 ? 1 : k, columns: d, values: weights.map { Float($0) })),
                            intercepts: intercepts.map { Float($0) })
    }

    /// Class probabilities: the softmax of the scores (the logistic sigmoid of the single score
    /// for two classes), as scikit-learn.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix {
        let scores = decisionFunction(x)
        guard scores.columns == 1 else { return softmaxRows(scores) }
        return softmaxRows(Matrix(rows: x.rows, columns: 2, values: scores.values.flatMap { [0, $0] }))
    }

    /// The right singular vectors (as rows, r2 × columns) of a small row-major matrix whose
    /// singular values exceed `relativeTolerance` times the largest, largest first.
    private static func rightSingularVectors(_ a: [Double], rows: Int, columns: Int,
                                             relativeTolerance: Double) throws -> [Double] {
        var gram = BLAS.gram(a, rows: rows, columns: columns, transposed: true)
        guard let values = LAPACK.symmetricEigen(&gram, size: columns) else {
            throw ClassicMLError.invalidParameter("LinearDiscriminantAnalysis: the eigensolver did not converge")
        }
        let singular = values.map { $0 > 0 ? $0.squareRoot() : 0 }
        let largest = singular.max() ?? 0
        let kept = (0..<columns).reversed().filter { singular[$0] > relativeTolerance * largest }
        var vectors = [Double]()
        for a in kept { for j in 0..<columns { vectors.append(gram[j * columns + a]) } }
        return vectors
    }
}

extension LinearDiscriminantAnalysis: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "LinearDiscriminantAnalysis" }
}

/// The within-class scaling of LDA's svd solver, `scalings = (V_r / std)ᵀ / S_r` (d × r) for the
/// scaled deviations `X = U S Vᵀ`, applied without forming it when d > n.
private struct WithinScaling {
    let rank: Int
    private let rows: Int
    private let columns: Int
    private let std: [Double]
    /// d ≤ n: the scalings themselves, d × r. d > n: `U_r diag(1/S²)` (n × r), used with `X`.
    private let factor: [Double]
    /// The scaled deviations when d > n (empty otherwise).
    private let x: [Double]

    init(_ x: [Double], rows n: Int, columns d: Int, std: [Double], tolerance: Double) throws {
        let wide = d > n
        let size = wide ? n : d
        var gram = BLAS.gram(x, rows: n, columns: d, transposed: !wide)
        guard let values = LAPACK.symmetricEigen(&gram, size: size) else {
            throw ClassicMLError.invalidParameter("LinearDiscriminantAnalysis: the eigensolver did not converge")
        }
        // Largest first; keep singular values above the tolerance.
        let kept = (0..<size).reversed().filter { values[$0] > 0 && values[$0].squareRoot() > tolerance }
        guard !kept.isEmpty else {
            throw ClassicMLError.invalidParameter(
                "LinearDiscriminantAnalysis: the classes have no within-class spread above the tolerance")
        }
        rank = kept.count
        rows = n
        columns = d
        self.std = std
        var factor = [Double](repeating: 0, count: size * kept.count)
        for (a, index) in kept.enumerated() {
            let s2 = values[index]
            for j in 0..<size {
                // d ≤ n: V[j, a] / std_j / S_a;  d > n: U[j, a] / S_a².
                factor[j * kept.count + a] = wide ? gram[j * size + index] / s2
                    : gram[j * size + index] / std[j] / s2.squareRoot()
            }
        }
        self.factor = factor
        self.x = wide ? x : []
    }

    /// `left · scalings` for a `count × d` matrix `left`.
    func apply(_ left: [Double], rows count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count * rank)
        if x.isEmpty {
            BLAS.gemm(m: count, n: rank, k: columns, a: left, b: factor, c: &out)
        } else {
            // left · diag(1/std) · Xᵀ · U_r diag(1/S²)
            var scaledLeft = left
            for c in 0..<count { for j in 0..<columns { scaledLeft[c * columns + j] /= std[j] } }
            var byRow = [Double](repeating: 0, count: count * rows)
            BLAS.gemm(transposeB: true, m: count, n: rows, k: columns, a: scaledLeft, b: x, c: &byRow)
            BLAS.gemm(m: count, n: rank, k: rows, a: byRow, b: factor, c: &out)
        }
        return out
    }

    /// `z · scalingsᵀ` for a `count × r` matrix `z`.
    func applyTransposed(_ z: [Double], rows count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count * columns)
        if x.isEmpty {
            BLAS.gemm(transposeB: true, m: count, n: columns, k: rank, a: z, b: factor, c: &out)
        } else {
            // z · diag(1/S²) U_rᵀ · X · diag(1/std)
            var byRow = [Double](repeating: 0, count: count * rows)
            BLAS.gemm(transposeB: true, m: count, n: rows, k: rank, a: z, b: factor, c: &byRow)
            BLAS.gemm(m: count, n: columns, k: rows, a: byRow, b: x, c: &out)
            for c in 0..<count { for j in 0..<columns { out[c * columns + j] /= std[j] } }
        }
        return out
    }
}
