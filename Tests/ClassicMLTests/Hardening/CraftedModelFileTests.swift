import ClassicML
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Every damaged model file of issue 15 is refused by `ModelFile.load` with a message naming
/// the field, instead of reading out of bounds, trapping, hanging or predicting NaN; the file
/// itself is left byte-identical.
final class CraftedModelFileTests: XCTestCase {
    private var folder: URL!
    nonisolated(unsafe) private static var zoo: SavedModelZoo?

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "spotcheck-crafted")
        if Self.zoo == nil { Self.zoo = try SavedModelZoo.make(in: folder) }
    }

    /// Writes `kind`'s saved model with `path` set to `newValue`, loads it and expects a
    /// `ClassicMLError.modelFile` containing every phrase, the file unchanged.
    private func expectRefusal(_ kind: String, _ path: [Any], _ newValue: Any?, _ phrases: String...,
                               line: UInt = #line) throws {
        let entry = try XCTUnwrap(Self.zoo).entry(kind)
        XCTAssertNotNil(value(in: entry.json, at: path), "the path \(path) exists in a \(kind) file", line: line)
        let url = folder.appendingPathComponent("crafted.json")
        try writeJSON(try XCTUnwrap(replacing(entry.json, at: path[...], with: newValue)), to: url)
        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try ModelFile.load(from: url), line: line) { error in
            guard case ClassicMLError.modelFile(let message) = error else { return XCTFail("\(error)", line: line) }
            for phrase in phrases + [url.path, "refit"] {
                XCTAssertTrue(message.contains(phrase), "'\(phrase)' not in: \(message)", line: line)
            }
        }
        XCTAssertEqual(try Data(contentsOf: url), before, line: line)
    }

    private let forest = "RandomForestClassifier"
    private func node(_ field: String, _ index: Int = 0) -> [Any] { ["model", "forest", "trees", 0, field, index] }

    func testRandomForestFeatureIndicesOutOfRange() throws {
        try expectRefusal(forest, node("feature"), 100_000, "tree 0 node 0 splits on feature 100000", "outside 0..<13")
        try expectRefusal(forest, node("feature"), 2_147_483_647, "feature 2147483647")
        try expectRefusal(forest, node("feature"), -7, "node 0 is a leaf with feature -7")
        try expectRefusal(forest, node("feature"), 2_147_483_648, "damaged")  // not an Int32
    }

    func testRandomForestChildrenShortValuesAndEmptyForests() throws {
        try expectRefusal(forest, node("left"), 1_000_000, "node 0 has child 1000000")
        try expectRefusal(forest, node("right"), -5, "node 0 has child -5")
        try expectRefusal(forest, node("left"), 0, "node 0 has child 0")
        let values = try XCTUnwrap(value(in: try XCTUnwrap(Self.zoo).entry(forest).json,
                                         at: ["model", "forest", "trees", 0, "value"]) as? [Any])
        try expectRefusal(forest, ["model", "forest", "trees", 0, "value"], Array(values.dropLast()), "class fractions")
        try expectRefusal(forest, ["model", "forest", "trees"], [Any](), "has no trees")
        try expectRefusal(forest, ["model", "forest", "columns"], 0, "grown on 0 features")
        try expectRefusal(forest, node("value", 0), 7.5, "class fraction 7.5")
        try expectRefusal(forest, node("threshold", 1), [Any](), "damaged")
    }

    func testTreesThatLoopOrShareNodesAreRefused() throws {
        // Node 1 (node 0's left child, an inner node or a leaf) pointing back at itself or the root.
        let tree = try XCTUnwrap(value(in: try XCTUnwrap(Self.zoo).entry(forest).json,
                                       at: ["model", "forest", "trees", 0]) as? [String: Any])
        let features = try XCTUnwrap(tree["feature"] as? [Int])
        let inner = try XCTUnwrap(features.indices.dropFirst().first { features[$0] >= 0 })
        try expectRefusal(forest, node("left", inner), inner, "node \(inner) is reached twice")
        let right = try XCTUnwrap((tree["right"] as? [Int])?[0])
        try expectRefusal(forest, node("left", inner), right, "node \(right) is reached twice")
    }

    func testKNeighborsImpossibleSettings() throws {
        let knn = "KNeighborsClassifier"
        try expectRefusal(knn, ["model", "neighbors"], 0, "k = 0")
        try expectRefusal(knn, ["model", "neighbors"], 1_000_000, "k = 1000000")
        try expectRefusal(knn, ["model", "blockRows"], 0, "blockRows = 0")
        let labels = try XCTUnwrap(value(in: try XCTUnwrap(Self.zoo).entry(knn).json, at: ["model", "trainClass"]) as? [Any])
        try expectRefusal(knn, ["model", "trainClass"], Array(labels.dropLast(3)), "training labels for")
        try expectRefusal(knn, ["model", "trainClass", 4], 3, "training row 4 has class index 3")
    }

    func testLinearModelsWhoseShapesDisagree() throws {
        try expectRefusal("LogisticRegression", ["model", "state", "intercepts"], [0.5, 0.5], "2 intercepts for 3 score(s)")
        try expectRefusal("LinearSVC", ["model", "state", "intercepts"], [0.1, 0.2], "2 intercepts for 1 score(s)")
        try expectRefusal("RidgeClassifier", ["model", "state", "classes"], [0, 1, 1], "not distinct and ascending")
        try expectRefusal("SGDClassifier", ["model", "state", "classes"], [0, 1, 2, 3], "weights has 3 rows, expected 4")
        try expectRefusal("LogisticRegressionCV", ["model", "model"], nil, "no fitted model")
    }

    func testNonFiniteOrHugeWeightsAndScalesAreRefused() throws {
        let entry = try XCTUnwrap(Self.zoo).entry("LogisticRegression")
        let weights = try XCTUnwrap(value(in: entry.json, at: ["model", "state", "weights"]) as? [String: Any])
        var floats = try packedFloats(weights)
        floats[5] = .nan
        try expectRefusal("LogisticRegression", ["model", "state", "weights", "float32LittleEndianBase64"],
                          packedPayload(floats), "weights[5] is nan")
        floats[5] = 3e30
        try expectRefusal("LogisticRegression", ["model", "state", "weights", "float32LittleEndianBase64"],
                          packedPayload(floats), "weights[5] is 3e+30")
        try expectRefusal("LogisticRegression", ["model", "state", "weights", "rows"], 4_611_686_018_427_387_904,
                          "corrupt payload")
        try expectRefusal("NearestCentroid", ["scaler", "scale", 2], 0, "scale of feature 2 is 0.0")
        try expectRefusal("NearestCentroid", ["scaler", "mean"], [0.0], "1 means and 13 scales")
        let scale = try XCTUnwrap(value(in: entry.json, at: ["scaler", "scale"]) as? [Any])
        try expectRefusal("LogisticRegression", ["scaler", "scale"], Array(scale.dropLast()), "13 means and 12 scales")
        try expectRefusal("KNeighborsClassifier", ["classNames"], ["only one"], "class 1 has no name")
    }

    func testNonRegularFilesAreRefusedWithoutBlocking() throws {
        let fifo = folder.appendingPathComponent("model.fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try ModelFile.load(from: fifo)) { error in
            XCTAssertTrue("\(error)".contains("named pipe"), "\(error)")
        }
        XCTAssertThrowsError(try OnlineClassifier(contentsOf: fifo)) { error in
            XCTAssertTrue("\(error)".contains("named pipe"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.load(from: folder)) { error in
            XCTAssertTrue("\(error)".contains("a folder"), "\(error)")
        }
    }

    func testUnfittedModelsAreNotSaved() throws {
        let url = folder.appendingPathComponent("unfitted.json")
        for model in [KNeighborsClassifier(), LogisticRegression(), RandomForestClassifier()] as [any PersistableClassifier] {
            XCTAssertThrowsError(try ModelFile.save(SavedModel(classifier: model, classNames: []), to: url)) { error in
                XCTAssertTrue("\(error)".contains("fit the classifier before saving"), "\(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
