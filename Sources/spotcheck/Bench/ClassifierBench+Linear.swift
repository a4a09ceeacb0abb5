import ClassicML
import LinearAlgebra

/// The linear classifiers with scikit-learn's defaults.
extension ClassifierBenchCase {
    static let linear: [ClassifierBenchCase] = [
        ClassifierBenchCase(name: "LogisticRegression", fit: fitLogisticRegression),
        ClassifierBenchCase(name: "LinearSVC", fit: fitLinearSVC),
        ClassifierBenchCase(name: "SGDClassifier", fit: fitSGD),
        ClassifierBenchCase(name: "PassiveAggressiveClassifier", fit: fitPassiveAggressive),
        ClassifierBenchCase(name: "RidgeClassifier", fit: fitRidge),
    ]

    private static func fitLogisticRegression(_ x: Matrix, _ y: [Int]) throws -> String {
        var model = LogisticRegression()
        try model.fit(x, y)
        return "\(model.iterations) iterations, converged: \(model.converged)"
    }

    private static func fitLinearSVC(_ x: Matrix, _ y: [Int]) throws -> String {
        var model = LinearSVC()
        try model.fit(x, y)
        return "\(model.iterations) passes (most of any class)"
    }

    private static func fitSGD(_ x: Matrix, _ y: [Int]) throws -> String {
        var model = SGDClassifier()
        try model.fit(x, y)
        return "\(model.epochs) epochs (most of any class)"
    }

    private static func fitPassiveAggressive(_ x: Matrix, _ y: [Int]) throws -> String {
        var model = PassiveAggressiveClassifier()
        try model.fit(x, y)
        return "\(model.epochs) epochs (most of any class)"
    }

    private static func fitRidge(_ x: Matrix, _ y: [Int]) throws -> String {
        var model = RidgeClassifier()
        try model.fit(x, y)
        return ""
    }
}
