import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// torchvision's ConvNeXt-Tiny, -Small and -Base on seeded random weights made here and by
/// scripts/fixtures/convnext_fixtures.py alike, against torchvision 0.28's own forward pass on three
/// real photo crops; sizes, weights files and transforms against what torchvision declares.
final class ConvNeXtTests: XCTestCase {
    static let names = ["convnext_tiny", "convnext_small", "convnext_base"]

    func testTheGeneratorMakesTheScriptsWeights() throws {
        for name in Self.names {
            try TorchvisionReference.load(name, folder: "convnext").assertSameWeights()
        }
    }

    /// Tiny in full, through a file the loader reads: the pooled (layer-normed) features, logits,
    /// top-5 and the 2×2 grid of the last map; the flat layout is the whole 768×7×7 map.
    func testConvNeXtTinyFromAFileMatchesTorchvisionOnRealPhotos() throws {
        let reference = try TorchvisionReference.load("convnext_tiny", folder: "convnext")
        let file = try TorchvisionReference.seededFile("convnext_tiny", for: self)
        let backbone = try BackboneRegistry.load("convnext_tiny", file: file, threads: 2)
        XCTAssertEqual(backbone.parameterCount, 28_589_128)
        let map = backbone.featureMapShape
        XCTAssertEqual([map.channels, map.height, map.width], reference.featureMapShape)
        let batch = try reference.batch()
        let (features, logits) = try backbone.featuresAndLogits(batch: batch)
        let layouts = try backbone.features(batch: batch, layouts: [.average, .grid(2), .flat])
        XCTAssertEqual(layouts.map(\.columns), [768, 768 * 4, 768 * 7 * 7])
        for (i, image) in reference.images.enumerated() {
            let what = "convnext_tiny \(image.source)"
            TorchvisionReference.assertClose(features.row(i), image.features, "\(what) features")
            XCTAssertEqual(layouts[0].row(i), features.row(i), "\(what) avg layout")
            TorchvisionReference.assertClose(logits.row(i), image.logits, "\(what) logits")
            XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5, "\(what) top-5")
            TorchvisionReference.assertClose(layouts[1].row(i), try XCTUnwrap(image.grid2), "\(what) grid2")
        }
    }

    /// Small (27 blocks in stage 3) and Base (wider), assembled from their state dicts.
    func testConvNeXtSmallAndBaseMatchTorchvisionOnRealPhotos() throws {
        for name in ["convnext_small", "convnext_base"] {
            try TorchvisionReference.load(name, folder: "convnext").assertMatches()
        }
    }

    func testSizesFilesAndTransformsAreTorchvisions() throws {
        let models = try SqueezeExcitationFamiliesTests.torchvisionModels("convnext")
        XCTAssertEqual(Set(models.keys), Set(Self.names))
        for (name, model) in models {
            try model.assertDescribes(name)
            XCTAssertEqual(try BackboneRegistry.descriptor(named: name).published.map(\.file), [model.file], name)
        }
        XCTAssertEqual(try Self.names.map { try BackboneRegistry.descriptor(named: $0).featureDimension }, [768, 768, 1024])
        XCTAssertFalse(BackboneRegistry.defaultNames.contains { $0.hasPrefix("convnext") })
    }

    func testAFileOfAnotherFamilyMemberIsRefusedAtItsFirstMisfittingTensor() throws {
        let file = try TorchvisionReference.seededFile("convnext_tiny", for: self)
        // Small has 27 blocks in its third stage where Tiny has 9.
        XCTAssertThrowsError(try BackboneRegistry.load("convnext_small", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "convnext_small", key: "features.5.9.layer_scale", expected: [], found: nil, source: file.path))
        }
        // Base's stem is 128 wide, Tiny's 96.
        XCTAssertThrowsError(try BackboneRegistry.load("convnext_base", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "convnext_base", key: "features.0.0.weight", expected: [128, 3, 4, 4], found: [96, 3, 4, 4],
                source: file.path))
        }
        // A ResNet's file is not a ConvNeXt.
        let resnet = try TorchvisionReference.seededFile("resnet18", for: self)
        XCTAssertThrowsError(try BackboneRegistry.load("convnext_tiny", file: resnet, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "convnext_tiny", key: "features.0.0.weight", expected: [], found: nil, source: resnet.path))
        }
    }

    func testWeightsAreFoundUnderTorchHubsFileNames() throws {
        let root = try scratchDirectory(self, prefix: "convnext-torch-home")
        let hub = root.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        let files = ["convnext_tiny-983f1562.pth", "convnext_small-0c510722.pth", "convnext_base-6075fbad.pth"]
        for file in files { try Data([1]).write(to: hub.appendingPathComponent(file)) }
        let environment = ["TORCH_HOME": root.path, "SPOTCHECK_CACHE": root.appendingPathComponent("cache").path]
        for (name, file) in zip(Self.names, files) {
            let found = BackboneRegistry.locateWeights(for: try BackboneRegistry.descriptor(named: name),
                                                       environment: environment)
            XCTAssertEqual(found.file?.lastPathComponent, file, name)
        }
    }
}
