import ClassicML
import FeatureStore
import FileSafety
import Foundation

/// Out-of-core learning set up the way `spotcheck incremental` does it: the training rows and
/// an optional test pass from CSV files or a feature store, and a fresh or resumed online
/// pipeline that is checked against them.
public enum IncrementalLearning {
    /// The settings of a fresh pipeline; nil means the learner's default (a resumed pipeline
    /// keeps its own, and a value that differs from it is refused).
    public struct Settings: Sendable, Equatable {
        /// The binary learner inside one-vs-rest.
        public var learner: OnlineLearner?
        /// The weight learning rate.
        public var learningRate: Double?
        /// The L2 penalty.
        public var l2: Double?

        /// Settings; every value defaults to the learner's own.
        public init(learner: OnlineLearner? = nil, learningRate: Double? = nil, l2: Double? = nil) {
            self.learner = learner
            self.learningRate = learningRate
            self.l2 = l2
        }
    }

    /// The training rows and the test rows of a feature store: all of `store` against all of
    /// `testStore`, or else a seeded stratified split of `store`.
    /// - Throws: `FeatureStoreError`, `ClassicMLError` for a split that cannot be made.
    public static func sources(store: URL, testStore: URL?, split: SplitOptions) throws
        -> (train: FeatureStoreRowSource, test: FeatureStoreRowSource) {
        let reader = try FeatureStoreReader(url: store)
        if let testStore {
            return (try FeatureStoreRowSource(reader, rows: nil, part: "train"),
                    try FeatureStoreRowSource(try FeatureStoreReader(url: testStore), rows: nil, part: "test"))
        }
        let parts = try StratifiedSplit.trainTest(labels: reader.labels(), testFraction: split.testFraction, seed: split.seed)
        return (try FeatureStoreRowSource(reader, rows: parts.train, part: "train"),
                try FeatureStoreRowSource(reader, rows: parts.test, part: "test"))
    }

    /// Checks, before any learning, that the learned state can be saved to `url`: not one of the
    /// input files (the pipeline being resumed may be replaced), and a writable folder.
    /// - Parameters:
    ///   - url: where the state will be saved.
    ///   - inputs: the files the rows come from.
    /// - Throws: `FileSafetyError` saying what is wrong.
    public static func checkSaveDestination(_ url: URL, inputs: [URL]) throws {
        try OutputPaths.check([url], inputs: inputs, replacing: true)
    }

    /// A fresh pipeline for rows with `featureNames`, or the one saved in `resume` after checking
    /// it was learned on the same columns and that `settings` agree with it.
    /// - Parameters:
    ///   - featureNames: the training source's feature columns.
    ///   - source: the training source's name, for messages.
    ///   - settings: the requested learner, rate and penalty.
    ///   - resume: a saved pipeline to continue, if any.
    /// - Returns: the pipeline.
    /// - Throws: `ClassicMLError` for an unreadable saved pipeline, `IncrementalError` when it
    ///   does not fit the rows or the settings.
    public static func model(featureNames: [String], source: String, settings: Settings,
                             resume: URL?) throws -> OnlineClassifier {
        guard let resume else {
            return try OnlineClassifier(featureCount: featureNames.count, learner: settings.learner ?? .logreg,
                                        learningRate: settings.learningRate, l2: settings.l2 ?? 0,
                                        featureNames: featureNames)
        }
        let model = try OnlineClassifier(contentsOf: resume)
        let saved = model.state
        if let names = saved.featureNames, names != featureNames {
            throw IncrementalError.otherColumns(model: resume.path, source: source)
        }
        guard saved.scaler.featureCount == featureNames.count else {
            throw IncrementalError.otherWidth(model: resume.path, features: saved.scaler.featureCount,
                                              source: source, sourceFeatures: featureNames.count)
        }
        let classifier = saved.classifier
        if let learner = settings.learner, learner != classifier.learner {
            throw IncrementalError.settingDiffers(setting: "learner", requested: learner.rawValue, saved: classifier.learner.rawValue)
        }
        if let rate = settings.learningRate, rate != classifier.learningRate {
            throw IncrementalError.settingDiffers(setting: "learning rate", requested: "\(rate)", saved: "\(classifier.learningRate)")
        }
        if let l2 = settings.l2, l2 != classifier.l2 {
            throw IncrementalError.settingDiffers(setting: "l2", requested: "\(l2)", saved: "\(classifier.l2)")
        }
        return model
    }
}

/// Why out-of-core learning cannot start with the given rows and pipeline.
public enum IncrementalError: Error, Equatable, CustomStringConvertible {
    /// A resumed pipeline was learned on other feature columns.
    case otherColumns(model: String, source: String)
    /// A resumed pipeline has another number of features.
    case otherWidth(model: String, features: Int, source: String, sourceFeatures: Int)
    /// A requested setting differs from the resumed pipeline's.
    case settingDiffers(setting: String, requested: String, saved: String)
    /// The test rows have other feature columns than the training rows.
    case testColumnsDiffer(train: String, test: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .otherColumns(let model, let source):
            return "\(model) was learned on other feature columns than \(source)'s; resume on data with the same features"
        case .otherWidth(let model, let features, let source, let sourceFeatures):
            return "\(model) has \(features) features, \(source) has \(sourceFeatures); resume on data with the same features"
        case .settingDiffers(let setting, let requested, let saved):
            return "the requested \(setting) \(requested) differs from the resumed model's (\(saved)); a resumed model keeps its own"
        case .testColumnsDiffer(let train, let test):
            return "\(test) has different feature columns than \(train); test on data with the same features"
        }
    }
}
