import ClassicML
import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// End-to-end runs of `spotcheck train` on a cookbook-layout file written by h5py (float64
/// features, no paths, no attributes), checked against scikit-learn's predictions and report
/// (fixtures of scripts/fixtures/sklearn_report_fixture.py).
final class TrainCommandTests: XCTestCase {
    private struct Fixture {
        let labels: [Int]
        let names: [String]
        let sklearnPredictions: [Int]
        let json: [String: Any]
    }

    private func fixture() throws -> Fixture {
        let json = try jsonFixture("cookbook_train.json")
        return Fixture(labels: try XCTUnwrap(json["labels"] as? [Int]), names: try XCTUnwrap(json["label_names"] as? [String]),
                       sklearnPredictions: try XCTUnwrap(json["nearest_centroid_predictions"] as? [Int]), json: json)
    }

    /// Our report of scikit-learn's predictions over all rows equals scikit-learn's own text, so
    /// the expected outputs below are scikit-learn's report layout on the test rows.
    func testReportOfSklearnPredictionsMatchesSklearnText() throws {
        let data = try fixture()
        let metrics = try ClassificationMetrics(truth: data.labels, predicted: data.sklearnPredictions)
        XCTAssertEqual(try metrics.report(targetNames: data.names), data.json["report_all_rows"] as? String)
        XCTAssertEqual(metrics.confusion, data.json["confusion_all_rows"] as? [[Int]])
    }

    /// NearestCentroid through `train` predicts exactly what scikit-learn's does on the held-out
    /// rows of the seeded split: the printed report and confusion matrix say so.
    func testTrainOnCookbookFileReportsSklearnNumbers() throws {
        let data = try fixture()
        let store = try fixtureURL("cookbook_train.h5").path
        let result = try runTool(try spotcheckExecutable(), ["train", "--features", store, "--classifier", "NearestCentroid",
                                                             "--test-fraction", "0.25", "--seed", "5"])
        XCTAssertEqual(result.status, 0, result.stderr)

        let test = try StratifiedSplit.trainTest(labels: data.labels, testFraction: 0.25, seed: 5).test
        let truth = test.map { data.labels[$0] }, predicted = test.map { data.sklearnPredictions[$0] }
        XCTAssertNotEqual(truth, predicted, "the fixture must contain errors in the test rows")
        let expectedReport = try ClassificationMetrics(truth: truth, predicted: predicted).report(targetNames: data.names)
        XCTAssertTrue(result.stdout.hasPrefix(expectedReport), "got:\n\(result.stdout)\nexpected:\n\(expectedReport)")

        var confusion = [[Int]](repeating: [Int](repeating: 0, count: data.names.count), count: data.names.count)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
        let printed = result.stdout.split(separator: "\n").suffix(data.names.count).map { line in
            line.split(separator: " ").prefix(data.names.count).compactMap { Int($0) }
        }
        XCTAssertEqual(printed, confusion)
    }

    /// `--save` writes a model whose predictions on the held-out rows reproduce the printed report;
    /// LogisticRegressionCV is saved, with the class names, scaler and metadata.
    func testSavedModelReproducesTheReport() throws {
        let data = try fixture()
        let directory = try scratchDirectory(self)
        let store = try fixtureURL("cookbook_train.h5")
        let modelURL = directory.appendingPathComponent("model.json")
        let spotcheck = try spotcheckExecutable()
        let arguments = ["train", "--features", store.path, "--classifier", "LogisticRegressionCV", "--save", modelURL.path]
        let result = try runTool(spotcheck, arguments)
        XCTAssertEqual(result.status, 0, result.stderr)

        let model = try ModelFile.load(from: modelURL)
        XCTAssertEqual(model.classNames, data.names)
        XCTAssertEqual(model.metadata["feature_store"], store.path)
        XCTAssertNil(model.metadata["backbone"], "a cookbook file names no backbone")
        let classifier = try XCTUnwrap(model.classifier as? LogisticRegressionCV)
        XCTAssertNotNil(classifier.chosenC)
        let scaler = try XCTUnwrap(model.scaler, "LogisticRegressionCV is scaled as LogisticRegression is")

        let features = try FeatureStoreReader(url: store).readRows(0..<data.labels.count).features
        let test = try StratifiedSplit.trainTest(labels: data.labels, testFraction: 0.2, seed: 42).test
        let predicted = classifier.predict(try scaler.transform(features.rows(at: test)))
        let report = try ClassificationMetrics(truth: test.map { data.labels[$0] }, predicted: predicted)
            .report(targetNames: data.names)
        XCTAssertTrue(result.stdout.hasPrefix(report), "got:\n\(result.stdout)\nexpected:\n\(report)")

        let again = try runTool(spotcheck, arguments)
        XCTAssertNotEqual(again.status, 0, "an existing model file must not be replaced without --overwrite")
        XCTAssertNotNil(try? ModelFile.load(from: modelURL))
    }

    /// `--subset` keeps a stratified share of the rows before splitting; unknown names are refused
    /// with the accepted ones listed.
    func testSubsetAndUnknownClassifier() throws {
        let store = try fixtureURL("cookbook_train.h5").path
        let spotcheck = try spotcheckExecutable()
        let half = try runTool(spotcheck, ["train", "--features", store, "--classifier", "KNeighborsClf-2", "--subset", "0.5"])
        XCTAssertEqual(half.status, 0, half.stderr)
        let accuracyLine = try XCTUnwrap(half.stdout.split(separator: "\n").first { $0.contains("accuracy") })
        // 15 rows per class remain; 3 of each are held out.
        XCTAssertEqual(accuracyLine.split(separator: " ").last, "12")

        let unknown = try runTool(spotcheck, ["train", "--features", store, "--classifier", "LinearSVC-zero"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("C must be a number > 0"), unknown.stderr)
    }
}
