import ClassicML
import LinearAlgebra

/// The linear classifiers with scikit-learn's defaults.
extension ClassifierBenchCase {
    static let linear: [ClassifierBenchCase] = [
        fitting("LogisticRegression", LogisticRegression()) { "\($0.iterations) iterations, converged: \($0.converged)" },
        fitting("LinearSVC", LinearSVC()) { "\($0.iterations) passes (most of any class)" },
        fitting("SGDClassifier", SGDClassifier()) { "\($0.epochs) epochs (most of any class)" },
        fitting("PassiveAggressiveClassifier", PassiveAggressiveClassifier()) { "\($0.epochs) epochs (most of any class)" },
        fitting("RidgeClassifier", RidgeClassifier()) { _ in "" },
    ]

    /// A case that fits a fresh copy of `model` and describes the fitted model with `note`.
    private static func fitting<Model: Classifier>(_ name: String, _ model: Model,
                                                   note: @escaping @Sendable (Model) -> String) -> ClassifierBenchCase {
        ClassifierBenchCase(name: name) { x, y in
            var fitted = model
            try fitted.fit(x, y)
            return note(fitted)
        }
    }
}
