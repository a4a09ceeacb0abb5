import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// Rows that reach a classifier are checked, training and test alike: a NaN or infinite value
/// is refused with its row and column instead of being silently predicted and scored.
final class UntrustedRowsTests: XCTestCase {
    func testSpotCheckRefusesNonFiniteTestAndTrainingRows() throws {
        let data = try FixtureDataset.load("wine")
        var test = data.testX
        test[4, 7] = .nan
        for entry in ClassifierGrid.default.specs {
            let outcome = SpotCheck.evaluate(entry, train: data.trainX, trainLabels: data.trainY,
                                             test: test, testLabels: data.testY)
            XCTAssertNil(outcome.metrics, entry.description)
            XCTAssertEqual(outcome.error, "\(ClassicMLError.nonFiniteInput(part: "test", row: 4, column: 7))", entry.description)
        }
        var train = data.trainX
        train[11, 0] = -.infinity
        let outcome = SpotCheck.evaluate(try XCTUnwrap(ClassifierGrid.default.specs.first), train: train,
                                         trainLabels: data.trainY, test: data.testX, testLabels: data.testY)
        XCTAssertEqual(outcome.error, "\(ClassicMLError.nonFiniteInput(part: "training", row: 11, column: 0))")
        XCTAssertTrue(outcome.error?.contains("training row 11, column 0 is NaN or infinite") ?? false)
    }

    func testFittedAndSavedModelsCheckTheRowsTheyPredict() throws {
        let data = try FixtureDataset.load("wine")
        for entry in [ClassifierSpec.nearestCentroid, .randomForest()] {
            let outcome = SpotCheck.evaluate(entry, train: data.trainX, trainLabels: data.trainY,
                                             test: data.testX, testLabels: data.testY)
            let fitted = try XCTUnwrap(outcome.fitted, entry.description)
            XCTAssertEqual(try fitted.predict(data.testX), outcome.predictions)
            var bad = data.testX
            bad[2, 3] = .infinity
            XCTAssertThrowsError(try fitted.predict(bad)) { error in
                XCTAssertEqual(error as? ClassicMLError, .nonFiniteValue(row: 2, column: 3), entry.description)
            }
            let narrow = Matrix(rows: 2, columns: 12)
            XCTAssertThrowsError(try fitted.predict(narrow)) { error in
                guard case ClassicMLError.shapeMismatch = error else { return XCTFail("\(error)") }
            }
            let saved = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler, classNames: [])
            XCTAssertThrowsError(try saved.predictProba(bad))
            XCTAssertEqual(try saved.predict(data.testX), outcome.predictions)
        }
    }

    func testAnOnlineLearnerRefusesABadRowAndKeepsItsState() throws {
        let table = try OnlineFixtures.table("iris_shuffled.csv")
        let model = try OnlineClassifier(featureCount: 4)
        for (row, label) in zip(table.rows, table.labels).prefix(50) { try model.learnOne(row, label: label) }
        let before = model.state
        XCTAssertThrowsError(try model.learnOne([1, .nan, 2, 3], label: "1")) { error in
            XCTAssertEqual(error as? ClassicMLError, .nonFiniteInput(part: "the row to learn", row: nil, column: 1))
        }
        XCTAssertThrowsError(try model.learnOne([1, 2, 3], label: "1")) { error in
            guard case ClassicMLError.shapeMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try model.predictOne([.infinity, 0, 0, 0]))
        XCTAssertThrowsError(try model.predictProbaOne([0, 0, 0, -.infinity]))
        XCTAssertEqual(model.state, before, "a refused row changes nothing")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-online-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("online.json")
        try model.save(to: url)
        XCTAssertEqual(try OnlineClassifier(contentsOf: url).state, before, "the learned state is still saved whole")
    }

    func testAnOnlineLearnerThatLearnedNothingIsNotSaved() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-empty-\(UUID().uuidString).json")
        XCTAssertThrowsError(try OnlineClassifier(featureCount: 3).save(to: url)) { error in
            XCTAssertTrue("\(error)".contains("learned no rows"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
