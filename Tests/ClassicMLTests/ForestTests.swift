import ClassicML
import LinearAlgebra
import XCTest

/// Forest accuracy against scikit-learn's (a different random stream, so the mean accuracy over
/// five seeds is compared) and determinism across thread counts.
final class ForestTests: XCTestCase {
    /// Mean test accuracy over seeds 0…4.
    private func meanAccuracy(_ data: FixtureDataset, _ make: (UInt64) -> any ProbabilisticClassifier) throws -> Double {
        var total = 0.0
        for seed in UInt64(0)..<5 {
            var model = make(seed)
            try model.fit(data.trainX, data.trainY)
            total += try ClassificationMetrics(truth: data.testY, predicted: model.predict(data.testX)).accuracy
        }
        return total / 5
    }

    private func check(_ key: String, _ make: (UInt64) -> any ProbabilisticClassifier) throws {
        // iris's 38 test rows make one sample 2.6 points, so it is checked only to 1 sample.
        for name in fixtureNames {
            let data = try FixtureDataset.load(name)
            let expected = try XCTUnwrap(try sklearnExpected(name)[key] as? Double)
            let ours = try meanAccuracy(data, make)
            let tolerance = max(0.015, 1.0 / Double(data.testY.count))
            XCTAssertEqual(ours, expected, accuracy: tolerance, "\(key) on \(name): ours \(ours), scikit-learn \(expected)")
        }
    }

    func testRandomForestAccuracyMatchesScikitLearn() throws {
        try check("random_forest_accuracy") { RandomForestClassifier(seed: $0) }
    }

    func testExtraTreesAccuracyMatchesScikitLearn() throws {
        try check("extra_trees_accuracy") { ExtraTreesClassifier(seed: $0) }
    }

    func testSameSeedSameForestWhateverTheThreadCount() throws {
        let data = try FixtureDataset.load("wine")
        var one = RandomForestClassifier(trees: 20, jobs: 1), three = RandomForestClassifier(trees: 20, jobs: 3)
        try one.fit(data.trainX, data.trainY)
        try three.fit(data.trainX, data.trainY)
        XCTAssertEqual(one.predictProba(data.testX), three.predictProba(data.testX))
        var other = RandomForestClassifier(trees: 20, seed: 7, jobs: 1)
        try other.fit(data.trainX, data.trainY)
        XCTAssertNotEqual(one.predictProba(data.testX), other.predictProba(data.testX))
    }

    func testProbabilitiesAreMeanLeafFractionsAndLimitsHold() throws {
        let data = try FixtureDataset.load("breast_cancer")
        // One stump: every leaf fraction is a share of the training rows, rows sum to 1.
        var stump = ExtraTreesClassifier(trees: 1, maxDepth: 1, minSamplesLeaf: 5)
        try stump.fit(data.trainX, data.trainY)
        let proba = stump.predictProba(data.trainX)
        let distinct = Set((0..<proba.rows).map { proba.row($0) })
        XCTAssertLessThanOrEqual(distinct.count, 2, "a depth-1 tree has at most two leaves")
        for i in 0..<proba.rows { XCTAssertEqual(proba[i, 0] + proba[i, 1], 1, accuracy: 1e-6) }
        // A fully grown unbootstrapped tree on all features fits its training set exactly.
        var full = RandomForestClassifier(trees: 1, maxFeatures: .all, bootstrap: false)
        try full.fit(data.trainX, data.trainY)
        XCTAssertEqual(full.predict(data.trainX), data.trainY)
    }
}
