import ClassicML
import Foundation
import LinearAlgebra

/// Scores every classifier of the grid on one extractor's features: cross-validated on the
/// training rows (the ranking), then fitted on all training rows and scored once on the test rows
/// (the honest estimate and the saved model).
public struct GridEvaluation: Sendable {
    /// One pair's evaluation: its result as reported (cross-validation, test scores, timings or
    /// error), its prediction for every test row, and its fitted model. What a `fit` task of a
    /// planned run saves, and what the ranking is made from.
    public struct PairEvaluation: Sendable {
        /// The result, as reported (not yet ranked).
        public var result: SpotcheckReport.PairResult
        /// The predicted label of each test row, in the split's test order (empty when it failed).
        public var predictions: [Int]
        /// The classifier fitted on all training rows, with its scaler (nil when it failed or
        /// was not kept).
        public var fitted: FittedModel?
    }

    /// The best pair of one extractor so far, with what the report and the model file need.
    public struct Best: Sendable {
        /// Its result, as reported.
        public var result: SpotcheckReport.PairResult
        /// Its prediction for every test row.
        public var predictions: [Int]
        /// Its fitted classifier and scaler.
        public var fitted: FittedModel?
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
            collected.store(evaluate(position, extractor: extractor, rows: rows), at: position, index: index, rows: rows)
        }
        for scored in collected.all { observer.observe(.pairScored(scored.result)) }
        return (collected.all, collected.best)
    }

    /// Ranks pairs evaluated elsewhere (the `fit` tasks of a planned run) as ``run`` ranks its own.
    /// - Parameters:
    ///   - evaluations: each classifier's evaluation, by grid position.
    ///   - index: the extractor's place in the run's extractor order.
    ///   - rows: the extractor's rows for the split.
    /// - Returns: every pair's scores and the extractor's best pair (nil when all failed).
    func rank(_ evaluations: [PairEvaluation], index: Int, rows: ExtractorRows) -> (scored: [Scored], best: Best?) {
        let collected = ScoredPairs(count: evaluations.count)
        for (position, evaluation) in evaluations.enumerated() {
            collected.store(evaluation, at: position, index: index, rows: rows)
        }
        return (collected.all, collected.best)
    }

    /// Evaluates the classifier at `position` alone on one extractor's store: what one
    /// `fit` task of a planned run does, exactly as ``run`` evaluates each of its pairs.
    /// - Parameters:
    ///   - position: the classifier's place in ``specs``.
    ///   - extractor: the extractor's name.
    ///   - store: its feature store.
    /// - Returns: the pair's evaluation.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    public func evaluatePair(_ position: Int, extractor: String, store: URL) throws -> PairEvaluation {
        evaluate(position, extractor: extractor, rows: try ExtractorRows(store: store, split: split))
    }

    /// Cross-validates one classifier on the training rows, then fits it on all of them and scores it
    /// on the test rows.
    func evaluate(_ position: Int, extractor: String, rows: ExtractorRows) -> PairEvaluation {
        let spec = specs[position]
        var result = SpotcheckReport.PairResult(extractor: extractor, classifier: spec.description)
        crossValidate(spec, rows: rows, result: &result)
        let outcome = SpotCheck.evaluate(spec, seed: seed, train: rows.train, trainLabels: rows.trainLabels,
                                         test: rows.test, testLabels: rows.testLabels)
        result.fitSeconds = outcome.fitSeconds
        result.predictSeconds = outcome.predictSeconds
        if let metrics = outcome.metrics, result.error == nil {
            let correct = zip(rows.testLabels, outcome.predictions).filter { $0 == $1 }.count
            let interval = WilsonInterval(correct: correct, total: rows.testLabels.count)
            result.accuracy = metrics.accuracy
            result.testCorrect = correct
            result.testImages = rows.testLabels.count
            result.testInterval = [interval.lower, interval.upper]
            result.balancedAccuracy = metrics.balancedAccuracy
            result.macroF1 = metrics.macroF1
            return PairEvaluation(result: result, predictions: outcome.predictions, fitted: outcome.fitted)
        }
        result.error = result.error ?? outcome.error
        result.cvScores = nil
        result.cvMean = nil
        result.cvStd = nil
        return PairEvaluation(result: result, predictions: [], fitted: nil)
    }

    /// What the ranking and the tie test need of an evaluated pair.
    static func scored(_ evaluation: PairEvaluation, position: Int, index: Int, testLabels: [Int]) -> Scored {
        let result = evaluation.result
        guard result.error == nil, result.accuracy != nil else {
            return Scored(result: result, scores: PairScores(folds: [], testCorrect: []), key: nil)
        }
        return Scored(result: result,
                      scores: PairScores(folds: result.cvScores ?? [], testCorrect: zip(testLabels, evaluation.predictions).map { $0 == $1 }),
                      key: Selection.key(result, extractor: index, classifier: position))
    }

    /// Accuracy of `spec` on each resample of the training rows; sets the result's CV fields,
    /// or its error when a fold fails (a pair that fails on a fold is not ranked).
    /// (The fold scores are the tie test's input: ``scored(_:position:index:testLabels:)``.)
    private func crossValidate(_ spec: ClassifierSpec, rows: ExtractorRows, result: inout SpotcheckReport.PairResult) {
        guard !plan.resamples.isEmpty else { return }
        let start = Date()
        var scores = [Double]()
        for (fold, resample) in plan.resamples.enumerated() {
            let outcome = SpotCheck.evaluate(spec, seed: seed, train: rows.train.rows(at: resample.train),
                                             trainLabels: resample.train.map { rows.trainLabels[$0] },
                                             test: rows.train.rows(at: resample.test),
                                             testLabels: resample.test.map { rows.trainLabels[$0] })
            guard let accuracy = outcome.accuracy else {
                result.error = "cross-validation fold \(fold + 1): \(outcome.error ?? "failed")"
                return
            }
            scores.append(accuracy)
        }
        let mean = scores.reduce(0, +) / Double(scores.count)
        result.cvScores = scores
        result.cvMean = mean
        result.cvStd = (scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)).squareRoot()
        result.cvSeconds = Date().timeIntervalSince(start)
    }

    /// The report's detail for an extractor's best pair: confusion matrix and per-class scores
    /// over every class of the dataset, and optionally every test prediction.
    /// - Parameters:
    ///   - best: the extractor's best pair.
    ///   - featureFile: its store.
    ///   - withPredictions: include each test image's true and predicted class.
    /// - Returns: the detail, or nil when the pair has no test metrics.
    public func bestPair(_ best: Best, featureFile: String, withPredictions: Bool = false) -> SpotcheckReport.BestPair? {
        guard let metrics = try? ClassificationMetrics(truth: best.testLabels, predicted: best.predictions),
              let accuracy = best.result.accuracy else { return nil }
        let labels = Array(0..<classes.count)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (truth, predicted) in zip(best.testLabels, best.predictions)
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
        let predictions = withPredictions ? zip(best.testKeys, zip(best.testLabels, best.predictions)).map {
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

    /// Files a pair's scores; it replaces the best pair when it ranks higher.
    func store(_ evaluation: GridEvaluation.PairEvaluation, at position: Int, index: Int, rows: ExtractorRows) {
        let scored = GridEvaluation.scored(evaluation, position: position, index: index, testLabels: rows.testLabels)
        lock.lock(); defer { lock.unlock() }
        slots[position] = scored
        if let key = scored.key, leader.map({ key < $0.key }) ?? true {
            leader = GridEvaluation.Best(result: scored.result, predictions: evaluation.predictions, fitted: evaluation.fitted,
                                         testLabels: rows.testLabels, testKeys: rows.testKeys, key: key)
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
