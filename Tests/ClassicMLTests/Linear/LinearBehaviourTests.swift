import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// Behaviour of the linear classifiers beyond agreement with scikit-learn: learned-state
/// shapes, persistence through Codable, convergence reporting, seeding and input errors.
final class LinearBehaviourTests: XCTestCase {
    /// Every linear classifier with default hyper-parameters, as written by a user.
    private func allDefaults() -> [any LinearClassifier] {
        [LogisticRegression(), LinearSVC(), SGDClassifier(), PassiveAggressiveClassifier(), RidgeClassifier()]
    }

    /// One score row per class for three or more classes, a single row for two (scikit-learn's
    /// `coef_` shapes), and predictions drawn from the training labels.
    func testCoefficientShapes() throws {
        let iris = try StandardisedDataset.load("iris"), cancer = try StandardisedDataset.load("breast_cancer")
        for var model in allDefaults() {
            try model.fit(iris.trainX, iris.trainY)
            XCTAssertEqual(model.coefficients.rows, 3, model.name)
            XCTAssertEqual(model.coefficients.columns, 4, model.name)
            XCTAssertEqual(model.intercepts.count, 3, model.name)
            XCTAssertTrue(Set(model.predict(iris.testX)).isSubset(of: [0, 1, 2]), model.name)
            try model.fit(cancer.trainX, cancer.trainY)
            XCTAssertEqual(model.coefficients.rows, 1, model.name)
            XCTAssertEqual(model.intercepts.count, 1, model.name)
        }
    }

    /// A fitted model survives a JSON round trip with identical predictions and probabilities.
    func testCodableRoundTrip() throws {
        let wine = try StandardisedDataset.load("wine")
        var model = LogisticRegression()
        try model.fit(wine.trainX, wine.trainY)
        let decoded = try JSONDecoder().decode(LogisticRegression.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(decoded, model)
        XCTAssertEqual(decoded.predictProba(wine.testX), model.predictProba(wine.testX))
        var svc = LinearSVC(c: 0.01)
        try svc.fit(wine.trainX, wine.trainY)
        let decodedSVC = try JSONDecoder().decode(LinearSVC.self, from: JSONEncoder().encode(svc))
        XCTAssertEqual(decodedSVC.predict(wine.testX), svc.predict(wine.testX))
        XCTAssertEqual(decodedSVC.name, "LinearSVC-0.01")
    }

    /// Every linear classifier saves to a model file and loads back (through the default
    /// registry) with identical predictions.
    func testModelFileRoundTrip() throws {
        let wine = try StandardisedDataset.load("wine")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("linear-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let models: [any PersistableClassifier] = [LogisticRegression(), LinearSVC(), SGDClassifier(),
                                                   PassiveAggressiveClassifier(), RidgeClassifier()]
        for var model in models {
            try model.fit(wine.trainX, wine.trainY)
            let url = folder.appendingPathComponent("\(model.name).json")
            try ModelFile.save(SavedModel(classifier: model, classNames: ["a", "b", "c"]), to: url)
            let loaded = try ModelFile.load(from: url)
            XCTAssertEqual(loaded.classifier.predict(wine.testX), model.predict(wine.testX), model.name)
        }
    }

    /// Probabilities are rows of a distribution, and agree with the predicted class.
    func testProbabilitiesAreDistributions() throws {
        let digits = try StandardisedDataset.load("digits")
        var model = LogisticRegression()
        try model.fit(digits.trainX, digits.trainY)
        let p = model.predictProba(digits.testX)
        let predicted = model.predict(digits.testX)
        for i in 0..<p.rows {
            let row = p.row(i)
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(model.classes[row.indices.max { row[$0] < row[$1] } ?? 0], predicted[i])
        }
    }

    /// An iteration limit that is too small is reported, not hidden.
    func testConvergenceIsReported() throws {
        let digits = try StandardisedDataset.load("digits")
        var short = LogisticRegression(maxIterations: 2)
        try short.fit(digits.trainX, digits.trainY)
        XCTAssertFalse(short.converged)
        XCTAssertEqual(short.iterations, 2)
        var svc = LinearSVC(maxIterations: 1)
        try svc.fit(digits.trainX, digits.trainY)
        XCTAssertFalse(svc.converged)
    }

    /// The same seed gives the same model; another seed another shuffle.
    func testSeeding() throws {
        let wine = try StandardisedDataset.load("wine")
        var a = SGDClassifier(seed: 7), b = SGDClassifier(seed: 7), c = SGDClassifier(seed: 8)
        try a.fit(wine.trainX, wine.trainY)
        try b.fit(wine.trainX, wine.trainY)
        try c.fit(wine.trainX, wine.trainY)
        XCTAssertEqual(a.coefficients, b.coefficients)
        XCTAssertNotEqual(a.coefficients, c.coefficients)
    }

    /// Bad hyper-parameters and bad input fail before any work, with the typed error.
    func testInvalidInput() throws {
        let x = Matrix(rowArrays: [[0, 1], [1, 0], [1, 1]])
        var lr = LogisticRegression(c: 0)
        XCTAssertThrowsError(try lr.fit(x, [0, 1, 1])) { error in
            guard case ClassicMLError.invalidParameter = error else { return XCTFail("\(error)") }
        }
        for var model in allDefaults() {
            XCTAssertThrowsError(try model.fit(x, [1, 1, 1]), model.name) { error in
                XCTAssertEqual(error as? ClassicMLError, .singleClass(label: 1))
            }
            var bad = x
            bad[1, 1] = .nan
            XCTAssertThrowsError(try model.fit(bad, [0, 1, 1]), model.name) { error in
                XCTAssertEqual(error as? ClassicMLError, .nonFiniteValue(row: 1, column: 1))
            }
            XCTAssertThrowsError(try model.fit(x, [0, 1]), model.name)
        }
    }
}
