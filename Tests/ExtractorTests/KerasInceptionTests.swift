import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// Keras' InceptionV3 and InceptionResNetV2 beyond the shared framework check in
/// KerasApplicationTests (which compares both with Keras 3 on real photos): a file of the other
/// network is refused where the two first differ, and the 8×8 map gives every feature layout.
final class KerasInceptionTests: XCTestCase {
    typealias Reference = KerasApplicationTests.Reference

    func testAnInceptionV3FileIsRefusedAsInceptionResNetV2AtItsFirstMisfittingWeight() throws {
        let folder = try scratchDirectory(self, prefix: "keras-inception-refusal")
        let v3 = folder.appendingPathComponent("inception_v3_notop.h5")
        try KerasApplicationTests.writeLegacy(try Reference.load("keras_inception_v3"), notop: true, to: v3)
        // The stems and mixed0 / mixed_5b's first convolutions agree; in Keras' layer order the
        // next is the 1×1 branch: 64 filters in InceptionV3, 96 in InceptionResNetV2.
        XCTAssertThrowsError(try BackboneRegistry.load("keras_inception_resnet_v2", file: v3, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_inception_resnet_v2", key: "conv2d_5/kernel", expected: [1, 1, 192, 96],
                found: [1, 1, 192, 64], source: v3.path))
        }
    }

    func testTheEightByEightMapGivesEveryLayout() throws {
        let folder = try scratchDirectory(self, prefix: "keras-inception-layouts")
        let reference = try Reference.load("keras_inception_v3")
        let file = folder.appendingPathComponent("inception_v3_notop.h5")
        try KerasApplicationTests.writeLegacy(reference, notop: true, to: file)
        let backbone = try BackboneRegistry.load("keras_inception_v3", file: file, threads: 2)
        let shape = backbone.featureMapShape
        XCTAssertEqual([shape.channels, shape.height, shape.width], [2048, 8, 8])
        let descriptor = backbone.descriptor
        XCTAssertEqual(descriptor.inputSize, 299)
        XCTAssertEqual(descriptor.preprocessing, .kerasTensorflow(inputSize: 299))
        let batch = try BackboneReference.batch(sources: [reference.images[0].source], inputSize: 299, cropOffset: -19,
                                                descriptor.preprocessing)
        let maps = try backbone.featureMaps(batch: batch)
        let layouts = try backbone.features(batch: batch, layouts: [.average, .grid(2), .flat])
        XCTAssertEqual(layouts.map(\.columns), [2048, 2048 * 4, 2048 * 64])
        XCTAssertEqual(layouts[2].values, maps.values, "flat is the map in channel-major order")
        // A 2×2 grid of an 8×8 map: each cell the mean of a 4×4 quarter; channel 7's first cell.
        let plane = Array(maps.values[(7 * 64)..<(8 * 64)])
        let quarter = (0..<4).flatMap { y in (0..<4).map { x in Double(plane[y * 8 + x]) } }
        XCTAssertEqual(Double(layouts[1][0, 7 * 4]), quarter.reduce(0, +) / 16, accuracy: 1e-5)
        assertEqual(layouts[0].row(0), reference.images[0].features, accuracy: 1e-4)
    }

    private func assertEqual(_ got: [Float], _ expected: [Float], accuracy: Float) {
        XCTAssertEqual(got.count, expected.count)
        let scale = expected.map(abs).max() ?? 1
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: accuracy * scale) }
    }
}
