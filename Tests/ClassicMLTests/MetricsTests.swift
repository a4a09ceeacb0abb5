import ClassicML
import XCTest

/// Metrics and the text report against scikit-learn's on the same label vectors.
final class MetricsTests: XCTestCase {
    private func check(_ expected: [String: Any], _ context: String) throws {
        let truth = try XCTUnwrap(expected["truth"] as? [Int])
        let predicted = try XCTUnwrap(expected["predicted"] as? [Int])
        let metrics = try ClassificationMetrics(truth: truth, predicted: predicted)
        XCTAssertEqual(metrics.labels, try XCTUnwrap(expected["labels"] as? [Int]), context)
        XCTAssertEqual(metrics.confusion, try XCTUnwrap(expected["confusion"] as? [[Int]]), context)
        XCTAssertEqual(metrics.support, try XCTUnwrap(expected["support"] as? [Int]), context)
        for (ours, key) in [(metrics.precision, "precision"), (metrics.recall, "recall"), (metrics.f1, "f1")] {
            let theirs = try XCTUnwrap(expected[key] as? [Double])
            XCTAssertEqual(ours.count, theirs.count)
            for (a, b) in zip(ours, theirs) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(context) \(key)") }
        }
        XCTAssertEqual(metrics.accuracy, try XCTUnwrap(expected["accuracy"] as? Double), accuracy: 1e-12, context)
        XCTAssertEqual(metrics.balancedAccuracy, try XCTUnwrap(expected["balanced_accuracy"] as? Double),
                       accuracy: 1e-12, context)
        XCTAssertEqual(metrics.macroF1, try XCTUnwrap(expected["macro_f1"] as? Double), accuracy: 1e-12, context)
        let report = try metrics.report(targetNames: expected["target_names"] as? [String])
        XCTAssertEqual(report, try XCTUnwrap(expected["report"] as? String), context)
    }

    func testMetricsAndReportMatchScikitLearnOnKNeighborsPredictions() throws {
        for name in fixtureNames {
            try check(try XCTUnwrap(try sklearnExpected(name)["metrics_knn5"] as? [String: Any]), name)
        }
    }

    func testMetricsAndReportMatchScikitLearnWithAbsentClassesAndNames() throws {
        try check(try XCTUnwrap(try json("sklearn_core_expected.json")["edge"] as? [String: Any]), "edge")
    }

    func testMismatchedLengthsAreRejected() {
        XCTAssertThrowsError(try ClassificationMetrics(truth: [0, 1], predicted: [0]))
        XCTAssertThrowsError(try ClassificationMetrics(truth: [0, 1], predicted: [0, 1]).report(targetNames: ["a"]))
    }
}
