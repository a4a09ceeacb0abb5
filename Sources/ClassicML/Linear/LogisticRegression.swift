import Foundation
import LinearAlgebra

/// L2-regularised logistic regression fitted by L-BFGS, like scikit-learn's default
/// `LogisticRegression()`: multinomial (softmax) for three or more classes, a single logistic
/// score for two, intercepts not penalised.
///
/// It minimises `(1/n) Σ log-loss + ‖W‖² / (2·C·n)` — scikit-learn's objective — with scores
/// and gradients from two `sgemm` products per evaluation. When there are more features than
/// samples it solves the identical problem on the n × n Cholesky factor of the Gram matrix
/// (see `RowSpaceReduction`), so an iteration costs O(n²k) instead of O(n·d·k).
public struct LogisticRegression: ProbabilisticClassifier, LinearClassifier, Codable, Equatable {
    /// The inverse regularisation strength (scikit-learn's `C`, default 1).
    public let c: Double
    /// The L-BFGS iteration limit (scikit-learn's `max_iter`, default 100).
    public let maxIterations: Int
    /// Convergence when the largest gradient component is at most this (default 1e-4).
    public let tolerance: Double
    /// Whether the last `fit` met a stopping rule before `maxIterations`.
    public private(set) var converged = false
    /// L-BFGS iterations taken by the last `fit`.
    public private(set) var iterations = 0
    private var state = LinearState()

    public var name: String { ClassifierSpec.logisticRegression(c: c).description }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// An unfitted model.
    /// - Parameters:
    ///   - c: inverse regularisation strength, > 0.
    ///   - maxIterations: L-BFGS iteration limit, ≥ 1.
    ///   - tolerance: gradient tolerance, ≥ 0.
    public init(c: Double = 1, maxIterations: Int = 100, tolerance: Double = 1e-4) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Fits the weights and intercepts.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors
    ///   of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard c > 0, c.isFinite, maxIterations >= 1, tolerance >= 0 else {
            throw ClassicMLError.invalidParameter(
                "LogisticRegression needs c > 0, maxIterations ≥ 1 and tolerance ≥ 0 (got \(c), \(maxIterations), \(tolerance))")
        }
        let classes = try InputValidation.training(x, y)
        let reduction = RowSpaceReduction(x)
        let features = reduction?.features ?? x
        let problem = SoftmaxProblem(x: features, classIndex: LinearState.classIndices(y, classes: classes),
                                     classCount: classes.count, c: c)
        let solver = LBFGS(gradientTolerance: tolerance, maxIterations: maxIterations)
        let result = solver.minimize(from: [Double](repeating: 0, count: problem.parameterCount),
                                     problem.lossAndGradient)
        var (weights, intercepts) = problem.unpack(result.x)
        if let reduction { weights = reduction.lift(weights, through: x).weights }
        state = LinearState(classes: classes, weights: PackedMatrix(weights), intercepts: intercepts)
        converged = result.converged
        iterations = result.iterations
    }

    /// Class probabilities: the softmax of the scores (for two classes, the logistic sigmoid of
    /// the single score for `classes[1]`).
    /// - Parameter x: n × d samples.
    /// - Returns: n × `classes.count` probabilities.
    public func predictProba(_ x: Matrix) -> Matrix {
        let scores = decisionFunction(x)
        var p = Matrix(rows: x.rows, columns: classes.count)
        var logits = [Double](repeating: 0, count: classes.count)
        for i in 0..<x.rows {
            SoftmaxProblem.logits(scores, row: i, into: &logits)
            let top = logits.max() ?? 0
            let total = logits.reduce(0) { $0 + exp($1 - top) }
            for k in 0..<classes.count { p[i, k] = Float(exp(logits[k] - top) / total) }
        }
        return p
    }
}

/// The logistic-regression objective over a fixed feature matrix, in `Double` throughout (as
/// scikit-learn's lbfgs path), with parameters packed as
/// `[W (scores × d) row after row, then the intercepts]`.
struct SoftmaxProblem {
    let n: Int
    let d: Int
    /// The features, n × d row-major, in `Double`.
    let x: [Double]
    let classIndex: [Int]
    let classCount: Int
    let scoreCount: Int
    let c: Double

    init(x: Matrix, classIndex: [Int], classCount: Int, c: Double) {
        n = x.rows
        d = x.columns
        self.x = x.values.map { Double($0) }
        self.classIndex = classIndex
        self.classCount = classCount
        self.scoreCount = LinearState.scoreCount(classCount: classCount)
        self.c = c
    }

    var parameterCount: Int { scoreCount * (d + 1) }

    /// Splits packed parameters into weights and intercepts.
    func unpack(_ theta: [Double]) -> (Matrix, [Float]) {
        let weights = Matrix(rows: scoreCount, columns: d, values: theta[0..<(scoreCount * d)].map { Float($0) })
        return (weights, theta[(scoreCount * d)...].map { Float($0) })
    }

    /// The class logits of row `i` of `scores`: the scores themselves, or `[0, s]` for a binary
    /// model (its single score rates `classes[1]` against `classes[0]`).
    static func logits(_ scores: Matrix, row i: Int, into logits: inout [Double]) {
        if scores.columns == 1 {
            logits[0] = 0
            logits[1] = Double(scores[i, 0])
        } else {
            for k in 0..<scores.columns { logits[k] = Double(scores[i, k]) }
        }
    }

    /// The objective at `theta`; its gradient goes to `gradient`.
    func lossAndGradient(_ theta: [Double], _ gradient: inout [Double]) -> Double {
        let m = scoreCount
        // scores = X Wᵀ + b  (n × m)
        var scores = [Double](repeating: 0, count: n * m)
        BLAS.gemm(transposeB: true, m: n, n: m, k: d, a: x, b: theta, c: &scores)
        var loss = 0.0
        var logits = [Double](repeating: 0, count: classCount)
        let first = classCount - m   // a binary model's single score is for class 1
        for k in 0..<m { gradient[m * d + k] = 0 }
        for i in 0..<n {
            // scores becomes the residual ∂loss_i/∂score / n, in place.
            if m == 1 { logits[0] = 0 }
            for k in 0..<m { logits[k + first] = scores[i * m + k] + theta[m * d + k] }
            let top = logits.max() ?? 0
            let target = classIndex[i]
            let targetLogit = logits[target] - top
            var total = 0.0
            for k in 0..<classCount { logits[k] = exp(logits[k] - top); total += logits[k] }
            loss += log(total) - targetLogit
            for k in 0..<m {
                let indicator: Double = (k + first) == target ? 1 : 0
                let residual = (logits[k + first] / total - indicator) / Double(n)
                scores[i * m + k] = residual
                gradient[m * d + k] += residual
            }
        }
        // ∂/∂W = residualᵀ X + W / (C n)
        let penalty = 1 / (c * Double(n))
        for j in 0..<(m * d) { gradient[j] = penalty * theta[j] }
        BLAS.gemm(transposeA: true, m: m, n: d, k: n, a: scores, b: x, beta: 1, c: &gradient)
        var squares = 0.0
        for j in 0..<(m * d) { squares += theta[j] * theta[j] }
        return loss / Double(n) + 0.5 * penalty * squares
    }
}
