import ClassicML
import Foundation
import XCTest

/// State, resume and the scaler's arithmetic, checked against independent computations.
final class OnlineClassifierTests: XCTestCase {
    /// Learning A, saving, loading and learning B gives bit-identical state to learning A+B.
    func testResumeIsBitExact() throws {
        let table = try OnlineFixtures.table("wine_shuffled.csv")
        let half = table.rows.count / 2
        for learner in OnlineLearner.allCases {
            let whole = try OnlineClassifier(featureCount: 13, learner: learner, l2: 0.001)
            for (row, label) in zip(table.rows, table.labels) { try whole.learnOne(row, label: label) }

            let first = try OnlineClassifier(featureCount: 13, learner: learner, l2: 0.001)
            for i in 0..<half { try first.learnOne(table.rows[i], label: table.labels[i]) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("online-\(UUID()).json")
            defer { try? FileManager.default.removeItem(at: file) }
            try first.save(to: file)
            let resumed = try OnlineClassifier(contentsOf: file)
            for i in half..<table.rows.count { try resumed.learnOne(table.rows[i], label: table.labels[i]) }

            XCTAssertEqual(resumed.state, whole.state, "\(learner)")
            XCTAssertEqual(resumed.rowsSeen, table.rows.count)
        }
    }

    /// Welford's running statistics equal a two-pass mean and population variance; constant
    /// features scale to 0.
    func testScalerMatchesTwoPassStatistics() {
        let rows: [[Float]] = [[1, 5, 0.5], [2, 5, -1.25], [4, 5, 3], [8, 5, 0.125]]
        var scaler = OnlineStandardScaler(featureCount: 3)
        for row in rows { row.withUnsafeBufferPointer { scaler.learnOne($0) } }
        for j in 0..<3 {
            let values = rows.map { Double($0[j]) }
            let mean = values.reduce(0, +) / 4
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            XCTAssertEqual(scaler.means[j], mean, accuracy: 1e-12)
            XCTAssertEqual(scaler.variances[j], variance, accuracy: 1e-12)
        }
        var out = [Double](repeating: .nan, count: 3)
        [Float(8), 5, 3].withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { scaler.transformOne(x, into: $0) } }
        XCTAssertEqual(out[0], (8 - 3.75) / 7.1875.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(out[1], 0, "a constant feature maps to 0")
    }

    /// One step of river's logistic regression by hand: from zero weights the margin is 0, so
    /// g = ∓1/2 and each weight moves by 0.01·x/2.
    func testFirstLogisticStepByHand() throws {
        var classifier = try OneVsRestLinearClassifier(featureCount: 2)
        let x: [Double] = [1.5, -2]
        x.withUnsafeBufferPointer { classifier.learnOne($0, label: "a") }
        XCTAssertEqual(classifier.weights, [0.0075, -0.01])
        XCTAssertEqual(classifier.intercepts, [0.005])
        x.withUnsafeBufferPointer { classifier.learnOne($0, label: "b") }
        XCTAssertEqual(classifier.classes, ["a", "b"])
        var probabilities: [Double] = []
        x.withUnsafeBufferPointer { classifier.predictProbaOne($0, into: &probabilities) }
        XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-15)
    }

    func testInvalidSettingsAndCorruptFilesAreReported() throws {
        XCTAssertThrowsError(try OnlineClassifier(featureCount: 3, learningRate: -1))
        XCTAssertThrowsError(try OnlineClassifier(featureCount: 0))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"version\":1}".utf8).write(to: file)
        XCTAssertThrowsError(try OnlineClassifier(contentsOf: file)) { error in
            guard case ClassicMLError.modelFile = error else { return XCTFail("\(error)") }
        }
    }
}
