import CLAPACKE
import COpenBLAS
import LinearAlgebra

/// Ridge regression on ±1 class targets, like scikit-learn's `RidgeClassifier()`: one target
/// column per class (one in all for two classes), features and targets centred so the
/// intercept is not penalised, and the closed-form solution from a Cholesky solve in `Double`:
/// the primal `(XᵀX + αI) W = XᵀY` (d × d) or, with more features than samples, the dual
/// `(XXᵀ + αI) A = Y`, `W = XᵀA` (n × n), whichever is smaller.
public struct RidgeClassifier: LinearClassifier, Codable, Equatable {
    /// The L2 penalty (default 1).
    public let alpha: Double
    private var state = LinearState()

    public var name: String { "RidgeClf-\(alpha.formatted)" }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// An unfitted classifier.
    /// - Parameter alpha: the penalty, > 0.
    public init(alpha: Double = 1) { self.alpha = alpha }

    /// Solves for the weights and intercepts.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad `alpha` or a system that is not
    ///   positive definite; the input errors of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard alpha > 0, alpha.isFinite else {
            throw ClassicMLError.invalidParameter("RidgeClassifier needs alpha > 0, got \(alpha)")
        }
        let classes = try InputValidation.training(x, y)
        let n = x.rows, d = x.columns
        let k = LinearState.scoreCount(classCount: classes.count)
        let classIndex = LinearState.classIndices(y, classes: classes)

        // Centred features and targets, in Double.
        var xMean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { xMean[j] += Double(x.values[i * d + j]) } }
        for j in 0..<d { xMean[j] /= Double(n) }
        var centred = [Double](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { centred[i * d + j] = Double(x.values[i * d + j]) - xMean[j] } }
        var targets = [Double](repeating: 0, count: n * k)
        for s in 0..<k {
            let column = LinearState.signedTargets(classIndex, score: s, scoreCount: k)
            for i in 0..<n { targets[i * k + s] = Double(column[i]) }
        }
        var yMean = [Double](repeating: 0, count: k)
        for i in 0..<n { for s in 0..<k { yMean[s] += targets[i * k + s] } }
        for s in 0..<k { yMean[s] /= Double(n) }
        for i in 0..<n { for s in 0..<k { targets[i * k + s] -= yMean[s] } }

        let weights = try d > n ? solveDual(centred, targets, n: n, d: d, k: k)
                                : solvePrimal(centred, targets, n: n, d: d, k: k)   // k × d
        var intercepts = yMean
        for s in 0..<k { for j in 0..<d { intercepts[s] -= xMean[j] * weights[s * d + j] } }
        state = LinearState(classes: classes,
                            weights: PackedMatrix(Matrix(rows: k, columns: d, values: weights.map { Float($0) })),
                            intercepts: intercepts.map { Float($0) })
    }

    /// `(XXᵀ + αI) A = Y`, then `W = AᵀX`; returns W (k × d).
    private func solveDual(_ x: [Double], _ y: [Double], n: Int, d: Int, k: Int) throws -> [Double] {
        var gram = [Double](repeating: 0, count: n * n)
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, Int32(n), Int32(d), 1, x, Int32(d), 0, &gram, Int32(n))
        var a = y
        try choleskySolve(&gram, &a, size: n, rightHandSides: k)
        var w = [Double](repeating: 0, count: k * d)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(d), Int32(n),
                    1, a, Int32(k), x, Int32(d), 0, &w, Int32(d))
        return w
    }

    /// `(XᵀX + αI) W = XᵀY`; returns W (k × d).
    private func solvePrimal(_ x: [Double], _ y: [Double], n: Int, d: Int, k: Int) throws -> [Double] {
        var gram = [Double](repeating: 0, count: d * d)
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(n), 1, x, Int32(d), 0, &gram, Int32(d))
        var rhs = [Double](repeating: 0, count: d * k)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(k), Int32(n),
                    1, x, Int32(d), y, Int32(k), 0, &rhs, Int32(k))
        try choleskySolve(&gram, &rhs, size: d, rightHandSides: k)
        var w = [Double](repeating: 0, count: k * d)
        for j in 0..<d { for s in 0..<k { w[s * d + j] = rhs[j * k + s] } }
        return w
    }

    /// Solves `(G + αI) Z = B` in place (G's lower triangle is read; B becomes Z).
    private func choleskySolve(_ g: inout [Double], _ b: inout [Double], size: Int, rightHandSides: Int) throws {
        for i in 0..<size { g[i * size + i] += alpha }
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(size), Int32(rightHandSides),
                                 &g, Int32(size), &b, Int32(rightHandSides))
        guard info == 0 else {
            throw ClassicMLError.invalidParameter(
                "the ridge system is not positive definite (LAPACK info \(info)); increase alpha")
        }
    }
}
