import LinearAlgebra

/// A classifier whose scores are affine in the features: `score = x · wᵀ + b`.
///
/// As in scikit-learn, `coefficients` has one row per class (n_classes × d), except for two
/// classes, where it has a single row scoring `classes[1]` against `classes[0]`.
public protocol LinearClassifier: Classifier {
    /// The weights, one row per score (see the protocol description); empty before `fit`.
    var coefficients: Matrix { get }
    /// One intercept per row of `coefficients`.
    var intercepts: [Float] { get }
}

extension LinearClassifier {
    /// The raw scores `x · coefficientsᵀ + intercepts` (scikit-learn's `decision_function`).
    /// - Parameter x: n × d samples.
    /// - Returns: an n × `coefficients.rows` matrix.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func decisionFunction(_ x: Matrix) -> Matrix {
        let w = coefficients
        precondition(w.rows > 0, "fit the classifier before predicting")
        precondition(x.columns == w.columns, "model fitted on \(w.columns) features, got \(x.columns)")
        var scores = BLAS.multiply(x, transposed: false, w, transposed: true)
        let b = intercepts
        for i in 0..<scores.rows { for k in 0..<scores.columns { scores[i, k] += b[k] } }
        return scores
    }

    /// The class of highest score for every row (for two classes: `classes[1]` when the score is
    /// positive); ties go to the lowest label.
    /// - Parameter x: n × d samples.
    /// - Returns: one label per row.
    public func predict(_ x: Matrix) -> [Int] {
        let scores = decisionFunction(x)
        return (0..<scores.rows).map { i in
            if scores.columns == 1 { return classes[scores[i, 0] > 0 ? 1 : 0] }
            var best = 0
            for k in 1..<scores.columns where scores[i, k] > scores[i, best] { best = k }
            return classes[best]
        }
    }
}

/// The learned state of a linear classifier, in the form every estimator stores and encodes.
struct LinearState: Sendable, Codable, Equatable {
    /// The distinct training labels, ascending.
    var classes: [Int] = []
    /// scores × d weights.
    var weights = PackedMatrix()
    /// One intercept per score.
    var intercepts: [Float] = []

    /// The number of separate scores a model over `classCount` classes learns: one per class,
    /// or a single one for two classes.
    static func scoreCount(classCount: Int) -> Int { classCount == 2 ? 1 : classCount }

    /// The position in `classes` of every label.
    static func classIndices(_ y: [Int], classes: [Int]) -> [Int] {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return y.map { index[$0] ?? 0 }
    }

    /// ±1 targets of the one-vs-rest problem `score`: +1 where the sample belongs to the class
    /// that score rates (`classes[1]` for a binary model).
    static func signedTargets(_ classIndex: [Int], score: Int, scoreCount: Int) -> [Float] {
        let positive = scoreCount == 1 ? 1 : score
        return classIndex.map { $0 == positive ? 1 : -1 }
    }
}
