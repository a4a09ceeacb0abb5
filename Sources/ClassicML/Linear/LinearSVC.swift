import LinearAlgebra

/// A linear support-vector classifier like scikit-learn's default `LinearSVC()`: squared hinge
/// loss, L2 penalty, one-vs-rest, solved by liblinear's dual coordinate descent; the intercept
/// is an extra feature of value `interceptScaling` that is regularised like the others.
///
/// The one-vs-rest problems run in parallel on all cores; each is seeded on its own, so the
/// result does not depend on the number of threads. With more features than samples each
/// coordinate step works on the n × n Cholesky factor of the Gram matrix instead of the d-wide
/// rows (same dual problem, see `RowSpaceReduction`).
public struct LinearSVC: LinearClassifier, Codable, Equatable {
    /// The penalty `C` (default 1).
    public let c: Double
    /// The stopping tolerance on the projected gradient (default 1e-4).
    public let tolerance: Double
    /// Passes over the data allowed per problem (scikit-learn's `max_iter`, default 1000).
    public let maxIterations: Int
    /// The value of the synthetic intercept feature (default 1).
    public let interceptScaling: Float
    /// The seed of the coordinate order (default 42).
    public let seed: UInt64
    /// The most passes any one-vs-rest problem needed in the last `fit`.
    public private(set) var iterations = 0
    private var state = LinearState()

    public var name: String { ClassifierSpec.linearSVC(c: c).description }
    public var classes: [Int] { state.classes }
    public var coefficients: Matrix { state.weights.matrix }
    public var intercepts: [Float] { state.intercepts }

    /// Whether every problem met the tolerance before `maxIterations` passes.
    public var converged: Bool { iterations < maxIterations }

    /// An unfitted classifier.
    /// - Parameters:
    ///   - c: the penalty, > 0.
    ///   - tolerance: the stopping tolerance, > 0.
    ///   - maxIterations: passes allowed, ≥ 1.
    ///   - interceptScaling: the synthetic feature's value, > 0.
    ///   - seed: the coordinate-order seed.
    public init(c: Double = 1, tolerance: Double = 1e-4, maxIterations: Int = 1000,
                interceptScaling: Float = 1, seed: UInt64 = 42) {
        self.c = c
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.interceptScaling = interceptScaling
        self.seed = seed
    }

    /// Fits one binary problem per class (one in all for two classes).
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors
    ///   of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard c > 0, c.isFinite, tolerance > 0, maxIterations >= 1, interceptScaling > 0 else {
            throw ClassicMLError.invalidParameter(
                "LinearSVC needs c > 0, tolerance > 0, maxIterations ≥ 1 and interceptScaling > 0")
        }
        let classes = try InputValidation.training(x, y)
        let classIndex = LinearState.classIndices(y, classes: classes)
        let scoreCount = LinearState.scoreCount(classCount: classes.count)
        let reduction = RowSpaceReduction(x, appendingConstant: interceptScaling)
        let features = reduction?.features ?? x
        let solver = DualCoordinateDescent(c: c, tolerance: tolerance, maxIterations: maxIterations,
                                           bias: reduction == nil ? interceptScaling : 0)
        let norms = VectorKernels.rowSquaredNorms(features)
        let seed = self.seed
        let solutions = Parallel.map(scoreCount) { k in
            solver.solve(features, squaredNorms: norms,
                         y: LinearState.signedTargets(classIndex, score: k, scoreCount: scoreCount),
                         seed: seed &+ UInt64(k))
        }
        let solved = Matrix(rows: scoreCount, columns: features.columns,
                            values: solutions.flatMap(\.weights))
        let weights: Matrix, biasWeights: [Float]
        if let reduction {
            (weights, biasWeights) = reduction.lift(solved, through: x)
        } else {
            (weights, biasWeights) = (solved, solutions.map(\.biasWeight))
        }
        state = LinearState(classes: classes, weights: PackedMatrix(weights),
                            intercepts: biasWeights.map { $0 * interceptScaling })
        iterations = solutions.map(\.iterations).max() ?? 0
    }
}
