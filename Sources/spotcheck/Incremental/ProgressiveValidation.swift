import ArgumentParser
import ClassicML
import FeatureStore
import Foundation

/// The cookbook's loop over a CSV file or feature store: for each row, predict, then (when training) learn,
/// and print `Update {i} - Accuracy: {pct}%` every `printEvery` rows and
/// `Final - Accuracy: {pct}%` at the end, on stdout. Rows/s go to stderr.
struct ProgressiveValidation {
    /// The pipeline being evaluated (and trained).
    let model: OnlineClassifier
    /// Rows between `Update` lines (0: none).
    let printEvery: Int

    /// The outcome of one pass.
    struct Outcome {
        /// Rows evaluated.
        var rows = 0
        /// Rows predicted correctly.
        var correct = 0
        /// Correct share, 0 when no rows.
        var accuracy: Double { rows > 0 ? Double(correct) / Double(rows) : 0 }
    }

    /// river's `Accuracy` as printed: `Accuracy: 97.33%`.
    static func format(_ accuracy: Double) -> String {
        String(format: "Accuracy: %.2f%%", accuracy * 100)
    }

    /// Runs one pass over `reader`.
    /// - Parameters:
    ///   - reader: the rows (a CSV file or part of a feature store).
    ///   - learn: predict-then-learn on every row (progressive validation) when `true`;
    ///     predict only when `false`.
    ///   - output: receives each stdout line.
    /// - Returns: the rows and correct predictions.
    /// - Throws: `CSVReadError` or `FeatureStoreError` from the reader.
    func run(_ reader: RowSource, learn: Bool, output: (String) -> Void) throws -> Outcome {
        let progress = ProgressReporter((learn ? "learning " : "testing ") + reader.name, total: nil, unit: "rows")
        var row = [Float](repeating: 0, count: reader.featureNames.count)
        var outcome = Outcome()
        while let label = try reader.readRow(into: &row) {
            let predicted: String?
            do {
                predicted = try model.predictOne(row)
                if learn { try model.learnOne(row, label: label) }
            } catch {
                throw ValidationError("\(reader.name), data row \(outcome.rows + 1): \(error)")
            }
            outcome.rows += 1
            if predicted == label { outcome.correct += 1 }
            if printEvery > 0, outcome.rows % printEvery == 0 {
                output("Update \(outcome.rows) - \(Self.format(outcome.accuracy))")
            }
            if outcome.rows & 255 == 0 { progress.advance(by: 256) }
        }
        progress.advance(by: outcome.rows & 255)
        progress.finish()
        reader.reportSkips()
        output("Final - \(Self.format(outcome.accuracy))")
        return outcome
    }
}
