import ClassicML
import LinearAlgebra
import XCTest

/// Bad input fails with the right `ClassicMLError` before any work, for every estimator.
final class ValidationTests: XCTestCase {
    private let estimators: [any Classifier] = [
        KNeighborsClassifier(neighbors: 1), NearestCentroid(), RandomForestClassifier(trees: 2),
        ExtraTreesClassifier(trees: 2),
    ]

    private func expectError(_ x: Matrix, _ y: [Int], _ expected: ClassicMLError) {
        for estimator in estimators {
            var model = estimator
            XCTAssertThrowsError(try model.fit(x, y), model.name) { error in
                XCTAssertEqual(error as? ClassicMLError, expected, model.name)
            }
        }
    }

    func testNonFiniteValuesAreReportedWithTheirPosition() {
        var x = Matrix(rows: 3000, columns: 3, repeating: 1)
        x[2500, 2] = .nan
        expectError(x, (0..<3000).map { $0 % 2 }, .nonFiniteValue(row: 2500, column: 2))
        x[2500, 2] = 1
        x[7, 1] = -.infinity
        expectError(x, (0..<3000).map { $0 % 2 }, .nonFiniteValue(row: 7, column: 1))
    }

    func testSingleClassIsRejected() {
        expectError(Matrix(rowArrays: [[1], [2]]), [4, 4], .singleClass(label: 4))
    }

    func testMismatchedShapesAreRejected() {
        for estimator in estimators {
            var model = estimator
            XCTAssertThrowsError(try model.fit(Matrix(rowArrays: [[1], [2]]), [0, 1, 0])) { error in
                guard case ClassicMLError.shapeMismatch = error else { return XCTFail("\(model.name): \(error)") }
            }
        }
        XCTAssertThrowsError(try InputValidation.features(Matrix(rowArrays: [[1, 2]]), columns: 3))
    }

    func testInvalidHyperParametersAreRejected() {
        var knn = KNeighborsClassifier(neighbors: 5)
        XCTAssertThrowsError(try knn.fit(Matrix(rowArrays: [[1], [2]]), [0, 1]))
        var forest = RandomForestClassifier(trees: 0)
        XCTAssertThrowsError(try forest.fit(Matrix(rowArrays: [[1], [2]]), [0, 1]))
    }
}
