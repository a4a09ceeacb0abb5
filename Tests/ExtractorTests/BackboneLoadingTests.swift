import Foundation
import XCTest
import Extractor

/// The registry's errors: each names the file or tensor and says what to do.
final class BackboneLoadingTests: XCTestCase {
    func testRegistryListsTheFiveShippedBackbonesThenTheOnesUsersBring() throws {
        XCTAssertEqual(BackboneRegistry.defaultNames, ["mobilenet_v2", "efficientnet_lite0", "efficientnet_lite1",
                                                       "efficientnet_lite2", "squeezenet1_1"])
        XCTAssertEqual(Array(BackboneRegistry.names.prefix(11)), BackboneRegistry.defaultNames
                       + ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "wide_resnet50_2"])
        XCTAssertEqual(Set(BackboneRegistry.names).count, BackboneRegistry.names.count)
        XCTAssertTrue(Set(BackboneRegistry.names).isSuperset(of: [
            "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
            "densenet121", "densenet161", "densenet169", "densenet201", "efficientnet_b0", "mobilenet_v3_large",
            "keras_vgg16", "keras_resnet50v2", "keras_resnet152v2", "keras_xception"]))
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "resnet50").featureDimension, 2048)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "resnet34").featureDimension, 512)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "wide_resnet50_2").preprocessing, .torchvision)
        let lite2 = try BackboneRegistry.descriptor(named: "efficientnet_lite2")
        XCTAssertEqual(lite2.inputSize, 260)
        XCTAssertEqual(lite2.preprocessing, .tensorflow(inputSize: 260))
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "squeezenet1_1").featureDimension, 512)
        XCTAssertThrowsError(try BackboneRegistry.descriptor(named: "resnet51")) { error in
            XCTAssertTrue("\(error)".contains("mobilenet_v2"), "\(error)")
        }
    }

    func testMissingWeightsNameTheFileAndSetup() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-no-weights-\(getpid())")
        XCTAssertThrowsError(try BackboneRegistry.load("efficientnet_lite0", directory: empty)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("efficientnet-lite0-57934424.pth"), text)
            XCTAssertTrue(text.contains("scripts/setup"), text)
        }
    }

    func testWrongTensorsAreRefusedWithTheirNames() throws {
        let descriptor = try BackboneRegistry.descriptor(named: "mobilenet_v2")
        guard let file = BackboneRegistry.locateWeights(for: descriptor).file else {
            throw XCTSkip("weights absent: run scripts/setup")
        }
        var tensors = try Checkpoint.load(contentsOf: file)
        let key = "features.5.conv.1.0.weight"
        let original = try XCTUnwrap(tensors[key])
        tensors[key] = WeightTensor(shape: [original.shape[0], 1, 5, 5],
                                    values: [Float](repeating: 0, count: original.shape[0] * 25))
        XCTAssertThrowsError(try Backbone(descriptor: descriptor, tensors: tensors, source: "tampered.pth")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(key) && text.contains("tampered.pth") && text.contains("scripts/setup"), text)
        }
        tensors[key] = nil
        XCTAssertThrowsError(try Backbone(descriptor: descriptor, tensors: tensors, source: "cut.pth")) { error in
            XCTAssertEqual(error as? BackboneError, .missingTensor(key: key, source: "cut.pth"))
        }
    }

    func testBatchOfTheWrongSizeIsRefused() throws {
        let backbone = try loadBackboneOrSkip("squeezenet1_1")
        let batch = ImageBatch(count: 1, channels: 3, height: 224, width: 224,
                               values: [Float](repeating: 0, count: 3 * 224 * 224))
        XCTAssertThrowsError(try backbone.features(batch: batch)) { error in
            XCTAssertEqual(error as? BackboneError, .inputShape(expected: "3×227×227", found: "3×224×224"))
        }
    }
}
