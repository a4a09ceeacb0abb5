import ClassicML
import LinearAlgebra
import XCTest

/// Wide training rows whose Gram matrix is singular (standardised rows plus a row of zeros, as in
/// `scripts/fixtures/sklearn_wide_logistic.py`): the row-space solve must still reach
/// scikit-learn's unique logistic-regression optimum.
final class WideRankDeficientTests: XCTestCase {
    func testLogisticRegressionMatchesScikitLearnOnASingularGramMatrix() throws {
        let fixture = try json("linear/wide_logistic_expected.json")
        let trainX = try matrix(fixture["train_x"]), testX = try matrix(fixture["test_x"])
        let trainY = try XCTUnwrap(fixture["train_y"] as? [Int])
        XCTAssertGreaterThan(trainX.columns, trainX.rows, "the fixture must be wide")
        var model = LogisticRegression(maxIterations: 10_000, tolerance: 1e-7)
        try model.fit(trainX, trainY)
        XCTAssertTrue(model.converged)
        let expected = try matrix(fixture["logistic_proba"])
        XCTAssertLessThan(maxAbsDifference(model.predictProba(testX), expected), 1e-3)
    }
}
