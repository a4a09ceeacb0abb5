import Foundation
import LinearAlgebra

/// What one classifier configuration achieved on a train/test split.
public struct SpotCheckOutcome: Sendable {
    /// The configuration.
    public let spec: ClassifierSpec
    /// Its canonical name (`spec.description`).
    public var name: String { spec.description }
    /// Test-set predictions, one per test row (empty when the classifier failed).
    public let predictions: [Int]
    /// Test-set metrics (nil when the classifier failed).
    public let metrics: ClassificationMetrics?
    /// Seconds spent fitting (scaler included).
    public let fitSeconds: Double
    /// Seconds spent predicting the test set.
    public let predictSeconds: Double
    /// The fitted model with its scaler, ready to save (nil when the classifier failed).
    public let fitted: FittedModel?
    /// Why the classifier failed; the grid goes on.
    public let error: String?

    /// Test accuracy, or nil when the classifier failed.
    public var accuracy: Double? { metrics?.accuracy }
}

/// A fitted classifier together with the scaler its input goes through; `predict` (from
/// `ScaledPrediction`) checks the rows' width and finiteness first.
public struct FittedModel: Sendable, ScaledPrediction {
    /// The fitted classifier.
    public let classifier: any PersistableClassifier
    /// The scaler fitted on the training rows, when the entry is scaled.
    public let scaler: StandardScaler?
}

/// Fits and scores classifier configurations on a shared split, recording failures instead of
/// stopping.
public enum SpotCheck {
    /// Fits `spec` (standardising first when it asks) on the training rows and scores it on the
    /// test rows. Rows with a NaN or infinite value are refused, training and test rows alike
    /// (nothing is fitted or scored).
    /// - Parameters:
    ///   - spec: the configuration.
    ///   - seed: the seed of a randomised classifier (default 42).
    ///   - train: training rows.
    ///   - trainLabels: one label per training row.
    ///   - test: test rows.
    ///   - testLabels: one label per test row.
    /// - Returns: the outcome; a thrown error becomes `outcome.error`.
    public static func evaluate(_ spec: ClassifierSpec, seed: UInt64 = 42, train: Matrix, trainLabels: [Int],
                                test: Matrix, testLabels: [Int]) -> SpotCheckOutcome {
        let start = Date()
        do {
            try InputValidation.finite(train, part: "training")
            try InputValidation.finite(test, part: "test")
            guard test.rows == testLabels.count else {
                throw ClassicMLError.shapeMismatch("\(test.rows) test rows but \(testLabels.count) test labels")
            }
            var scaler: StandardScaler?
            var trainX = train
            if spec.standardized {
                var fitted = StandardScaler()
                trainX = try fitted.fitTransform(train)
                scaler = fitted
            }
            var classifier = spec.makeClassifier(seed: seed)
            try classifier.fit(trainX, trainLabels)
            let fitSeconds = Date().timeIntervalSince(start)
            let model = FittedModel(classifier: classifier, scaler: scaler)
            let predictStart = Date()
            let predictions = try model.predict(test)
            let predictSeconds = Date().timeIntervalSince(predictStart)
            let metrics = try ClassificationMetrics(truth: testLabels, predicted: predictions)
            return SpotCheckOutcome(spec: spec, predictions: predictions, metrics: metrics,
                                    fitSeconds: fitSeconds, predictSeconds: predictSeconds, fitted: model, error: nil)
        } catch {
            return SpotCheckOutcome(spec: spec, predictions: [], metrics: nil,
                                    fitSeconds: Date().timeIntervalSince(start), predictSeconds: 0,
                                    fitted: nil, error: "\(error)")
        }
    }

    /// Mean and (population) standard deviation of `spec`'s accuracy over seeded stratified
    /// folds of all rows; with `groups`, over stratified group folds that keep every group (the
    /// copies of one photo) in one fold. Folds that cannot be made, or a failed fold, make the
    /// whole estimate nil.
    /// - Parameters:
    ///   - spec: the configuration to score.
    ///   - x: all rows.
    ///   - labels: one label per row.
    ///   - groups: one group id per row, or nil when every row stands alone (default).
    ///   - folds: the number of folds.
    ///   - seed: the fold seed, also the classifier's (default 42).
    /// - Returns: the mean and standard deviation of the fold accuracies, or nil.
    public static func crossValidate(_ spec: ClassifierSpec, x: Matrix, labels: [Int], groups: [Int]? = nil,
                                     folds: Int, seed: UInt64 = 42) -> (mean: Double, std: Double)? {
        let splits = try? groups.map { try StratifiedSplit.kFold(labels: labels, groups: $0, folds: folds, seed: seed) }
            ?? StratifiedSplit.kFold(labels: labels, folds: folds, seed: seed)
        guard let splits else { return nil }
        var scores = [Double]()
        for split in splits {
            let outcome = evaluate(spec, seed: seed, train: x.rows(at: split.train), trainLabels: split.train.map { labels[$0] },
                                   test: x.rows(at: split.test), testLabels: split.test.map { labels[$0] })
            guard let accuracy = outcome.accuracy else { return nil }
            scores.append(accuracy)
        }
        let mean = scores.reduce(0, +) / Double(scores.count)
        let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)
        return (mean, variance.squareRoot())
    }
}
