import ClassicML
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Model files round-trip, are written atomically and refuse what they cannot read.
final class PersistenceTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "spotcheck-model")
    }

    func testEveryBuiltInClassifierRoundTripsWithScalerNamesAndMetadata() throws {
        let data = try FixtureDataset.load("wine")
        var scaler = StandardScaler()
        let x = try scaler.fitTransform(data.trainX), test = try scaler.transform(data.testX)
        let models: [any PersistableClassifier] = [
            KNeighborsClassifier(neighbors: 3, weights: .distance), NearestCentroid(),
            RandomForestClassifier(trees: 10), ExtraTreesClassifier(trees: 10),
        ]
        for var model in models {
            try model.fit(x, data.trainY)
            let url = folder.appendingPathComponent("\(model.name).json")
            try ModelFile.save(SavedModel(classifier: model, scaler: scaler, classNames: ["a", "b", "c"],
                                          metadata: ["backbone": "vgg16"]), to: url)
            let loaded = try ModelFile.load(from: url)
            XCTAssertEqual(loaded.classifier.predict(test), model.predict(test), model.name)
            XCTAssertEqual(loaded.classifier.name, model.name)
            XCTAssertEqual(loaded.scaler, scaler)
            XCTAssertEqual(loaded.classNames, ["a", "b", "c"])
            XCTAssertEqual(loaded.metadata, ["backbone": "vgg16"])
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    private func savedFile() throws -> (URL, [String: Any]) {
        var model = NearestCentroid()
        try model.fit(Matrix(rowArrays: [[0, 0], [1, 1]]), [0, 1])
        let url = folder.appendingPathComponent("model.json")
        try ModelFile.save(SavedModel(classifier: model, classNames: ["x", "y"]), to: url)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return (url, object)
    }

    private func expectModelFileError(_ url: URL, containing phrase: String) {
        XCTAssertThrowsError(try ModelFile.load(from: url)) { error in
            guard case ClassicMLError.modelFile(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains(phrase), message)
        }
    }

    func testTheEnvelopeIsDocumentedShape() throws {
        let (_, object) = try savedFile()
        XCTAssertEqual(object["format"] as? String, "spotcheck-model")
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["kind"] as? String, "NearestCentroid")
        XCTAssertNotNil(object["model"] as? [String: Any])
    }

    func testNewerVersionCorruptFilesAndExistingFilesFailClearly() throws {
        let (url, object) = try savedFile()
        var newer = object
        newer["version"] = 2
        try JSONSerialization.data(withJSONObject: newer).write(to: url)
        expectModelFileError(url, containing: "upgrade spotcheck")

        var damaged = object
        var model = try XCTUnwrap(object["model"] as? [String: Any])
        var centroids = try XCTUnwrap(model["centroids"] as? [String: Any])
        centroids["float32LittleEndianBase64"] = "AAAA"
        model["centroids"] = centroids
        damaged["model"] = model
        try JSONSerialization.data(withJSONObject: damaged).write(to: url)
        expectModelFileError(url, containing: "corrupt")

        try Data("{\"format\": \"spotcheck-model\", \"version\": 1, \"kind\": \"NearestCentroid\", \"mo".utf8).write(to: url)
        expectModelFileError(url, containing: "not a spotcheck model")

        var unknown = object
        unknown["kind"] = "GradientBoosting"
        try JSONSerialization.data(withJSONObject: unknown).write(to: url)
        expectModelFileError(url, containing: "unknown classifier kind")

        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try ModelFile.save(SavedModel(classifier: NearestCentroid(), classNames: []), to: url))
        XCTAssertEqual(try Data(contentsOf: url), before, "an existing file is never clobbered")
    }
}
