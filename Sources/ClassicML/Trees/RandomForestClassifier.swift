import Foundation
import LinearAlgebra

/// scikit-learn's `RandomForestClassifier`: gini trees on bootstrap samples, √d candidate
/// features per split, probabilities = mean of the trees' leaf class fractions. Trees grow in
/// parallel; the same seed gives the same forest whatever the number of threads.
public struct RandomForestClassifier: ProbabilisticClassifier, Codable, Equatable {
    /// The hyper-parameters.
    public let parameters: ForestParameters
    /// Threads that grow trees (default: every core); does not change the result.
    public var jobs: Int
    public private(set) var classes: [Int] = []
    var forest = TreeForest()

    public var name: String { "RandomForestClf-\(parameters.trees)" }

    /// A forest with scikit-learn's defaults unless given.
    /// - Parameters:
    ///   - trees: number of trees (default 100).
    ///   - maxDepth: depth limit (default none).
    ///   - minSamplesSplit: fewest samples to split a node (default 2).
    ///   - minSamplesLeaf: fewest samples per leaf (default 1).
    ///   - maxFeatures: candidate features per split (default √d).
    ///   - bootstrap: sample rows with replacement per tree (default true).
    ///   - seed: random seed (default 42).
    ///   - jobs: threads (default: all cores).
    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt, bootstrap: Bool = true, seed: UInt64 = 42,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        parameters = ForestParameters(trees: trees, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                      minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures,
                                      bootstrap: bootstrap, seed: seed)
        self.jobs = jobs
    }

    /// Grows the trees.
    /// - Throws: `ClassicMLError` for invalid input or parameters.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        (classes, forest) = try fitForest(x, y, parameters, randomSplits: false, jobs: jobs)
    }

    public func predict(_ x: Matrix) -> [Int] { argmaxLabels(predictProba(x), classes: classes) }

    /// Mean over trees of the leaf class fractions.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix { forest.proba(x, classCount: classes.count) }
}

/// Validates and fits a forest; shared by the random-forest and extra-trees classifiers.
func fitForest(_ x: Matrix, _ y: [Int], _ parameters: ForestParameters, randomSplits: Bool,
               jobs: Int) throws -> ([Int], TreeForest) {
    let classes = try InputValidation.training(x, y)
    try parameters.validate()
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
    let forest = TreeForest(fitting: x, classIndex: y.map { index[$0] ?? 0 }, classCount: classes.count,
                            parameters: parameters, randomSplits: randomSplits, jobs: jobs)
    return (classes, forest)
}
