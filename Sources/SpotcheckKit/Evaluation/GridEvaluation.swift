import ClassicML
import Foundation
import LinearAlgebra

/// Scores every classifier of the grid on one extractor's features: cross-validated on the
/// training rows (the ranking), then fitted on all training rows and scored once on the test rows
/// (the honest estimate and the saved model).
public struct GridEvaluation: Sendable {
    /// The best pair of one extractor so far, with what the report and the model file need.
    public struct Best: Sendable {
        /// The winning classifier's outcome on the test split (its fitted model included).
        public var outcome: SpotCheckOutcome
        /// Its result, as reported.
        public var result: SpotcheckReport.PairResult
        /// The labels of the test rows, in order.
        public var testLabels: [Int]
        /// The keys of the test rows, in order.
        public var testKeys: [String]
        var key: Selection.Key
    }

    /// One pair's scores: the report's result and what the tie test needs.
    struct Scored: Sendable {
        var result: SpotcheckReport.PairResult
        var scores: PairScores
        var key: Selection.Key?
    }

    /// The classifiers.
    public let specs: [ClassifierSpec]
    /// The seed of randomised classifiers.
    public let seed: UInt64
    /// Class names, by label.
    public let classes: [String]
    /// The shared split.
    public let split: RunSplit
    /// The shared resamples of the training rows.
    public let plan: CrossValidationPlan

    /// An evaluation of `specs`.
    /// - Parameters:
    ///   - specs: the classifiers.
    ///   - seed: the seed of randomised classifiers (default 42).
    ///   - classes: class names, by label.
    ///   - split: the shared split.
    ///   - plan: the shared resamples of the training rows.
    public init(specs: [ClassifierSpec], seed: UInt64 = 42, classes: [String], split: RunSplit, plan: CrossValidationPlan) {
        self.specs = specs
        self.seed = seed
        self.classes = classes
        self.split = split
        self.plan = plan
    }

    /// Scores every classifier on the store of the `index`-th extractor.
    /// - Parameters:
    ///   - extractor: the extractor's name.
    ///   - index: its place in the run's extractor order (the tie-break).
    ///   - store: its feature store.
    ///   - observer: told each pair's result.
    /// - Returns: every pair's scores and the extractor's best pair (nil when all failed).
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    func run(extractor: String, index: Int, store: URL, observer: any SpotcheckObserver) throws -> (scored: [Scored], best: Best?) {
        let rows = try ExtractorRows(store: store, split: split)
        // Pairs are independent: two workers score them, and only the best fitted model so far
        // is kept (a wide kNN model holds a copy of the training rows).
        let collected = ScoredPairs(count: specs.count)
        DispatchQueue.concurrentPerform(iterations: specs.count) { position in
            let (scored, outcome) = score(specs[position], position: position, extractor: extractor, index: index, rows: rows)
            collected.store(scored, at: position, outcome: outcome, rows: rows)
        }
        for scored in collected.all { observer.observe(.pairScored(scored.result)) }
        return (collected.all, collected.best)
    }

    /// Cross-validates one classifier on the training rows, then fits it on all of them and scores it
    /// on the test rows.
    private func score(_ spec: ClassifierSpec, position: Int, extractor: String, index: Int,
                       rows: ExtractorRows) -> (Scored, SpotCheckOutcome) {
        var result = SpotcheckReport.PairResult(extractor: extractor, classifier: spec.description)
        let folds = crossValidate(spec, rows: rows, result: &result)
        let outcome = SpotCheck.evaluate(spec, seed: seed, train: rows.train, trainLabels: rows.trainLabels,
                                         test: rows.test, testLabels: rows.testLabels)
        result.fitSeconds = outcome.fitSeconds
        result.predictSeconds = outcome.predictSeconds
        var testCorrect = [Bool]()
        if let metrics = outcome.metrics, result.error == nil {
            testCorrect = zip(rows.testLabels, outcome.predictions).map { $0 == $1 }
            let correct = testCorrect.filter { $0 }.count
            let interval = WilsonInterval(correct: correct, total: testCorrect.count)
            result.accuracy = metrics.accuracy
            result.testCorrect = correct
            result.testImages = testCorrect.count
            result.testInterval = [interval.lower, interval.upper]
            result.balancedAccuracy = metrics.balancedAccuracy
            result.macroF1 = metrics.macroF1
        } else {
            result.error = result.error ?? outcome.error
            result.cvScores = nil
            result.cvMean = nil
            result.cvStd = nil
        }
        let key = result.error == nil ? Selection.key(result, extractor: index, classifier: position) : nil
        return (Scored(result: result, scores: PairScores(folds: folds, testCorrect: testCorrect), key: key), outcome)
    }

