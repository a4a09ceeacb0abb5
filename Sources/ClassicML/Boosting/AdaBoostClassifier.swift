import Foundation
import LinearAlgebra

/// scikit-learn's `AdaBoostClassifier()` (SAMME, its only algorithm now): depth-1 gini stumps fitted
/// on reweighted rows; a stump with weighted error `e` gets the weight
/// `learningRate · (log((1 − e)/e) + log(K − 1))`, and the rows it misclassifies are multiplied by
/// `exp(weight)`. Boosting stops early at a perfect stump, and a stump no better than chance is
/// dropped and ends it. Each stump visits the features in a seeded random order (scikit-learn's
/// trees do the same, so only ties between equally good splits depend on the seed).
public struct AdaBoostClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// The most stumps (scikit-learn's `n_estimators`, default 50).
    public let estimators: Int
    /// The factor of every stump's weight (default 1).
    public let learningRate: Double
    /// The seed of the stumps' feature order (default 42).
    public let seed: UInt64
    public private(set) var classes: [Int] = []
    var stumps = TreeForest()
    var stumpWeights: [Double] = []

    public var name: String { ClassifierSpec.adaBoost(estimators: estimators, learningRate: learningRate).description }

    /// An unfitted ensemble.
    /// - Parameters:
    ///   - estimators: the most stumps, ≥ 1.
    ///   - learningRate: the factor of the stump weights, > 0.
    ///   - seed: the seed of the stumps' feature order.
    public init(estimators: Int = 50, learningRate: Double = 1, seed: UInt64 = 42) {
        self.estimators = estimators
        self.learningRate = learningRate
        self.seed = seed
    }

    /// Boosts the stumps.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter or when the first stump
    ///   is no better than chance; the input errors of `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard estimators >= 1, learningRate > 0, learningRate.isFinite else {
            throw ClassicMLError.invalidParameter("AdaBoostClassifier needs estimators ≥ 1 and learningRate > 0")
        }
        let labels = try InputValidation.training(x, y)
        let k = labels.count, n = x.rows, d = x.columns
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let classIndex = y.map { index[$0] ?? 0 }
        let columnMajor = x.transposed().values
        var weights = [Double](repeating: 1 / Double(n), count: n)
        var generator = SeededGenerator(seed: seed)
        var trees = [DecisionTree](), alphas = [Double]()
        let presorted = columnMajor.withUnsafeBufferPointer { TreeBuilder.presort($0, n: n, d: d) }
        columnMajor.withUnsafeBufferPointer { data in
            classIndex.withUnsafeBufferPointer { targets in
            presorted.withUnsafeBufferPointer { order in
                let builder = TreeBuilder(data: data, n: n, d: d, featureStride: n, sampleStride: 1, labels: targets, classCount: k, maxFeatures: d,
                                          maxDepth: 1, minSamplesSplit: 2, minSamplesLeaf: 1, randomSplits: false,
                                          featuresInIndexOrder: false, presorted: order)
                for round in 0..<estimators {
                    let stump = builder.grow(weights: weights, generator: &generator)
                    let wrong = x.values.withUnsafeBufferPointer { rows in
                        (0..<n).map { i in stump.predictedClass(rows, row: i, columns: d, classCount: k) != Int(targets[i]) }
                    }
                    var total = 0.0, error = 0.0
                    for i in 0..<n { total += weights[i]; if wrong[i] { error += weights[i] } }
                    error /= total
                    if error <= 0 {
                        trees.append(stump); alphas.append(1)
                        return
                    }
                    if error >= 1 - 1 / Double(k) { return }   // no better than chance: dropped
                    let alpha = learningRate * (Foundation.log((1 - error) / error) + Foundation.log(Double(k - 1)))
                    trees.append(stump); alphas.append(alpha)
                    guard round < estimators - 1 else { return }
                    var sum = 0.0
                    for i in 0..<n {
                        if wrong[i], weights[i] > 0 { weights[i] = Foundation.exp(Foundation.log(weights[i]) + alpha) }
                        sum += weights[i]
                    }
                    guard sum.isFinite, sum > 0 else { return }
                    for i in 0..<n { weights[i] /= sum }
                }
            }
            }
        }
        guard !trees.isEmpty else {
            throw ClassicMLError.invalidParameter(
                "AdaBoostClassifier: the first stump is no better than chance on these features; boosting cannot start")
        }
        stumps = TreeForest(trees: trees, columns: d)
        stumpWeights = alphas
        classes = labels
    }

    /// scikit-learn's SAMME decision: per row and class, each stump adds its weight when it
    /// predicts the class and `−weight/(K − 1)` otherwise, over the sum of weights (for two
    /// classes a single column, positive for `classes[1]`).
    /// - Parameter x: n × d samples.
    /// - Returns: n × K scores (n × 1 for two classes).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func decisionFunction(_ x: Matrix) -> Matrix {
        precondition(!stumps.trees.isEmpty, "fit the classifier before predicting")
        precondition(x.columns == stumps.columns, "model fitted on \(stumps.columns) features, got \(x.columns)")
        let k = classes.count
        var sums = [Double](repeating: 0, count: x.rows * k)
        let total = stumpWeights.reduce(0, +)
        x.values.withUnsafeBufferPointer { rows in
            for (tree, weight) in zip(stumps.trees, stumpWeights) {
                for i in 0..<x.rows {
                    let predicted = tree.predictedClass(rows, row: i, columns: x.columns, classCount: k)
                    for c in 0..<k { sums[i * k + c] += c == predicted ? weight : -weight / Double(k - 1) }
                }
            }
        }
        if k == 2 {
            return Matrix(rows: x.rows, columns: 1, values: (0..<x.rows).map { Float((sums[2 * $0 + 1] - sums[2 * $0]) / total) })
        }
        return Matrix(rows: x.rows, columns: k, values: sums.map { Float($0 / total) })
    }

    /// The class of highest score for every row (ties to the lowest label).
    public func predict(_ x: Matrix) -> [Int] {
        let scores = decisionFunction(x)
        if scores.columns == 1 { return (0..<x.rows).map { classes[scores[$0, 0] > 0 ? 1 : 0] } }
        return argmaxLabels(scores, classes: classes)
    }

    /// scikit-learn's SAMME probabilities: the softmax of the scores over `K − 1` (for two
    /// classes, of `(−s/2, s/2)`).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix {
        var scores = decisionFunction(x)
        if scores.columns == 1 {
            scores = Matrix(rows: x.rows, columns: 2, values: scores.values.flatMap { [-$0 / 2, $0 / 2] })
        } else {
            for j in scores.values.indices { scores.values[j] /= Float(classes.count - 1) }
        }
        return softmaxRows(scores)
    }
}

extension AdaBoostClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "AdaBoostClassifier" }

    /// Checks a decoded ensemble: classes, one finite weight per stump, valid stumps.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        try LoadedModelCheck.require(estimators >= 1 && learningRate > 0 && learningRate.isFinite, "the stored hyper-parameters are invalid")
        try stumps.validateLoaded(classCount: classes.count, kind: Self.kind)
        try LoadedModelCheck.vector(stumpWeights, count: stumps.trees.count, "the stump weights")
        try LoadedModelCheck.require(stumpWeights.reduce(0, +) > 0, "the stump weights sum to zero or less")
    }
}

/// Row-wise softmax in `Double`, returned as floats.
func softmaxRows(_ scores: Matrix) -> Matrix {
    var out = scores
    for i in 0..<scores.rows {
        let row = (0..<scores.columns).map { Double(scores[i, $0]) }
        let top = row.max() ?? 0
        let exps = row.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        for j in 0..<scores.columns { out[i, j] = Float(exps[j] / total) }
    }
    return out
}
