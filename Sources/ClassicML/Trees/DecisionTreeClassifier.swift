import LinearAlgebra

/// scikit-learn's `DecisionTreeClassifier()`: one CART tree, gini, the best split over every
/// feature, grown until its leaves are pure. Features are visited in index order, so the lowest
/// feature wins a tie between equally good splits and the tree is deterministic (scikit-learn
/// visits them in a random order, which only matters for such ties).
public struct DecisionTreeClassifier: TreeEnsembleClassifier, Codable, Equatable {
    /// The hyper-parameters (one tree, no bootstrap).
    public let parameters: ForestParameters
    /// One tree grows on one thread.
    public var jobs: Int { 1 }
    public internal(set) var classes: [Int] = []
    var forest = TreeForest()
    static let randomSplits = false
    static let featuresInIndexOrder = true

    public var name: String { ClassifierSpec.decisionTree(maxDepth: parameters.maxDepth).description }

    /// A tree with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - maxDepth: depth limit (default none).
    ///   - minSamplesSplit: fewest samples to split a node (default 2).
    ///   - minSamplesLeaf: fewest samples per leaf (default 1).
    ///   - maxFeatures: candidate features per split (default all, in index order).
    ///   - seed: the seed of the feature draws when `maxFeatures` is not all (default 42).
    public init(maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .all, seed: UInt64 = 42) {
        parameters = ForestParameters(trees: 1, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                      minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures, bootstrap: false, seed: seed)
    }
}

extension DecisionTreeClassifier: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "DecisionTreeClassifier" }
}
