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
