import Foundation
import LinearAlgebra

/// scikit-learn's `GradientBoostingClassifier()`: `estimators` stages on the multinomial deviance
/// (binomial for two classes) from the log-prior baseline; per stage and class a depth-`maxDepth`
/// regression tree fitted to the residuals `y − p` by Friedman's MSE, whose leaves then take the
/// Newton step `(K − 1)/K · Σ(y − p) / Σ p(1 − p)` (no factor for two classes), scaled by
/// `learningRate`.
///
/// The trees are grown on binned features by `HistogramTreeGrower` (one bin per distinct value up
/// to 256 values, quantile bins beyond), so a node costs one pass over its rows per feature instead
/// of a sort: exact on data with few distinct values per feature (as pooled features of a few hundred
/// images), approximate beyond. Ties between equally good splits go to the first feature of a
/// random order drawn at every node from `seed`, as scikit-learn's `random_state` does. The trees
/// of one stage grow in parallel.
public struct GradientBoostingClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// Stages (scikit-learn's `n_estimators`, default 100).
    public let estimators: Int
    /// The shrinkage of every tree (default 0.1).
    public let learningRate: Double
    /// The depth of every tree (default 3).
    public let maxDepth: Int
    /// Fewest rows per leaf (default 1).
    public let minSamplesLeaf: Int
    /// The seed of the feature order that breaks ties between equally good splits.
    public let seed: UInt64
    /// Threads (default: every core); does not change the result.
    public var jobs: Int
    public private(set) var classes: [Int] = []
    var model = BoostedTrees()

    public var name: String {
        ClassifierSpec.gradientBoosting(estimators: estimators, learningRate: learningRate, maxDepth: maxDepth).description
    }

    /// An unfitted ensemble.
    /// - Parameters:
    ///   - estimators: stages, ≥ 1.
    ///   - learningRate: shrinkage, > 0.
    ///   - maxDepth: tree depth, ≥ 1.
    ///   - minSamplesLeaf: fewest rows per leaf, ≥ 1.
    ///   - seed: the seed of the tie-breaking feature order (default 42).
    ///   - jobs: threads.
    public init(estimators: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 3, minSamplesLeaf: Int = 1,
                seed: UInt64 = 42, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.seed = seed
        self.estimators = estimators
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.jobs = jobs
    }

    /// Boosts the trees.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors of
    ///   `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard estimators >= 1, learningRate > 0, learningRate.isFinite, maxDepth >= 1, minSamplesLeaf >= 1 else {
            throw ClassicMLError.invalidParameter(
                "GradientBoostingClassifier needs estimators ≥ 1, learningRate > 0, maxDepth ≥ 1 and minSamplesLeaf ≥ 1")
        }
        let labels = try InputValidation.training(x, y)
        let grower = HistogramTreeGrower(
            data: BinnedFeatures(x, maxBins: 256),
            rules: .init(maxDepth: maxDepth, maxLeaves: nil, minSamplesLeaf: minSamplesLeaf, minHessianToSplit: 0,
                         l2: 0, requirePositiveGain: false, midpointThresholds: true))
        let factor = labels.count == 2 ? 1 : Double(labels.count - 1) / Double(labels.count)
        let rate = learningRate
        let ones = [Double](repeating: 1, count: x.rows)
        model = BoostedTrees(x: x, classIndex: LinearState.classIndices(y, classes: labels), classCount: labels.count,
                             stages: estimators, jobs: jobs) { stage, score, p, target in
            let gradients = zip(p, target).map { $0 - $1 }
            let treeSeed = seed &+ UInt64(stage) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(score) &* 0xBF58_476D_1CE4_E5B9
            return grower.grow(gradients: gradients, hessians: ones, featureSeed: treeSeed) { rows, _, _ in
                var numerator = 0.0, denominator = 0.0
                for row in rows {
                    let i = Int(row)
                    numerator += target[i] - p[i]
                    denominator += p[i] * (1 - p[i])
                }
                return abs(denominator) < 1e-150 ? 0 : rate * factor * numerator / denominator
            }
        }
        classes = labels
    }

    /// The class of highest score of every row.
    public func predict(_ x: Matrix) -> [Int] { model.predict(x, classes: classes) }

    /// The softmax of the scores (the sigmoid for two classes).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix { model.predictProba(x, classCount: classes.count) }
}

extension GradientBoostingClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "GradientBoostingClassifier" }

    /// Checks a decoded ensemble: hyper-parameters, classes, and the trees against the width.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        try LoadedModelCheck.require(estimators >= 1 && learningRate > 0 && maxDepth >= 1, "the stored hyper-parameters are invalid")
        try model.validate(classCount: classes.count)
    }
}