    /// Accuracy of `spec` on each resample of the training rows; sets the result's CV fields,
    /// or its error when a fold fails (a pair that fails on a fold is not ranked).
    private func crossValidate(_ spec: ClassifierSpec, rows: ExtractorRows, result: inout SpotcheckReport.PairResult) -> [Double] {
        guard !plan.resamples.isEmpty else { return [] }
        let start = Date()
        var scores = [Double]()
        for (fold, resample) in plan.resamples.enumerated() {
            let outcome = SpotCheck.evaluate(spec, seed: seed, train: rows.train.rows(at: resample.train),
                                             trainLabels: resample.train.map { rows.trainLabels[$0] },
                                             test: rows.train.rows(at: resample.test),
                                             testLabels: resample.test.map { rows.trainLabels[$0] })
            guard let accuracy = outcome.accuracy else {
                result.error = "cross-validation fold \(fold + 1): \(outcome.error ?? "failed")"
                return []
            }
            scores.append(accuracy)
        }
        let mean = scores.reduce(0, +) / Double(scores.count)
        result.cvScores = scores
        result.cvMean = mean
        result.cvStd = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
        result.cvSeconds = Date().timeIntervalSince(start)
        return scores
    }

    /// The report's detail for an extractor's best pair: confusion matrix and per-class scores
    /// over every class of the dataset, and optionally every test prediction.
    /// - Parameters:
    ///   - best: the extractor's best pair.
    ///   - featureFile: its store.
    ///   - withPredictions: include each test image's true and predicted class.
    /// - Returns: the detail, or nil when the pair has no test metrics.
    public func bestPair(_ best: Best, featureFile: String, withPredictions: Bool = false) -> SpotcheckReport.BestPair? {
        guard let metrics = best.outcome.metrics, let accuracy = best.result.accuracy else { return nil }
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
        let predictions = withPredictions ? zip(best.testKeys, zip(best.testLabels, best.outcome.predictions)).map {
            SpotcheckReport.TestPrediction(path: $0.0, trueClass: classes[$0.1.0], predictedClass: classes[$0.1.1])
        } : nil
        return SpotcheckReport.BestPair(extractor: best.result.extractor, classifier: best.result.classifier,
                                        accuracy: accuracy, testInterval: best.result.testInterval ?? [0, 1],
                                        testImages: best.result.testImages ?? 0, cvMean: best.result.cvMean,
                                        cvStd: best.result.cvStd, featureFile: featureFile, confusionMatrix: confusion,
                                        perClass: perClass, testPredictions: predictions)
    }
}

/// The scored pairs of one extractor, filled by concurrent workers, keeping the fitted model of
/// the best pair only.
private final class ScoredPairs: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [GridEvaluation.Scored?]
    private var leader: GridEvaluation.Best?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Files a pair's scores; its outcome replaces the best one when it ranks higher.
    func store(_ scored: GridEvaluation.Scored, at position: Int, outcome: SpotCheckOutcome, rows: ExtractorRows) {
        lock.lock(); defer { lock.unlock() }
        slots[position] = scored
        if let key = scored.key, leader.map({ key < $0.key }) ?? true {
            leader = GridEvaluation.Best(outcome: outcome, result: scored.result, testLabels: rows.testLabels,
                                       testKeys: rows.testKeys, key: key)
        }
    }

    /// The best pair, with its fitted model.
    var best: GridEvaluation.Best? {
        lock.lock(); defer { lock.unlock() }
        return leader
    }

    /// Every pair, in grid order.
    var all: [GridEvaluation.Scored] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
