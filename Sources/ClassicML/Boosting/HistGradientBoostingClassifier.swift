import Foundation
import LinearAlgebra

/// scikit-learn's `HistGradientBoostingClassifier()` with early stopping off: features binned into
/// at most 255 bins (`BinnedFeatures`), then `iterations` rounds on the multinomial (binomial)
/// loss from the log-prior baseline; per round and class a tree grown leaf-wise on the gradients
/// `p − y` and hessians `p(1 − p)` (float32, as scikit-learn) up to `maxLeafNodes` leaves of at least
/// `minSamplesLeaf` rows, with leaf values `−learningRate · G / (H + l2)`. Deterministic; the trees
/// of a round grow in parallel.
public struct HistGradientBoostingClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// Rounds (scikit-learn's `max_iter`, default 100).
    public let iterations: Int
    /// The shrinkage of every leaf value (default 0.1).
    public let learningRate: Double
    /// The most leaves per tree (default 31).
    public let maxLeafNodes: Int
    /// The depth limit (default none).
    public let maxDepth: Int?
    /// Fewest rows per leaf (default 20).
    public let minSamplesLeaf: Int
    /// The L2 penalty on leaf values (default 0).
    public let l2Regularization: Double
    /// Bins per feature (default 255).
    public let maxBins: Int
    /// Threads (default: every core); does not change the result.
    public var jobs: Int
    public private(set) var classes: [Int] = []
    var model = BoostedTrees()

    public var name: String {
        ClassifierSpec.histGradientBoosting(iterations: iterations, learningRate: learningRate,
                                            maxLeafNodes: maxLeafNodes).description
    }

    /// An unfitted ensemble.
    /// - Parameters:
    ///   - iterations: rounds, ≥ 1.
    ///   - learningRate: shrinkage, > 0.
    ///   - maxLeafNodes: leaves per tree, ≥ 2.
    ///   - maxDepth: depth limit, ≥ 1, or nil.
    ///   - minSamplesLeaf: fewest rows per leaf, ≥ 1.
    ///   - l2Regularization: leaf-value penalty, ≥ 0.
    ///   - maxBins: bins per feature, 2…255.
    ///   - jobs: threads.
    public init(iterations: Int = 100, learningRate: Double = 0.1, maxLeafNodes: Int = 31, maxDepth: Int? = nil,
                minSamplesLeaf: Int = 20, l2Regularization: Double = 0, maxBins: Int = 255,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.iterations = iterations
        self.learningRate = learningRate
        self.maxLeafNodes = maxLeafNodes
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.l2Regularization = l2Regularization
        self.maxBins = maxBins
        self.jobs = jobs
    }

    /// Bins the features and boosts the trees.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors of
    ///   `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        guard iterations >= 1, learningRate > 0, learningRate.isFinite, maxLeafNodes >= 2, (maxDepth ?? 1) >= 1,
              minSamplesLeaf >= 1, l2Regularization >= 0, (2...255).contains(maxBins) else {
            throw ClassicMLError.invalidParameter(
                "HistGradientBoostingClassifier needs iterations ≥ 1, learningRate > 0, maxLeafNodes ≥ 2, maxDepth ≥ 1, "
                + "minSamplesLeaf ≥ 1, l2Regularization ≥ 0 and maxBins in 2…255")
        }
        let labels = try InputValidation.training(x, y)
        let grower = HistogramTreeGrower(
            data: BinnedFeatures(x, maxBins: maxBins),
            rules: .init(maxDepth: maxDepth, maxLeaves: maxLeafNodes, minSamplesLeaf: minSamplesLeaf,
                         minHessianToSplit: 1e-3, l2: l2Regularization, requirePositiveGain: true,
                         midpointThresholds: false))
        let rate = learningRate, l2 = l2Regularization
        model = BoostedTrees(x: x, classIndex: LinearState.classIndices(y, classes: labels), classCount: labels.count,
                             stages: iterations, jobs: jobs) { _, _, p, target in
            // scikit-learn keeps gradients and hessians in float32.
            let gradients = zip(p, target).map { Double(Float($0 - $1)) }
            let hessians = p.map { Double(Float($0 * (1 - $0))) }
            return grower.grow(gradients: gradients, hessians: hessians) { _, g, h in -rate * g / (h + l2 + 1e-15) }
        }
        classes = labels
    }

    /// The class of highest score of every row.
    public func predict(_ x: Matrix) -> [Int] { model.predict(x, classes: classes) }

    /// The softmax of the scores (the sigmoid for two classes).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix { model.predictProba(x, classCount: classes.count) }
}

extension HistGradientBoostingClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "HistGradientBoostingClassifier" }

    /// Checks a decoded ensemble: hyper-parameters, classes, and the trees against the width.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        try LoadedModelCheck.require(iterations >= 1 && learningRate > 0 && maxLeafNodes >= 2, "the stored hyper-parameters are invalid")
        try model.validate(classCount: classes.count)
    }
}
