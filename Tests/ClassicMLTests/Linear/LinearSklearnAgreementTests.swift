import ClassicML
import LinearAlgebra
import XCTest

/// The linear classifiers against scikit-learn's results on the same standardised splits
/// (fixture made by `scripts/fixtures/sklearn_linear_expected.py`).
final class LinearSklearnAgreementTests: XCTestCase {
    /// Test accuracy within 1.5 points of scikit-learn's, for a deterministic optimum.
    private func assertAccuracy<C: Classifier>(_ make: () -> C, key: String,
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        for name in fixtureNames {
            let data = try StandardisedDataset.load(name)
            var model = make()
            try model.fit(data.trainX, data.trainY)
            let ours = data.accuracy(model.predict(data.testX))
            let accuracy = try XCTUnwrap(try sklearnLinearExpected(name)["accuracy"] as? [String: Double])
            let theirs = try XCTUnwrap(accuracy[key])
            XCTAssertEqual(ours, theirs, accuracy: 0.015, "\(key) on \(name)", file: file, line: line)
        }
    }

    func testLogisticRegressionAccuracy() throws {
        try assertAccuracy({ LogisticRegression() }, key: "LogisticRegression")
    }

    func testLinearSVCAccuracy() throws {
        try assertAccuracy({ LinearSVC() }, key: "LinearSVC")
    }

    func testRidgeClassifierAccuracy() throws {
        try assertAccuracy({ RidgeClassifier() }, key: "RidgeClassifier")
    }

    /// Probabilities of a tightly converged fit within 1e-3 of scikit-learn's (tol 1e-10 there).
    func testLogisticRegressionProbabilities() throws {
        for (entry, name, rows) in [("iris", "iris", nil), ("wine", "wine", nil), ("breast_cancer", "breast_cancer", nil),
                                    ("digits", "digits", nil), ("digits_wide", "digits", 48)] as [(String, String, Int?)] {
            let data = try StandardisedDataset.load(name, trainRows: rows)
            var model = LogisticRegression(maxIterations: 10_000, tolerance: 1e-7)
            try model.fit(data.trainX, data.trainY)
            XCTAssertTrue(model.converged, entry)
            let expected = try matrix(try sklearnLinearExpected(entry)["logistic_proba"])
            XCTAssertLessThan(maxAbsDifference(model.predictProba(data.testX), expected), 1e-3, entry)
        }
    }

    /// Ridge weights and intercepts within 1e-4 of scikit-learn's, relative to the largest
    /// weight, on the primal (n > d) and the dual (`digits_wide`, n < d) sides.
    func testRidgeCoefficients() throws {
        for (entry, name, rows) in [("iris", "iris", nil), ("wine", "wine", nil), ("breast_cancer", "breast_cancer", nil),
                                    ("digits", "digits", nil), ("digits_wide", "digits", 48)] as [(String, String, Int?)] {
            let data = try StandardisedDataset.load(name, trainRows: rows)
            var model = RidgeClassifier(alpha: 1)
            try model.fit(data.trainX, data.trainY)
            let expected = try sklearnLinearExpected(entry)
            let coefficients = try matrix(expected["ridge_coef"])
            let intercepts = try XCTUnwrap(expected["ridge_intercept"] as? [Any]).map(number)
            let scale = coefficients.values.map(abs).max() ?? 1
            XCTAssertLessThan(maxAbsDifference(model.coefficients, coefficients) / scale, 1e-4, entry)
            let interceptError = zip(model.intercepts, intercepts).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(interceptError / max(scale, intercepts.map(abs).max() ?? 1), 1e-4, entry)
        }
    }
}
