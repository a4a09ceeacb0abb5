import LinearAlgebra

/// scikit-learn's `ExtraTreeClassifier()`: one extremely randomised gini tree — √d candidate
/// features per split, one uniform random threshold each — on the whole training set.
public struct ExtraTreeClassifier: TreeEnsembleClassifier, Codable, Equatable {
    /// The hyper-parameters (one tree, no bootstrap).
    public let parameters: ForestParameters
    /// One tree grows on one thread.
    public var jobs: Int { 1 }
    public internal(set) var classes: [Int] = []
    var forest = TreeForest()
    static let randomSplits = true

    public var name: String { ClassifierSpec.extraTree(maxDepth: parameters.maxDepth).description }

    /// A tree with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - maxDepth: depth limit (default none).
    ///   - minSamplesSplit: fewest samples to split a node (default 2).
    ///   - minSamplesLeaf: fewest samples per leaf (default 1).
    ///   - maxFeatures: candidate features per split (default √d).
    ///   - seed: random seed (default 42).
    public init(maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt, seed: UInt64 = 42) {
        parameters = ForestParameters(trees: 1, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                      minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures, bootstrap: false, seed: seed)
    }
}

extension ExtraTreeClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "ExtraTreeClassifier" }
}
