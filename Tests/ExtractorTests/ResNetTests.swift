import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// torchvision's ResNets on seeded random weights that this test and
/// scripts/fixtures/resnet_fixtures.py both generate (see `SeededWeights`), against the outputs
/// torchvision 0.28's own model code computed on three real photo crops.
final class ResNetTests: XCTestCase {
    func testTheGeneratorMakesTheScriptsWeights() throws {
        for name in ["resnet18", "resnet50"] {
            try TorchvisionReference.load(name, folder: "resnets")
                .assertSameWeights()
        }
    }

    func testResNet18And50MatchTorchvisionOnRealPhotos() throws {
        for name in ["resnet18", "resnet50"] {
            try TorchvisionReference.load(name, folder: "resnets").assertMatches()
        }
    }

    func testParameterCountsAreTorchvisions() throws {
        let expected = ["resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032,
                        "resnet101": 44_549_160, "resnet152": 60_192_808, "wide_resnet50_2": 68_883_240]
        let tensorCounts = ["resnet18": 102, "resnet34": 182, "resnet50": 267, "resnet101": 522, "resnet152": 777,
                            "wide_resnet50_2": 267]
        for (name, count) in expected {
            let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: name).stateDictLayout)
            let parameters = layout.filter { !$0.key.hasSuffix("running_mean") && !$0.key.hasSuffix("running_var") }
                .reduce(0) { $0 + $1.shape.reduce(1, *) }
            XCTAssertEqual(parameters, count, name)
            XCTAssertEqual(layout.count, tensorCounts[name], name)
        }
    }

    func testAFileOfAnotherNetworkIsRefusedAtItsFirstMisfittingTensor() throws {
        let file = try TorchvisionReference.seededFile("resnet18", for: self)
        XCTAssertThrowsError(try BackboneRegistry.load("resnet50", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "resnet50", key: "layer1.0.conv1.weight", expected: [64, 64, 1, 1], found: [64, 64, 3, 3],
                source: file.path))
            let text = "\(error)"
            XCTAssertTrue(text.contains("layer1.0.conv1.weight") && text.contains("[64, 64, 3, 3]")
                          && text.contains("[64, 64, 1, 1]"), text)
        }
        XCTAssertThrowsError(try BackboneRegistry.load("resnet34", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "resnet34", key: "layer1.2.conv1.weight", expected: [], found: nil, source: file.path))
        }
        // The right name loads it and records the file's own digest.
        let weights = try BackboneRegistry.resolveWeights(for: BackboneRegistry.descriptor(named: "resnet18"), file: file)
        XCTAssertEqual(weights.sha256, try SHA256.hexDigest(of: file))
        XCTAssertFalse(weights.published)
        XCTAssertEqual(try BackboneRegistry.load(BackboneRegistry.descriptor(named: "resnet18"), weights: weights,
                                                 threads: 1).parameterCount, 11_689_512)
        // A file that changes after it was hashed is refused rather than recorded under the old digest.
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: file)
        XCTAssertThrowsError(try BackboneRegistry.load(BackboneRegistry.descriptor(named: "resnet18"),
                                                       weights: weights, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .changedWeights(path: file.path))
        }
    }

    func testWeightsAreFoundWhereTorchHubKeepsThem() throws {
        let root = try scratchDirectory(self, prefix: "torch-home")
        let hub = root.appendingPathComponent("torch/hub/checkpoints")
        let weights = root.appendingPathComponent("spotcheck/weights")
        for folder in [hub, weights] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for name in ["resnet500-0676ba61.pth", "resnet50_x-0676ba61.pth", "resnet50-0676ba6.pth", "resnet50-0676BA61.pth"] {
            try Data([1]).write(to: hub.appendingPathComponent(name))
        }
        let resnet50 = try BackboneRegistry.descriptor(named: "resnet50")
        let environment = ["TORCH_HOME": root.appendingPathComponent("torch").path,
                           "SPOTCHECK_CACHE": root.appendingPathComponent("spotcheck").path]
        let none = BackboneRegistry.locateWeights(for: resnet50, environment: environment)
        XCTAssertNil(none.file)
        XCTAssertEqual(none.searched, ["\(hub.path)/resnet50-*.pth", "\(weights.path)/resnet50-*.pth"])
        XCTAssertThrowsError(try BackboneRegistry.resolveWeights(
            for: resnet50, directory: weights)) { error in
            guard case .missingWeights(let backbone, _, false)? = error as? BackboneError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(backbone, "resnet50")
        }
        // The spotcheck weights folder is the second place; torch hub's wins when both have one.
        try Data([2]).write(to: weights.appendingPathComponent("resnet50-11ad3fa6.pth"))
        XCTAssertEqual(BackboneRegistry.locateWeights(for: resnet50, environment: environment).file?.lastPathComponent,
                       "resnet50-11ad3fa6.pth")
        try Data([3]).write(to: hub.appendingPathComponent("resnet50-0676ba61.pth"))
        XCTAssertEqual(BackboneRegistry.locateWeights(for: resnet50, environment: environment).file?.path,
                       hub.appendingPathComponent("resnet50-0676ba61.pth").path)
        // Without TORCH_HOME: XDG_CACHE_HOME/torch, as torch decides.
        XCTAssertEqual(BackboneRegistry.torchHubCheckpoints(environment: ["XDG_CACHE_HOME": "/x"]).path,
                       "/x/torch/hub/checkpoints")
        XCTAssertTrue(BackboneRegistry.torchHubCheckpoints(environment: [:]).path
                      .hasSuffix("/.cache/torch/hub/checkpoints"))
    }
}
