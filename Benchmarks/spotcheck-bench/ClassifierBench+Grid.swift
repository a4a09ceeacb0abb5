import ClassicML
import Foundation
import LinearAlgebra

/// A grid's entries exactly as `spotcheck run` evaluates them (`SpotCheck.evaluate`:
/// the scaler fitted inside the fit time where the entry is scaled), on a seeded stratified
/// 80 / 20 split; the note gives fit and predict seconds separately and the test accuracy, or
/// the error of a failed entry (the other entries still run, as in the grid).
extension ClassifierBenchCase {
    static func grid(_ grid: ClassifierGrid) -> [ClassifierBenchCase] { grid.specs.map(evaluating) }

    /// `spec` fitted on a seeded stratified 80 % and scored on the other 20 % inside the timed
    /// call; the note adds an MLP's epochs.
    static func evaluating(_ spec: ClassifierSpec) -> ClassifierBenchCase {
        ClassifierBenchCase(name: spec.description) { x, y in
            let split = try StratifiedSplit.trainTest(labels: y, testFraction: 0.2)
            let outcome = SpotCheck.evaluate(spec, train: x.rows(at: split.train), trainLabels: split.train.map { y[$0] },
                                             test: x.rows(at: split.test), testLabels: split.test.map { y[$0] })
            if let error = outcome.error { return "FAILED: \(error)" }
            let epochs = (outcome.fitted?.classifier as? MLPClassifier).map { ", \($0.epochs) epochs" } ?? ""
            return String(format: "fit %.3f s, predict %.3f s, test accuracy %.3f",
                          outcome.fitSeconds, outcome.predictSeconds, outcome.accuracy ?? 0) + epochs
        }
    }
}
