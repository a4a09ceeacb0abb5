import ClassicML
import LinearAlgebra
import XCTest

/// kNN and nearest-centroid predictions against scikit-learn's on the fixture splits.
final class NeighborsTests: XCTestCase {
    private func check(_ key: String, _ make: () -> KNeighborsClassifier) throws {
        for name in fixtureNames {
            let data = try FixtureDataset.load(name)
            let expected = try XCTUnwrap(try sklearnExpected(name)[key] as? [Int])
            var model = make()
            try model.fit(data.trainX, data.trainY)
            let predicted = model.predict(data.testX)
            let differing = zip(predicted, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            XCTAssertEqual(differing, [], "\(key) on \(name): test rows whose prediction differs from scikit-learn's")
        }
    }

    func testDefaultKNeighborsMatchesScikitLearnExactly() throws {
        try check("knn5_uniform_euclidean") { KNeighborsClassifier() }
    }

    func testDistanceWeightedKNeighborsMatchesScikitLearnExactly() throws {
        try check("knn3_distance_euclidean") { KNeighborsClassifier(neighbors: 3, weights: .distance) }
    }

    func testCosineKNeighborsMatchesScikitLearnExactly() throws {
        try check("knn3_distance_cosine") { KNeighborsClassifier(neighbors: 3, weights: .distance, metric: .cosine) }
    }

    func testSmallBlocksGiveTheSameNeighbours() throws {
        let data = try FixtureDataset.load("digits")
        var whole = KNeighborsClassifier(), blocked = KNeighborsClassifier(blockRows: 7)
        try whole.fit(data.trainX, data.trainY)
        try blocked.fit(data.trainX, data.trainY)
        XCTAssertEqual(whole.kNeighbors(data.testX).indices, blocked.kNeighbors(data.testX).indices)
    }

    func testExactTiesGoToTheLowestTrainingRowAndVoteTiesToTheLowestLabel() throws {
        // Rows 0 and 1 (labels 7 and 3) are both at distance 1 from the query; k = 2 uniform → tie → 3.
        var model = KNeighborsClassifier(neighbors: 2)
        try model.fit(Matrix(rowArrays: [[1, 0], [-1, 0], [1, 0], [5, 5]]), [7, 3, 7, 9])
        let query = Matrix(rowArrays: [[0, 0]])
        XCTAssertEqual(model.kNeighbors(query).indices, [[0, 1]])
        XCTAssertEqual(model.predict(query), [3])
        XCTAssertEqual(model.predictProba(query).values, [0.5, 0.5, 0])
    }

    func testNearestCentroidMatchesScikitLearn() throws {
        for name in fixtureNames {
            let data = try FixtureDataset.load(name)
            let expected = try XCTUnwrap(try sklearnExpected(name)["nearest_centroid"] as? [Int])
            var model = NearestCentroid()
            try model.fit(data.trainX, data.trainY)
            XCTAssertEqual(model.predict(data.testX), expected, name)
        }
    }
}
