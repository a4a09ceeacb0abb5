import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// Every newer family round-trips through a model file with identical predictions, and a damaged
/// learned field is refused on load with `ClassicMLError.modelFile`.
final class FamiliesPersistenceTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-families-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    /// Small settings so the whole zoo fits in a moment.
    private let specs: [ClassifierSpec] = [
        .decisionTree(), .extraTree(), .bagging(trees: 5), .adaBoost(estimators: 10), .gradientBoosting(estimators: 5),
        .histGradientBoosting(iterations: 5), .svc(), .mlp(hidden: 8, maxIterations: 20), .gaussianNB(), .lda,
    ]

    private func saved(_ spec: ClassifierSpec, _ data: FixtureDataset, _ scaler: StandardScaler) throws -> (URL, any PersistableClassifier) {
        var model = spec.makeClassifier(seed: 1)
        try model.fit(try scaler.transform(data.trainX), data.trainY)
        let url = folder.appendingPathComponent("\(spec.family.name).json")
        try ModelFile.save(SavedModel(classifier: model, scaler: scaler, classNames: ["a", "b", "c"]), to: url, overwrite: true)
        return (url, model)
    }

    func testEveryNewFamilyRoundTripsWithIdenticalPredictions() throws {
        let data = try FixtureDataset.load("wine")
        var scaler = StandardScaler()
        try scaler.fit(data.trainX)
        let test = try scaler.transform(data.testX)
        for spec in specs {
            let (url, model) = try saved(spec, data, scaler)
            let loaded = try ModelFile.load(from: url)
            XCTAssertEqual(loaded.classifier.name, spec.description)
            XCTAssertEqual(loaded.classifier.predict(test), model.predict(test), spec.description)
            if let probabilistic = model as? any ProbabilisticClassifier {
                let proba = probabilistic.predictProba(test)
                XCTAssertEqual((loaded.classifier as? any ProbabilisticClassifier)?.predictProba(test), proba, spec.description)
                for i in 0..<proba.rows {
                    XCTAssertEqual(proba.row(i).reduce(0, +), 1, accuracy: 1e-4, "\(spec): probabilities sum to 1")
                }
            }
            let accuracy = try ClassificationMetrics(truth: data.testY, predicted: model.predict(test)).accuracy
            XCTAssertGreaterThan(accuracy, 0.6, "\(spec) learns wine (accuracy \(accuracy))")
        }
    }

    /// One damaging edit per kind, each of a field `predict` would trust.
    func testDamagedFieldsAreRefusedOnLoad() throws {
        let data = try FixtureDataset.load("wine")
        var scaler = StandardScaler()
        try scaler.fit(data.trainX)
        let damage: [(ClassifierSpec, String, ([String: Any]) -> [String: Any])] = [
            (.decisionTree(), "outside 1..<", { model in
                edit(model, ["forest", "trees", 0]) { tree in var t = tree; t["left"] = [0] + ((t["left"] as? [Int])?.dropFirst() ?? []); return t }
            }),
            (.bagging(trees: 5), "splits on feature", { model in
                edit(model, ["forest", "trees", 1]) { tree in var t = tree; t["feature"] = [99] + ((t["feature"] as? [Int])?.dropFirst() ?? []); return t }
            }),
            (.extraTree(), "class fractions, expected", { model in
                edit(model, ["forest", "trees", 0]) { tree in var t = tree; t["value"] = [0.5]; return t }
            }),
            (.adaBoost(estimators: 10), "stump weights", { model in var m = model; m["stumpWeights"] = [1.0]; return m }),
            (.gradientBoosting(estimators: 5), "children outside the tree", { model in
                edit(model, ["model", "trees", 3]) { tree in var t = tree; t["right"] = [0] + ((t["right"] as? [Int])?.dropFirst() ?? []); return t }
            }),
            (.histGradientBoosting(iterations: 5), "baseline scores", { model in
                edit(model, ["model"]) { m in var b = m; b["baseline"] = [0.0]; return b }
            }),
            (.svc(), "support-vector counts", { model in var m = model; m["supportCounts"] = [1, 1, 1]; return m }),
            (.mlp(hidden: 8, maxIterations: 20), "output-layer biases", { model in
                edit(model, ["network"]) { n in var net = n; net["outputBiases"] = [0.0]; return net }
            }),
            (.gaussianNB(), "class priors", { model in var m = model; m["logPriors"] = [0.0]; return m }),
            (.lda, "not distinct and ascending", { model in
                edit(model, ["state"]) { s in var state = s; state["classes"] = [2, 1, 0]; return state }
            }),
        ]
        for (spec, phrase, edit) in damage {
            let (url, _) = try saved(spec, data, scaler)
            var file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            file["model"] = edit(try XCTUnwrap(file["model"] as? [String: Any]))
            try JSONSerialization.data(withJSONObject: file).write(to: url)
            XCTAssertThrowsError(try ModelFile.load(from: url), spec.description) { error in
                guard case ClassicMLError.modelFile(let message) = error else { return XCTFail("\(spec): \(error)") }
                XCTAssertTrue(message.contains(phrase), "\(spec): \(message)")
            }
        }
    }
}

/// `object` with the value at `path` (keys and array indices) replaced by `change` of it.
private func edit(_ object: [String: Any], _ path: [Any], _ change: ([String: Any]) -> [String: Any]) -> [String: Any] {
    func apply(_ value: Any, _ rest: ArraySlice<Any>) -> Any {
        guard let step = rest.first else { return change(value as? [String: Any] ?? [:]) }
        if let key = step as? String, var dictionary = value as? [String: Any] {
            dictionary[key] = apply(dictionary[key] ?? [:], rest.dropFirst())
            return dictionary
        }
        if let index = step as? Int, var array = value as? [Any], array.indices.contains(index) {
            array[index] = apply(array[index], rest.dropFirst())
            return array
        }
        return value
    }
    return apply(object, path[...]) as? [String: Any] ?? object
}
