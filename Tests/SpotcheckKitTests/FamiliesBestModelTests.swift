import ClassicML
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// Every family added for the cookbook's grid, as the winner of a run: saved to
/// `best_model.json`, loaded back as an `ImageModel` (what `spotcheck predict` does) and used on
/// the test photos, it labels them as the report says the run's fitted model did.
final class FamiliesBestModelTests: XCTestCase {
    /// Small settings, so ten runs fit in a moment; the photos are extracted once.
    private let specs: [ClassifierSpec] = [
        .decisionTree(), .extraTree(), .bagging(trees: 5), .adaBoost(estimators: 10), .gradientBoosting(estimators: 5),
        .histGradientBoosting(iterations: 5), .svc(), .mlp(hidden: 16, maxIterations: 50), .gaussianNB(), .lda,
    ]

    func testEveryNewFamilyRoundTripsThroughBestModelAndPredict() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch)
        for spec in specs {
            let out = scratch.appendingPathComponent("reports-\(spec.family.name)")
            var configuration = try SpotcheckConfiguration.images(dataset, extractors: ["squeezenet1_1"], classifiers: [],
                                                                  out: out, testFraction: 0.34, folds: 0)
            configuration.classifiers = [spec]
            configuration.storeFolder = scratch.appendingPathComponent("features")
            let result = try SpotcheckRun(configuration, observer: RecordingObserver()).execute()
            let best = try XCTUnwrap(result.report.best, spec.description)
            XCTAssertEqual(best.classifier, spec.description)
            let expected = try XCTUnwrap(best.testPredictions, spec.description)
            XCTAssertEqual(expected.count, result.report.split.testRows)

            let modelFile = try XCTUnwrap(result.modelFile, spec.description)
            XCTAssertEqual(modelFile.lastPathComponent, "best_model.json")
            let saved = try ModelFile.load(from: modelFile)
            XCTAssertEqual(saved.classifier.name, spec.description)
            XCTAssertEqual(saved.scaler != nil, spec.standardized, spec.description)
            let model = try ImageModel(contentsOf: modelFile, threads: 2)
            var labels = [String]()
            try model.predict(expected.map { dataset.appendingPathComponent($0.path) }, batchSize: 4, threads: 2,
                              each: { labels.append($0.className) }, failed: { XCTFail("\(spec): \($0)") })
            XCTAssertEqual(labels, expected.map(\.predictedClass), spec.description)
        }
    }
}
