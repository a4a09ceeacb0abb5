/// The linear estimators in model files; their `kind` strings are part of the file format.
extension LogisticRegression: PersistableClassifier {
    public static var kind: String { "LogisticRegression" }
}

extension LinearSVC: PersistableClassifier {
    public static var kind: String { "LinearSVC" }
}

extension SGDClassifier: PersistableClassifier {
    public static var kind: String { "SGDClassifier" }
}

extension PassiveAggressiveClassifier: PersistableClassifier {
    public static var kind: String { "PassiveAggressiveClassifier" }
}

extension RidgeClassifier: PersistableClassifier {
    public static var kind: String { "RidgeClassifier" }
}
