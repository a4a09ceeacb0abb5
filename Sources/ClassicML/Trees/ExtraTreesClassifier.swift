import Foundation
import LinearAlgebra

/// scikit-learn's `ExtraTreesClassifier`: gini trees whose splits use one random threshold per
/// candidate feature (√d of them), on the whole training set by default; probabilities = mean of the
/// trees' leaf class fractions. Trees grow in parallel; the same seed gives the same forest whatever the number of threads.
public struct ExtraTreesClassifier: TreeEnsembleClassifier, Codable, Equatable {
    /// The hyper-parameters.
    public let parameters: ForestParameters
    /// Threads that grow trees (default: every core); does not change the result.
    public var jobs: Int
    public internal(set) var classes: [Int] = []
    var forest = TreeForest()
    static let randomSplits = true

    public var name: String { ClassifierSpec.extraTrees(trees: parameters.trees, maxDepth: parameters.maxDepth).description }

    /// A forest with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - trees: number of trees (default 100).
    ///   - maxDepth: depth limit (default none).
    ///   - minSamplesSplit: fewest samples to split a node (default 2).
    ///   - minSamplesLeaf: fewest samples per leaf (default 1).
    ///   - maxFeatures: candidate features per split (default √d).
    ///   - bootstrap: sample rows with replacement per tree (default false).
    ///   - seed: random seed (default 42).
    ///   - jobs: threads (default: all cores).
    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt, bootstrap: Bool = false, seed: UInt64 = 42,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        parameters = ForestParameters(trees: trees, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                      minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures,
                                      bootstrap: bootstrap, seed: seed)
        self.jobs = jobs
    }
}

