/// The linear classifiers in model files (`ModelFile`); each `kind` is fixed forever.
extension LogisticRegression: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "LogisticRegression" }
}

extension LinearSVC: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "LinearSVC" }
}

extension SGDClassifier: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "SGDClassifier" }
}

extension PassiveAggressiveClassifier: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "PassiveAggressiveClassifier" }
}

extension RidgeClassifier: PersistableClassifier {
    /// The model-file kind.
    public static var kind: String { "RidgeClassifier" }
}

/// The check of a linear classifier read from a model file.
extension LinearClassifier where Self: PersistableClassifier {
    /// Checks the loaded state: one row of bounded, finite weights per score (one for two
    /// classes, else one per class) and one bounded, finite intercept per row.
    /// - Throws: `ClassicMLError.modelFile` naming the problem.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        let scores = LinearState.scoreCount(classCount: classes.count)
        try LoadedModelCheck.matrix(coefficients, rows: scores, columns: nil, "\(Self.kind) weights")
        try LoadedModelCheck.require(intercepts.count == scores,
                                     "\(Self.kind) has \(intercepts.count) intercepts for \(scores) score(s) of \(classes.count) classes")
        try LoadedModelCheck.bounded(intercepts, "\(Self.kind) intercepts")
    }

    /// The number of features of the weights (nil before `fit`).
    public var featureCount: Int? { coefficients.rows > 0 ? coefficients.columns : nil }
}
