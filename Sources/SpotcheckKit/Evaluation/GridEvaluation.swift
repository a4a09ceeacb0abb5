import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra

/// Scores every classifier of the grid on one extractor's features with the run's shared split.
public struct GridEvaluation: Sendable {
    /// The best outcome of one extractor, with what the report and the model file need.
    public struct Best: Sendable {
        /// The winning entry's outcome (its fitted model included).
        public var outcome: SpotCheckOutcome
        /// The labels of the test rows, in order.
        public var testLabels: [Int]
        /// The keys of the test rows, in order.
        public var testPaths: [String]
    }

    /// The classifiers.
    public let entries: [GridEntry]
    /// Class names, by label.
    public let classes: [String]
    /// The shared split.
    public let split: RunSplit
    /// Cross-validation folds over all rows, when asked for.
    public let folds: Int?
    /// The fold seed.
    public let seed: UInt64

    /// An evaluation of `entries` under `split`.
    /// - Parameters:
    ///   - entries: the classifiers.
    ///   - classes: class names, by label.
    ///   - split: the shared split.
    ///   - folds: cross-validation folds (nil: none).
    ///   - seed: the fold seed.
    public init(entries: [GridEntry], classes: [String], split: RunSplit, folds: Int?, seed: UInt64) {
        self.entries = entries
        self.classes = classes
        self.split = split
        self.folds = folds
        self.seed = seed
    }

    /// Loads the store's rows for the split and evaluates every entry.
    /// - Parameters:
    ///   - extractor: the extractor's name.
    ///   - store: its feature store.
    ///   - observer: told each pair's result.
    /// - Returns: one result per entry and the extractor's best outcome (nil when all failed).
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    public func run(extractor: String, store: URL, observer: any SpotcheckObserver = SilentObserver()) throws
        -> (results: [SpotcheckReport.PairResult], best: Best?) {
        let reader = try FeatureStoreReader(url: store)
        let all = try reader.readRows(0..<reader.rowCount)
        let paths = try RunStores.keys(of: reader)
        let rowOf = Dictionary(paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let trainRows = split.trainKeys.compactMap { rowOf[$0] }
        let testRows = split.testKeys.compactMap { rowOf[$0] }
        let train = all.features.rows(at: trainRows), test = all.features.rows(at: testRows)
        let trainLabels = trainRows.map { all.labels[$0] }, testLabels = testRows.map { all.labels[$0] }
        let cvRows = trainRows + testRows
        let cvX = folds == nil ? nil : all.features.rows(at: cvRows)
        let cvLabels = cvRows.map { all.labels[$0] }
        let cvGroups = split.groupOf.map { groups in cvRows.map { groups[paths[$0]] ?? -1 - $0 } }

        var results = [SpotcheckReport.PairResult]()
        var best: Best?
        for entry in entries {
            let outcome = SpotCheck.evaluate(entry, train: train, trainLabels: trainLabels, test: test, testLabels: testLabels)
            var result = SpotcheckReport.PairResult(extractor: extractor, classifier: entry.name)
            result.fitSeconds = outcome.fitSeconds
            result.predictSeconds = outcome.predictSeconds
            if let metrics = outcome.metrics {
                result.accuracy = metrics.accuracy
                result.balancedAccuracy = metrics.balancedAccuracy
                result.macroF1 = metrics.macroF1
                if let folds, let cvX,
                   let cv = SpotCheck.crossValidate(entry, x: cvX, labels: cvLabels, groups: cvGroups, folds: folds, seed: seed) {
                    result.cvMean = cv.mean
                    result.cvStd = cv.std
                }
                if let accuracy = outcome.accuracy, accuracy > (best?.outcome.accuracy ?? -1) {
                    best = Best(outcome: outcome, testLabels: testLabels, testPaths: testRows.map { paths[$0] })
                }
            } else {
                result.error = outcome.error
            }
            observer.observe(.pairScored(result))
            results.append(result)
        }
        return (results, best)
    }

    /// The report's detail for an extractor's best outcome: confusion matrix and per-class scores
    /// over every class of the dataset, and optionally every test prediction.
    /// - Parameters:
    ///   - best: the extractor's best outcome.
    ///   - extractor: the extractor's name.
    ///   - featureFile: its store.
    ///   - withPredictions: include each test image's true and predicted class.
    /// - Returns: the detail, or nil when the outcome has no metrics.
    public func bestPair(_ best: Best, extractor: String, featureFile: String,
                         withPredictions: Bool = false) -> SpotcheckReport.BestPair? {
        guard let metrics = best.outcome.metrics, let accuracy = best.outcome.accuracy else { return nil }
        let labels = Array(0..<classes.count)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (truth, predicted) in zip(best.testLabels, best.outcome.predictions)
            where truth < labels.count && predicted < labels.count {
            confusion[truth][predicted] += 1
        }
        let perClass = labels.map { label -> SpotcheckReport.ClassScores in
            let i = metrics.labels.firstIndex(of: label)
            return SpotcheckReport.ClassScores(className: classes[label],
                                               precision: i.map { metrics.precision[$0] } ?? 0,
                                               recall: i.map { metrics.recall[$0] } ?? 0,
                                               f1: i.map { metrics.f1[$0] } ?? 0,
                                               support: i.map { metrics.support[$0] } ?? 0)
        }
        let predictions = withPredictions ? zip(best.testPaths, zip(best.testLabels, best.outcome.predictions)).map {
            SpotcheckReport.TestPrediction(path: $0.0, trueClass: classes[$0.1.0], predictedClass: classes[$0.1.1])
        } : nil
        return SpotcheckReport.BestPair(extractor: extractor, classifier: best.outcome.name, accuracy: accuracy,
                                        featureFile: featureFile, confusionMatrix: confusion, perClass: perClass,
                                        testPredictions: predictions)
    }
}
