import LinearAlgebra

/// What the random-forest and extra-trees classifiers share: a ``TreeForest`` grown with
/// ``ForestParameters`` on `jobs` threads, voting by the mean of the trees' leaf class fractions.
/// The two differ only in how a split's threshold is found and in their defaults.
protocol TreeEnsembleClassifier: ProbabilisticClassifier {
    /// The hyper-parameters.
    var parameters: ForestParameters { get }
    /// Threads that grow trees; does not change the result.
    var jobs: Int { get }
    /// The labels seen by `fit`.
    var classes: [Int] { get set }
    /// The fitted trees.
    var forest: TreeForest { get set }
    /// Whether each candidate feature gets one random threshold (extra trees) instead of the
    /// best one (random forest).
    static var randomSplits: Bool { get }
    /// Whether a tree that considers every feature visits them in index order instead of a
    /// random one (the single decision tree).
    static var featuresInIndexOrder: Bool { get }
    /// The model-file kind, for messages.
    static var kind: String { get }
}

extension TreeEnsembleClassifier {
    /// Features are drawn in a random order unless a type says otherwise.
    static var featuresInIndexOrder: Bool { false }

    /// Grows the trees.
    /// - Throws: `ClassicMLError` for invalid input or parameters.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        let labels = try InputValidation.training(x, y)
        try parameters.validate()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        forest = TreeForest(fitting: x, classIndex: y.map { index[$0] ?? 0 }, classCount: labels.count,
                            parameters: parameters, randomSplits: Self.randomSplits,
                            featuresInIndexOrder: Self.featuresInIndexOrder, jobs: jobs)
        classes = labels
    }

    /// The most probable label of every row.
    public func predict(_ x: Matrix) -> [Int] { argmaxLabels(predictProba(x), classes: classes) }

    /// Mean over trees of the leaf class fractions.
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predictProba(_ x: Matrix) -> Matrix { forest.proba(x, classCount: classes.count) }
}
