import ClassicML
import FeatureStore
import FileSafety
import Foundation
import LinearAlgebra

/// One classifier fitted on a seeded stratified split of one feature store (spotcheck's or the
/// cookbook's h5py file) and scored on the held-out rows — `spotcheck train`.
public struct ClassifierTraining: Sendable {
    /// The feature store.
    public var store: URL
    /// The classifier.
    public var classifier: ClassifierSpec
    /// The split (its `folds` are not used).
    public var split: SplitOptions
    /// Use only this stratified share of the rows, chosen with the seed before splitting.
    public var subset: Double

    /// A training job.
    /// - Parameters:
    ///   - store: the feature store.
    ///   - classifier: the classifier.
    ///   - split: the split.
    ///   - subset: the share of rows used, in (0, 1] (default all).
    public init(store: URL, classifier: ClassifierSpec, split: SplitOptions, subset: Double = 1) {
        self.store = store
        self.classifier = classifier
        self.split = split
        self.subset = subset
    }

    /// What the fit achieved.
    public struct Outcome: Sendable {
        /// Scores on the held-out rows.
        public var metrics: ClassificationMetrics
        /// The fitted classifier and its scaler.
        public var fitted: FittedModel
        /// The names of `metrics.labels`, in order.
        public var labelNames: [String]
        /// The store's class names, by label.
        public var classNames: [String]
        /// Training rows.
        public var trainRows: Int
        /// Held-out rows.
        public var testRows: Int
        /// Values per row.
        public var dimension: Int
    }

    /// Fits and scores the classifier.
    /// - Parameter observer: told the sizes before fitting.
    /// - Returns: the scores and the fitted model.
    /// - Throws: `FeatureStoreError`, `ClassicMLError` for a split that cannot be made, or
    ///   `TrainingError.fitFailed` when the classifier fails.
    public func run(observer: any SpotcheckObserver = SilentObserver()) throws -> Outcome {
        let reader = try FeatureStoreReader(url: store)
        let all = try reader.readRows(0..<reader.rowCount)
        var rows = Array(0..<reader.rowCount)
        if subset < 1 {
            rows = try StratifiedSplit.trainTest(labels: all.labels, testFraction: subset, seed: split.seed).test
        }
        let labels = rows.map { all.labels[$0] }
        let parts = try StratifiedSplit.trainTest(labels: labels, testFraction: split.testFraction, seed: split.seed)
        let x = all.features.rows(at: rows)
        observer.observe(.note("\(classifier): \(parts.train.count) training rows, \(parts.test.count) test rows, \(reader.dimension) features"))
        let outcome = SpotCheck.evaluate(classifier, seed: split.seed, train: x.rows(at: parts.train), trainLabels: parts.train.map { labels[$0] },
                                         test: x.rows(at: parts.test), testLabels: parts.test.map { labels[$0] })
        guard let metrics = outcome.metrics, let fitted = outcome.fitted else {
            throw TrainingError.fitFailed(classifier: classifier.description, reason: outcome.error ?? "unknown")
        }
        let names = metrics.labels.map { reader.labelNames.indices.contains($0) ? reader.labelNames[$0] : String($0) }
        return Outcome(metrics: metrics, fitted: fitted, labelNames: names, classNames: reader.labelNames,
                       trainRows: parts.train.count, testRows: parts.test.count, dimension: reader.dimension)
    }

    /// Checks, before any work, that a model can be saved to `url`: not the store itself, a
    /// writable folder, and no file there unless `overwrite`.
    /// - Throws: `FileSafetyError` saying what is wrong.
    public func checkSaveDestination(_ url: URL, overwrite: Bool) throws {
        try OutputPaths.check([url], inputs: [store], replacing: overwrite)
    }

    /// Saves a fitted outcome as a model file that `predict` can use when spotcheck made the store.
    /// - Parameters:
    ///   - outcome: the fitted outcome of ``run(observer:)``.
    ///   - url: the model file.
    ///   - overwrite: replace an existing file.
    /// - Throws: `ClassicMLError.modelFile` when the file exists (without `overwrite`) or cannot be written.
    public func save(_ outcome: Outcome, to url: URL, overwrite: Bool) throws {
        let metadata = try ModelMetadata(classifier: classifier.description, store: store)
        let model = SavedModel(classifier: outcome.fitted.classifier, scaler: outcome.fitted.scaler,
                               classNames: outcome.classNames, metadata: metadata.dictionary)
        try ModelFile.save(model, to: url, overwrite: overwrite)
    }
}

/// Why one classifier could not be trained.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The classifier could not be fitted or could not predict.
    case fitFailed(classifier: String, reason: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .fitFailed(let classifier, let reason):
            return "\(classifier) failed: \(reason); check the store has at least two classes with finite features, or try another classifier"
        }
    }
}
