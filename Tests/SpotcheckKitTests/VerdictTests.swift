import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// The verdict a person acts on: the winner is the cross-validation leader, its test accuracy
/// comes with an interval, the pairs tied with it are named, and stores are in a shuffled order.
final class VerdictTests: XCTestCase {
    /// The whole demo set with two backbones: the winner is the CV leader, ranks follow the
    /// documented order, and the tie group agrees with the corrected t-test on the fold scores.
    func testTheWinnerIsTheCrossValidationLeaderAndItsTiesAreNamed() throws {
        let scratch = try scratchDirectory(self)
        let configuration = try SpotcheckConfiguration.images(
            try demoFolder(), extractors: ["squeezenet1_1", "mobilenet_v2"],
            classifiers: ["LogisticRegression", "LinearSVC-0.01", "KNeighborsClf-3", "NearestCentroid", "RidgeClf-1", "ExtraTreesClf-100"],
            out: scratch)
        let result = try SpotcheckRun(configuration).execute()
        let report = result.report
        XCTAssertEqual(report.selection.folds, 5)
        XCTAssertEqual(report.selection.repeats, 1)
        let ranked = report.results.filter { $0.rank != nil }
        XCTAssertEqual(ranked.count, 12)
        XCTAssertEqual(ranked.map(\.rank), Array(1...12).map { Optional($0) })
        for (a, b) in zip(ranked, ranked.dropFirst()) {
            let (ma, mb) = (try XCTUnwrap(a.cvMean), try XCTUnwrap(b.cvMean))
            XCTAssertTrue(ma > mb || (ma == mb && (a.cvStd ?? 0) <= (b.cvStd ?? 0)), "\(a.classifier) before \(b.classifier)")
        }
        let winner = ranked[0]
        XCTAssertEqual(report.best?.classifier, winner.classifier)
        XCTAssertEqual(report.best?.extractor, winner.extractor)
        XCTAssertEqual(winner.cvScores?.count, 5)

        // Test accuracy with its Wilson interval over the 33 test images.
        for pair in ranked {
            XCTAssertEqual(pair.testImages, 33)
            XCTAssertEqual(try XCTUnwrap(pair.accuracy), Double(try XCTUnwrap(pair.testCorrect)) / 33, accuracy: 1e-12)
            let interval = WilsonInterval(correct: try XCTUnwrap(pair.testCorrect), total: 33)
            XCTAssertEqual(pair.testInterval, [interval.lower, interval.upper])
        }

        // Ties: exactly the pairs whose corrected t-test against the winner gives p ≥ 0.05.
        let expectedTies = ranked.dropFirst().filter { pair in
            let differences = zip(winner.cvScores ?? [], pair.cvScores ?? []).map { $0 - $1 }
            return PairedComparison.correctedResampledTTest(differences: differences, testToTrainRatio: 0.25) >= 0.05
        }
        XCTAssertEqual(report.selection.tied.map(\.classifier), expectedTies.map(\.classifier))
        XCTAssertEqual(ranked.dropFirst().filter { $0.tiedWithBest == true }.map(\.classifier), expectedTies.map(\.classifier))
        XCTAssertFalse(expectedTies.isEmpty, "on 132 training photos some pairs are indistinguishable")

        // The JSON and the HTML say so too.
        let json = try runReport(scratch)
        let selection = try XCTUnwrap(json["selection"] as? [String: Any])
        XCTAssertEqual((selection["tied"] as? [[String: String]])?.count, expectedTies.count)
        XCTAssertEqual(json["best_model"] as? String, winner.classifier)
        let html = try String(contentsOf: result.pageFile, encoding: .utf8)
        XCTAssertTrue(html.contains("\(expectedTies.count) pair\(expectedTies.count == 1 ? " is" : "s are") statistically tied with the best"))
        XCTAssertTrue(html.contains("<svg") && html.contains("stroke-width=\"1.5\""), "the chart draws error bars")
        let wrong = (report.best?.testPredictions ?? []).filter { $0.trueClass != $0.predictedClass }.count
        XCTAssertEqual(html.components(separatedBy: "data:image/jpeg;base64,").count - 1, wrong,
                       "one thumbnail per misclassified test image")
    }

