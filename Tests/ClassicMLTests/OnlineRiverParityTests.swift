import ClassicML
import XCTest

/// `OnlineClassifier` against river 0.26 (scripts/fixtures/river_expected.py): the same
/// progressive predictions, row by row, for every learner.
final class OnlineRiverParityTests: XCTestCase {
    private func progressive(_ table: OnlineFixtures.Table, learner: OnlineLearner) throws -> (OnlineClassifier, [String?]) {
        let model = try OnlineClassifier(featureCount: table.rows[0].count, learner: learner)
        var predictions: [String?] = []
        for (row, label) in zip(table.rows, table.labels) {
            predictions.append(try model.predictOne(row))
            try model.learnOne(row, label: label)
        }
        return (model, predictions)
    }

    private func assertSamePredictions(_ file: String, _ learner: OnlineLearner) throws {
        let table = try OnlineFixtures.table(file)
        let river = try XCTUnwrap(OnlineFixtures.expected()[file]?[learner.rawValue])
        let (_, ours) = try progressive(table, learner: learner)
        XCTAssertEqual(ours.count, river.predictions.count)
        let differing = zip(ours, river.predictions).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        XCTAssertEqual(differing, [], "\(file) \(learner): rows whose prediction differs from river's")
        XCTAssertNil(ours.first ?? "x", "the first prediction comes before any class is known")
    }

    func testLogisticRegressionMatchesRiverOnIrisAndWine() throws {
        try assertSamePredictions("iris_shuffled.csv", .logreg)
        try assertSamePredictions("wine_shuffled.csv", .logreg)
    }

    func testOtherLearnersMatchRiver() throws {
        for learner in [OnlineLearner.pa, .perceptron, .sgdHinge] {
            try assertSamePredictions("iris_shuffled.csv", learner)
            try assertSamePredictions("wine_shuffled.csv", learner)
        }
    }

    /// The "real" case: digits (1,437 rows to learn, 360 to test), accuracies within 0.5 point.
    func testDigitsAccuracyWithinHalfAPointOfRiver() throws {
        let train = try OnlineFixtures.table("digits_train.csv")
        let test = try OnlineFixtures.table("digits_test.csv")
        let river = try XCTUnwrap(OnlineFixtures.expected()["digits_train.csv"]?["logreg"])
        let (model, predictions) = try progressive(train, learner: .logreg)
        let correct = zip(predictions, train.labels).filter { $0.0 == $0.1 }.count
        XCTAssertEqual(Double(correct) / Double(train.rows.count), river.accuracy, accuracy: 0.005)
        let testCorrect = zip(test.rows, test.labels).filter { (try? model.predictOne($0.0)) == $0.1 }.count
        XCTAssertEqual(Double(testCorrect) / Double(test.rows.count), try XCTUnwrap(river.test_accuracy), accuracy: 0.005)
        XCTAssertEqual(model.rowsSeen, 1437)
        XCTAssertEqual(Set(model.classes), Set((0...9).map(String.init)))
    }
}
