import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra

/// Scores every grid entry on one backbone's features with the run's shared split.
struct GridEvaluation {
    /// The best outcome of one backbone, with what the report and the model file need.
    struct Best {
        var outcome: SpotCheckOutcome
        var testLabels: [Int]
        var testPaths: [String]
    }

    let specs: [ClassifierSpec]
    let classes: [String]
    /// Relative paths of the training and test samples (shared by every backbone).
    let trainPaths: [String]
    let testPaths: [String]
    /// The source-photo group of each row key, when copies of one photo must stay together.
    let groupOf: [String: Int]?
    let folds: Int?
    let seed: UInt64

    /// Loads the store's rows for the split and evaluates every entry, printing a line each.
    /// - Returns: one result per entry and the backbone's best outcome (nil when all failed).
    func run(extractor: String, store: URL) throws -> (results: [SpotcheckReport.Result], best: Best?) {
        let reader = try FeatureStoreReader(url: store)
        let all = try reader.readRows(0..<reader.rowCount)
        let paths = try RunStores.keys(of: reader)
        let rowOf = Dictionary(paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let trainRows = trainPaths.compactMap { rowOf[$0] }
        let testRows = testPaths.compactMap { rowOf[$0] }
        let train = all.features.rows(at: trainRows), test = all.features.rows(at: testRows)
        let trainLabels = trainRows.map { all.labels[$0] }, testLabels = testRows.map { all.labels[$0] }
        let cvRows = trainRows + testRows
        let cvX = folds == nil ? nil : all.features.rows(at: cvRows)
        let cvLabels = cvRows.map { all.labels[$0] }
        let cvGroups = groupOf.map { groups in cvRows.map { groups[paths[$0]] ?? -1 - $0 } }

        var results = [SpotcheckReport.Result]()
        var best: Best?
        for spec in specs {
            let outcome = SpotCheck.evaluate(spec, seed: seed, train: train, trainLabels: trainLabels, test: test,
                                             testLabels: testLabels)
            var result = SpotcheckReport.Result(extractor: extractor, classifier: spec.description)
            result.fitSeconds = outcome.fitSeconds
            result.predictSeconds = outcome.predictSeconds
            if let metrics = outcome.metrics {
                result.accuracy = metrics.accuracy
                result.balancedAccuracy = metrics.balancedAccuracy
                result.macroF1 = metrics.macroF1
                if let folds, let cvX,
                   let cv = SpotCheck.crossValidate(spec, x: cvX, labels: cvLabels, groups: cvGroups, folds: folds, seed: seed) {
                    result.cvMean = cv.mean
                    result.cvStd = cv.std
                }
                if let accuracy = outcome.accuracy, accuracy > (best?.outcome.accuracy ?? -1) {
                    best = Best(outcome: outcome, testLabels: testLabels, testPaths: testRows.map { paths[$0] })
                }
                Terminal.note(String(format: "  %@ + %@: accuracy %.3f (fit %.2f s)", extractor, spec.description,
                                     metrics.accuracy, outcome.fitSeconds))
            } else {
                result.error = outcome.error
                Terminal.note("  \(extractor) + \(spec.description): FAILED — \(outcome.error ?? "unknown error")")
            }
            results.append(result)
        }
        return (results, best)
    }

    /// The report's detail for a backbone's best outcome: confusion matrix and per-class scores
    /// over every class of the dataset.
    func bestPair(_ best: Best, extractor: String, featureFile: String,
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