    /// Too few images per class for the folds asked for: the largest k that works, said so.
    func testFoldsShrinkToTheSmallestClassAndTheReportSaysSo() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let observer = RecordingObserver()
        let result = try SpotcheckRun(try .images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid", "RidgeClf-1"],
                                                  out: scratch.appendingPathComponent("reports"), testFraction: 0.25),
                                      observer: observer).execute()
        XCTAssertEqual(result.report.selection.requestedFolds, 5)
        XCTAssertEqual(result.report.selection.folds, 3, "3 training photos in the smallest class")
        XCTAssertTrue(try XCTUnwrap(result.report.selection.note).contains("3-fold cross-validation is used instead of 5-fold"))
        XCTAssertTrue(observer.messages.contains { $0.contains("3-fold") }, "\(observer.messages)")
    }

    /// `folds 0` keeps the cookbook's way: ranked by the test split, ties by McNemar's test.
    func testWithoutFoldsTheTestSplitRanksAndMcNemarDecidesTies() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 8)
        let result = try SpotcheckRun(try .images(dataset, extractors: ["squeezenet1_1"],
                                                  classifiers: ["NearestCentroid", "RidgeClf-1", "KNeighborsClf-1"],
                                                  out: scratch.appendingPathComponent("reports"), testFraction: 0.5, folds: 0)).execute()
        let report = result.report
        XCTAssertEqual(report.selection.folds, 0)
        XCTAssertTrue(report.selection.tieTest.contains("McNemar"))
        XCTAssertEqual(report.best?.accuracy, report.results.compactMap(\.accuracy).max())
        XCTAssertTrue(report.results.allSatisfy { $0.cvMean == nil })
    }

    /// Stores hold their rows in a seeded random order, so the cookbook's head/tail split of a
    /// store scores within noise of a stratified split; the order is the same for the same seed.
    func testStoresAreShuffledSoAHeadTailSplitIsWithinNoiseOfAStratifiedOne() throws {
        let scratch = try scratchDirectory(self)
        var configuration = try SpotcheckConfiguration.images(try demoFolder(), extractors: ["mobilenet_v2"],
                                                              classifiers: ["LogisticRegression"], out: scratch, folds: 0)
        configuration.split.seed = 3
        _ = try SpotcheckRun(configuration).execute()
        let reader = try FeatureStoreReader(url: scratch.appendingPathComponent("features/mobilenet_v2.h5"))
        XCTAssertEqual(reader.attributes.integer(FeatureStoreAttributes.Key.rowOrderSeed), 3)
        let rows = try reader.readRows(0..<reader.rowCount)
        XCTAssertNotEqual(rows.labels, rows.labels.sorted(), "not one class after another")

        // The cookbook: train on the first 80 % of the file, test on the rest.
        let cut = rows.labels.count * 8 / 10
        XCTAssertEqual(Set(rows.labels[..<cut]).count, 5, "every class in the head")
        let entry = try ClassifierSpec(parsing: "LogisticRegression")
        let head = SpotCheck.evaluate(entry, train: rows.features.rows(at: Array(0..<cut)), trainLabels: Array(rows.labels[..<cut]),
                                      test: rows.features.rows(at: Array(cut..<rows.labels.count)),
                                      testLabels: Array(rows.labels[cut...]))
        let split = try StratifiedSplit.trainTest(labels: rows.labels, testFraction: 0.2, seed: 3)
        let stratified = SpotCheck.evaluate(entry, train: rows.features.rows(at: split.train), trainLabels: split.train.map { rows.labels[$0] },
                                            test: rows.features.rows(at: split.test), testLabels: split.test.map { rows.labels[$0] })
        let headAccuracy = try XCTUnwrap(head.accuracy), stratifiedAccuracy = try XCTUnwrap(stratified.accuracy)
        let interval = WilsonInterval(correct: Int((stratifiedAccuracy * Double(split.test.count)).rounded()), total: split.test.count)
        XCTAssertTrue((interval.lower...interval.upper).contains(headAccuracy),
                      "head/tail \(headAccuracy) vs stratified \(stratifiedAccuracy) \(interval)")
        XCTAssertGreaterThan(headAccuracy, 0.75)
    }
}
