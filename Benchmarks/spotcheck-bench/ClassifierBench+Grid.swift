import ClassicML
import Foundation
import LinearAlgebra

/// The spot-check grid's entries exactly as `spotcheck run` evaluates them (`SpotCheck.evaluate`:
/// the scaler fitted inside the fit time where the entry is scaled), on a seeded stratified
/// 80 / 20 split; the note gives fit and predict seconds separately and the test accuracy, or
/// the error of a failed entry (the other entries still run, as in the grid).
extension ClassifierBenchCase {
    static var grid: [ClassifierBenchCase] {
        ClassifierGrid.defaultEntries().map { entry in
            ClassifierBenchCase(name: entry.name) { x, y in
                let split = try StratifiedSplit.trainTest(labels: y, testFraction: 0.2)
                let outcome = SpotCheck.evaluate(entry, train: x.rows(at: split.train), trainLabels: split.train.map { y[$0] },
                                                 test: x.rows(at: split.test), testLabels: split.test.map { y[$0] })
                if let error = outcome.error { return "FAILED: \(error)" }
                return String(format: "fit %.3f s, predict %.3f s, test accuracy %.3f",
                              outcome.fitSeconds, outcome.predictSeconds, outcome.accuracy ?? 0)
            }
        }
    }
}
