import Foundation
import LinearAlgebra

/// scikit-learn's `BaggingClassifier()` over its default estimator, a decision tree: every tree
/// sees a bootstrap sample of the rows and every feature (the best split, features in a random
/// order), and the probabilities are the mean of the trees' leaf class fractions. Trees grow in
/// parallel; the same seed gives the same ensemble whatever the number of threads.
public struct BaggingClassifier: TreeEnsembleClassifier, Codable, Equatable {
    /// The hyper-parameters (bootstrap, every feature).
    public let parameters: ForestParameters
    /// Threads that grow trees (default: every core); does not change the result.
    public var jobs: Int
    public internal(set) var classes: [Int] = []
    var forest = TreeForest()
    static let randomSplits = false

    public var name: String { ClassifierSpec.bagging(trees: parameters.trees).description }

    /// An ensemble with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - trees: number of trees (scikit-learn's `n_estimators`, default 10).
    ///   - seed: random seed (default 42).
    ///   - jobs: threads (default: all cores).
    public init(trees: Int = 10, seed: UInt64 = 42, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        parameters = ForestParameters(trees: trees, maxDepth: nil, minSamplesSplit: 2, minSamplesLeaf: 1,
                                      maxFeatures: .all, bootstrap: true, seed: seed)
        self.jobs = jobs
    }
}

extension BaggingClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "BaggingClassifier" }
}
