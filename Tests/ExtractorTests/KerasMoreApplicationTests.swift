import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// Keras' DenseNet121/169/201, MobileNet and EfficientNetB0…B7 against Keras 3 (torch backend) on
/// the committed photo crops, as ``KerasApplicationTests`` checks the others: seeded weights
/// written here in Keras' own layouts (rebuilt from ours once they hash to what Keras wrote,
/// scripts/fixtures/keras_fixtures.py), loaded as a user's file, compared with what Keras computed.
final class KerasMoreApplicationTests: XCTestCase {
    static let denseNetsAndMobileNet = ["keras_densenet121", "keras_densenet169", "keras_densenet201", "keras_mobilenet"]
    /// Every Keras EfficientNet (B6 and B7 recorded on the first photo only).
    static let efficientNets = (0...7).map { "keras_efficientnetb\($0)" }

    func testTheLayoutsAreKerasOwn() throws {
        for name in Self.denseNetsAndMobileNet + Self.efficientNets {
            try KerasApplicationTests.assertKerasOwnLayouts(name)
        }
    }

    func testDenseNetsAndMobileNetMatchKerasOnRealPhotos() throws {
        let folder = try scratchDirectory(self, prefix: "keras-densenets")
        for name in Self.denseNetsAndMobileNet { try KerasApplicationTests.assertMatchesKeras(name, folder: folder) }
    }

    func testEfficientNetsMatchKerasOnRealPhotos() throws {
        let folder = try scratchDirectory(self, prefix: "keras-efficientnets")
        for name in Self.efficientNets { try KerasApplicationTests.assertMatchesKeras(name, folder: folder) }
    }

    func testNotopAndKeras3FilesGiveTheSameFeatures() throws {
        let folder = try scratchDirectory(self, prefix: "keras-more-notop")
        for name in ["keras_densenet121", "keras_mobilenet", "keras_efficientnetb0"] {
            try KerasApplicationTests.assertNotopAndKeras3(name, folder: folder)
        }
    }

    func testAFileOfAnotherMemberIsRefusedAtItsFirstMisfittingWeight() throws {
        let folder = try scratchDirectory(self, prefix: "keras-more-refusal")
        func file(_ model: String) throws -> URL {
            let url = folder.appendingPathComponent("\(model).h5")
            try KerasApplicationTests.writeLegacy(try KerasApplicationTests.Reference.load(model), notop: true, to: url)
            return url
        }
        // Keras 2 files are assigned by position: DenseNet121 wants its last transition where
        // DenseNet169's file has a 25th conv4 layer (whose batch norm has the same width).
        let densenet169 = try file("keras_densenet169")
        XCTAssertThrowsError(try BackboneRegistry.load("keras_densenet121", file: densenet169, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_densenet121", key: "conv4_block25_1_conv/kernel (pool4_conv/kernel)",
                expected: [1, 1, 1024, 512], found: [1, 1, 1024, 128], source: densenet169.path))
        }
        // EfficientNetB1 repeats its first block (`block1b_`), B0 does not.
        let b1 = try file("keras_efficientnetb1")
        XCTAssertThrowsError(try BackboneRegistry.load("keras_efficientnetb0", file: b1, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_efficientnetb0", key: "block1b_dwconv/kernel (block2a_expand_conv/kernel)",
                expected: [1, 1, 16, 96], found: [3, 3, 16, 1], source: b1.path))
        }
        let densenet121 = try file("keras_densenet121")
        XCTAssertThrowsError(try BackboneRegistry.load("keras_mobilenet", file: densenet121, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_mobilenet", key: "conv1_conv/kernel (conv1/kernel)", expected: [3, 3, 3, 32],
                found: [7, 7, 3, 64], source: densenet121.path))
        }
    }

    /// The grid and flat layouts cut the same map the features average: a flat row's per-channel
    /// mean is the feature, and the sizes follow the map (MobileNet 1024×7×7, EfficientNetB2's odd 9×9).
    func testFeatureLayoutsComeFromTheSameMap() throws {
        let folder = try scratchDirectory(self, prefix: "keras-more-layouts")
        for (name, side) in [("keras_mobilenet", 7), ("keras_efficientnetb2", 9)] {
            let reference = try KerasApplicationTests.Reference.load(name)
            let url = folder.appendingPathComponent("\(name).h5")
            try KerasApplicationTests.writeLegacy(reference, notop: true, to: url)
            let backbone = try BackboneRegistry.load(name, file: url, threads: 2)
            let channels = backbone.descriptor.featureDimension
            XCTAssertEqual([backbone.featureMapShape.height, backbone.featureMapShape.width], [side, side], name)
            let rows = try backbone.features(batch: KerasApplicationTests.batch(reference),
                                             layouts: [.average, .grid(2), .flat])
            XCTAssertEqual(rows.map(\.columns), [channels, channels * 4, channels * side * side], name)
            for (i, image) in reference.images.enumerated() {
                KerasApplicationTests.assertClose(rows[0].row(i), image.features, "\(name) \(image.source) avg")
                let flat = rows[2].row(i)
                let means = (0..<channels).map { c in
                    flat[(c * side * side)..<((c + 1) * side * side)].reduce(0, +) / Float(side * side)
                }
                KerasApplicationTests.assertClose(means, image.features, "\(name) \(image.source) flat means")
            }
        }
    }

    func testWeightsAreFoundUnderKerasOwnFileNames() throws {
        let root = try scratchDirectory(self, prefix: "keras-more-home")
        let models = root.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let environment = ["KERAS_HOME": root.path, "SPOTCHECK_CACHE": root.appendingPathComponent("cache").path]
        for (name, file) in [("keras_densenet201", "densenet201_weights_tf_dim_ordering_tf_kernels_notop.h5"),
                             ("keras_mobilenet", "mobilenet_1_0_224_tf_no_top.h5"),
                             ("keras_efficientnetb7", "efficientnetb7_notop.h5")] {
            let descriptor = try BackboneRegistry.descriptor(named: name)
            XCTAssertEqual(descriptor.published.first?.file, file)
            try Data([1]).write(to: models.appendingPathComponent(file))
            XCTAssertEqual(BackboneRegistry.locateWeights(for: descriptor, environment: environment).file?.lastPathComponent,
                           file)
        }
        let mobilenet = try BackboneRegistry.descriptor(named: "keras_mobilenet").fetchCommands.joined(separator: "\n")
        XCTAssertTrue(mobilenet.contains("no digest is published for mobilenet_1_0_224_tf_no_top.h5"), mobilenet)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "keras_efficientnetb3").inputSize, 300)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "keras_efficientnetb7").featureDimension, 2560)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "keras_densenet169").featureDimension, 1664)
    }
}
