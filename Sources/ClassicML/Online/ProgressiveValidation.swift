import Foundation

/// Labelled rows read one at a time into a reused buffer: a CSV file or (part of) a feature store.
public protocol LabelledRowSource: AnyObject {
    /// What is being read, for messages.
    var name: String { get }
    /// The feature columns' names.
    var featureNames: [String] { get }
    /// Fills `features` with the next row and returns its label; nil at the end.
    /// - Throws: the source's error for an unreadable or malformed row.
    func readRow(into features: inout [Float]) throws -> String?
}

/// The cookbook's loop over a row source: for each row, predict, then (when training) learn —
/// progressive validation, as river's `progressive_val_score` — with `Update {i} - Accuracy: …`
/// every `printEvery` rows and `Final - Accuracy: …` at the end.
public struct ProgressiveValidation {
    /// The pipeline being evaluated (and trained).
    public let model: OnlineClassifier
    /// Rows between `Update` lines (0: none).
    public let printEvery: Int

    /// A pass over rows with `model`.
    /// - Parameters:
    ///   - model: the online pipeline.
    ///   - printEvery: rows between `Update` lines (0: only the final line).
    public init(model: OnlineClassifier, printEvery: Int) {
        self.model = model
        self.printEvery = printEvery
    }

    /// The outcome of one pass.
    public struct Outcome: Sendable, Equatable {
        /// Rows evaluated.
        public var rows = 0
        /// Rows predicted correctly.
        public var correct = 0
        /// Rows of a class the pipeline had not learned when they came (in a test pass, they
        /// cannot be predicted right).
        public var unseen = 0
        /// Correct share, 0 when no rows.
        public var accuracy: Double { rows > 0 ? Double(correct) / Double(rows) : 0 }
    }

    /// river's `Accuracy` as printed: `Accuracy: 97.33%`.
    public static func format(_ accuracy: Double) -> String {
        String(format: "Accuracy: %.2f%%", accuracy * 100)
    }

    /// Runs one pass over `source`.
    /// - Parameters:
    ///   - source: the rows (a CSV file or part of a feature store).
    ///   - learn: predict-then-learn on every row (progressive validation) when true; predict
    ///     only when false.
    ///   - output: receives each `Update`/`Final` line.
    ///   - progress: receives the number of rows done so far, every 256 rows and at the end.
    /// - Returns: the rows and correct predictions.
    /// - Throws: the source's errors; `RowFailure` for a row the pipeline refuses (its learned
    ///   state is left as it was before that row); `ClassicMLError.tooFewSamples` when a
    ///   learning pass finds no rows.
    public func run(_ source: any LabelledRowSource, learn: Bool, output: (String) -> Void,
                    progress: (Int) -> Void = { _ in }) throws -> Outcome {
        var row = [Float](repeating: 0, count: source.featureNames.count)
        var outcome = Outcome()
        let known = Set(model.classes)
        while let label = try source.readRow(into: &row) {
            if !learn, !known.contains(label) { outcome.unseen += 1 }
            let predicted: String?
            do {
                predicted = try model.predictOne(row)
                if learn { try model.learnOne(row, label: label) }
            } catch {
                // The learner refuses a bad row before changing anything; say which row it was.
                throw RowFailure(source: source.name, row: outcome.rows + 1, reason: "\(error)")
            }
            outcome.rows += 1
            if predicted == label { outcome.correct += 1 }
            if printEvery > 0, outcome.rows % printEvery == 0 {
                output("Update \(outcome.rows) - \(Self.format(outcome.accuracy))")
            }
            if outcome.rows & 255 == 0 { progress(outcome.rows) }
        }
        progress(outcome.rows)
        if learn, outcome.rows == 0 {
            throw ClassicMLError.tooFewSamples("\(source.name) has no data rows, so nothing was learned; give a file with rows after the header")
        }
        output("Final - \(Self.format(outcome.accuracy))")
        return outcome
    }
}

/// A row the online pipeline refused, with where it is.
public struct RowFailure: Error, Equatable, CustomStringConvertible {
    /// The source's name.
    public var source: String
    /// The 1-based data row.
    public var row: Int
    /// Why it was refused.
    public var reason: String

    /// Where and why.
    public var description: String { "\(source), data row \(row): \(reason)" }
}
