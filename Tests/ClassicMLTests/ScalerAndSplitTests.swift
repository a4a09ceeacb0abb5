import ClassicML
import LinearAlgebra
import XCTest

/// StandardScaler against scikit-learn's statistics; stratified k-fold's guarantees.
final class ScalerAndSplitTests: XCTestCase {
    func testScalerStatisticsMatchScikitLearn() throws {
        for name in fixtureNames {
            let data = try FixtureDataset.load(name)
            let expected = try sklearnExpected(name)
            let mean = try XCTUnwrap(expected["scaler_mean"] as? [Double])
            let scale = try XCTUnwrap(expected["scaler_scale"] as? [Double])
            var scaler = StandardScaler()
            let scaled = try scaler.fitTransform(data.trainX)
            for j in mean.indices {
                XCTAssertEqual(scaler.mean[j], mean[j], accuracy: 1e-9 * max(1, abs(mean[j])), "\(name) mean \(j)")
                XCTAssertEqual(scaler.scale[j], scale[j], accuracy: 1e-9 * max(1, scale[j]), "\(name) scale \(j)")
            }
            // Constant features (digits' blank pixels) keep scale 1, as in scikit-learn.
            XCTAssertEqual(scale.contains(1), scaler.scale.contains(1))
            XCTAssertEqual(scaled[0, 0], Float((Double(data.trainX[0, 0]) - mean[0]) / scale[0]), accuracy: 1e-5)
        }
    }

    func testScalerRejectsTheWrongWidth() throws {
        var scaler = StandardScaler()
        try scaler.fit(Matrix(rowArrays: [[1, 2], [3, 4]]))
        XCTAssertThrowsError(try scaler.transform(Matrix(rowArrays: [[1, 2, 3]])))
    }

    func testKFoldPartitionsRowsAndKeepsClassShares() throws {
        let labels = (0..<103).map { $0 % 3 == 0 ? 0 : ($0 % 3 == 1 ? 1 : 5) }
        let folds = try StratifiedSplit.kFold(labels: labels, folds: 5, seed: 3)
        XCTAssertEqual(folds.count, 5)
        XCTAssertEqual(folds.flatMap(\.test).sorted(), Array(0..<103))
        for fold in folds {
            XCTAssertEqual(Set(fold.train).intersection(fold.test), [])
            XCTAssertEqual(fold.train.count + fold.test.count, 103)
            for label in [0, 1, 5] {
                let share = fold.test.filter { labels[$0] == label }.count
                let total = labels.filter { $0 == label }.count
                XCTAssertLessThanOrEqual(abs(share * 5 - total), 5, "class \(label) share in a fold")
            }
        }
        XCTAssertEqual(try StratifiedSplit.kFold(labels: labels, folds: 5, seed: 3).map(\.test), folds.map(\.test))
        XCTAssertNotEqual(try StratifiedSplit.kFold(labels: labels, folds: 5, seed: 4).map(\.test), folds.map(\.test))
    }

    func testKFoldRejectsFewerRowsThanFolds() {
        XCTAssertThrowsError(try StratifiedSplit.kFold(labels: [0, 1, 0], folds: 5)) { error in
            guard case ClassicMLError.tooFewSamples = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try StratifiedSplit.kFold(labels: [0, 1, 0], folds: 1))
    }
}
