import ClassicML
import LinearAlgebra

/// The families added for the cookbook's grid and beyond, at the settings of the grids, each
/// standardised first where its spec says so (as the grid runs them). Each fits on a seeded
/// stratified 80 % and predicts the other 20 % inside the timed call, like the core cases.
extension ClassifierBenchCase {
    static let families: [ClassifierBenchCase] = [
        ClassifierSpec.decisionTree(), .extraTree(), .bagging(trees: 100), .adaBoost(estimators: 100),
        .gradientBoosting(), .histGradientBoosting(), .svc(), .mlp(), .gaussianNB(), .lda,
    ].map { spec in
        ClassifierBenchCase(name: spec.description) { x, y in
            let split = try StratifiedSplit.trainTest(labels: y, testFraction: 0.2)
            let outcome = SpotCheck.evaluate(spec, train: x.rows(at: split.train), trainLabels: split.train.map { y[$0] },
                                             test: x.rows(at: split.test), testLabels: split.test.map { y[$0] })
            if let error = outcome.error { return "FAILED: \(error)" }
            let epochs = (outcome.fitted?.classifier as? MLPClassifier).map { ", \($0.epochs) epochs" } ?? ""
            return "fit 80 % + predict 20 %, test accuracy " + String(format: "%.3f", outcome.accuracy ?? 0) + epochs
        }
    }
}
