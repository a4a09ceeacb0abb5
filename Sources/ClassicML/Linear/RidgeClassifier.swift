import LinearAlgebra

/// Ridge regression on ±1 class targets, like scikit-learn's `RidgeClassifier()`: one target
/// column per class (one in all for two classes), features and targets centred so the
/// intercept is not penalised, and the closed-form solution: the Gram matrix from one float32
/// `ssyrk` (as scikit-learn does for float32 data), the Cholesky solve in `Double`:
/// the primal `(XᵀX + αI) W = XᵀY` (d × d) or, with more features than samples, the dual
/// `(XXᵀ + αI) A = Y`, `W = XᵀA` (n × n), whichever is smaller.
public struct RidgeClassifier: LinearClassifier, Codable, Equatable {
    /// The L2 penalty (default 1).
    public let alpha: Double
    private var state = LinearState()

    public var name: String { ClassifierSpec.ridge(alpha: alpha).description }
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

        // Centred features (float32, as the data) and targets; means and the solve in Double.
        var xMean = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<n { for j in 0..<d { xMean[j] += Double(v[i * d + j]) } }
        }
        for j in 0..<d { xMean[j] /= Double(n) }
        var centred = x
        centred.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<n { for j in 0..<d { v[i * d + j] = Float(Double(v[i * d + j]) - xMean[j]) } }
        }
        var targets = [Double](repeating: 0, count: n * k)
        for s in 0..<k {
            let column = LinearState.signedTargets(classIndex, score: s, scoreCount: k)
            for i in 0..<n { targets[i * k + s] = Double(column[i]) }
        }
        var yMean = [Double](repeating: 0, count: k)
        for i in 0..<n { for s in 0..<k { yMean[s] += targets[i * k + s] } }
        for s in 0..<k { yMean[s] /= Double(n) }
        for i in 0..<n { for s in 0..<k { targets[i * k + s] -= yMean[s] } }

        let weights = try d > n ? solveDual(centred, targets, k: k) : solvePrimal(centred, targets, k: k)
        var intercepts = yMean
        for s in 0..<k { for j in 0..<d { intercepts[s] -= xMean[j] * Double(weights[s, j]) } }
        state = LinearState(classes: classes, weights: PackedMatrix(weights), intercepts: intercepts.map { Float($0) })
    }

    /// `(XXᵀ + αI) A = Y`, then `W = AᵀX`; returns W (k × d).
    private func solveDual(_ x: Matrix, _ y: [Double], k: Int) throws -> Matrix {
        var system = gram(x, transposed: false)
        var a = y
        try choleskySolve(&system, &a, size: x.rows, rightHandSides: k)
        return BLAS.multiply(Matrix(rows: x.rows, columns: k, values: a.map { Float($0) }), transposed: true, x)
    }

    /// `(XᵀX + αI) W = XᵀY`; returns W (k × d).
    private func solvePrimal(_ x: Matrix, _ y: [Double], k: Int) throws -> Matrix {
        let n = x.rows, d = x.columns
        var system = gram(x, transposed: true)
        var rhs = [Double](repeating: 0, count: d * k)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<n { for j in 0..<d { for s in 0..<k { rhs[j * k + s] += Double(v[i * d + j]) * y[i * k + s] } } }
        }
        try choleskySolve(&system, &rhs, size: d, rightHandSides: k)
        var w = Matrix(rows: k, columns: d)
        for j in 0..<d { for s in 0..<k { w[s, j] = Float(rhs[j * k + s]) } }
        return w
    }

    /// The lower triangle of `XXᵀ` (or `XᵀX` when `transposed`) from one `ssyrk`, in `Double`.
    private func gram(_ x: Matrix, transposed: Bool) -> [Double] {
        BLAS.gram(x, transposed: transposed).map { Double($0) }
    }

    /// Solves `(G + αI) Z = B` in place (G's lower triangle is read; B becomes Z).
    private func choleskySolve(_ g: inout [Double], _ b: inout [Double], size: Int, rightHandSides: Int) throws {
        for i in 0..<size { g[i * size + i] += alpha }
        guard LAPACK.choleskySolve(&g, &b, size: size, rightHandSides: rightHandSides) else {
            throw ClassicMLError.invalidParameter("the ridge system is not positive definite; increase alpha")
        }
    }
}
