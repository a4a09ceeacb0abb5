import ClassicML

/// The families added for the cookbook's grid and beyond, at the settings of the grids, each
/// timed as the grid runs it (``ClassifierBenchCase/evaluating(_:)``).
extension ClassifierBenchCase {
    static let families: [ClassifierBenchCase] = [
        ClassifierSpec.decisionTree(), .extraTree(), .bagging(trees: 100), .adaBoost(estimators: 100),
        .gradientBoosting(), .histGradientBoosting(), .svc(), .mlp(), .gaussianNB(), .lda,
    ].map(evaluating)
}
