import LinearAlgebra

/// A classifier with scikit-learn's shape: hyper-parameters are set in the initialiser,
/// `fit` learns from a feature matrix (one sample per row) and integer labels, and the learned
/// state is readable afterwards.
///
/// Labels may be any integers; `classes` holds the distinct labels seen by `fit`, sorted, and
/// `predict` returns labels from that list.
public protocol Classifier: Sendable {
    /// A short name for reports, e.g. `LinearSVC-0.01` or `KNeighborsClf-5`.
    var name: String { get }
    /// The distinct labels seen by `fit`, in ascending order (empty before `fit`).
    var classes: [Int] { get }
    /// Learns from `x` (n × d) and `y` (n labels).
    /// - Throws: `ClassicMLError` for invalid input (shapes, NaN/Inf, a single class).
    mutating func fit(_ x: Matrix, _ y: [Int]) throws
    /// The predicted label of every row of `x`.
    func predict(_ x: Matrix) -> [Int]
}

/// A classifier that also estimates class probabilities.
public protocol ProbabilisticClassifier: Classifier {
    /// An n × `classes.count` matrix of probabilities; column j belongs to `classes[j]`.
    func predictProba(_ x: Matrix) -> Matrix
}
