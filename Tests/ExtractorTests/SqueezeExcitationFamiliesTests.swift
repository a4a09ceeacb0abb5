import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// torchvision's EfficientNets (B0–B7, V2-S) and MobileNetV3s on seeded random weights made here and
/// by scripts/fixtures/se_families_fixtures.py alike, against torchvision 0.28's own forward pass on
/// three real photo crops (B6 and B7 on the first only); sizes, weights files and transforms against
/// what torchvision declares.
final class SqueezeExcitationFamiliesTests: XCTestCase {
    /// Models whose forward pass the script recorded.
    static let checked = efficientNets + ["mobilenet_v3_large", "mobilenet_v3_small"]
    /// Every registered torchvision EfficientNet.
    static let efficientNets = (0...7).map { "efficientnet_b\($0)" } + ["efficientnet_v2_s"]

    /// torchvision's numbers for one registered model (models.json).
    struct TorchvisionModel: Decodable {
        let parameters: Int
        let tensors: Int
        let file: String
        let crop: Int
        let resize: Int
        let interpolation: String
        let mean: [Float]
        let std: [Float]

        /// Asserts that the registry's `name` has torchvision's tensors, parameter count, torch hub
        /// file prefix, crop, resize, filter, channel order and normalisation.
        func assertDescribes(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let descriptor = try BackboneRegistry.descriptor(named: name)
            let layout = try XCTUnwrap(descriptor.stateDictLayout, name, file: file, line: line)
            XCTAssertEqual(layout.count, tensors, name, file: file, line: line)
            XCTAssertEqual(layout.filter { !$0.key.hasSuffix("running_mean") && !$0.key.hasSuffix("running_var") }
                .reduce(0) { $0 + $1.shape.reduce(1, *) }, parameters, name, file: file, line: line)
            // torch hub's file name of the default weights is what the registry looks for.
            guard case .torchHub(let prefix) = descriptor.weights else { return XCTFail(name, file: file, line: line) }
            XCTAssertTrue(self.file.hasPrefix(prefix + "-"), "\(name): \(prefix) vs \(self.file)", file: file, line: line)
            let preprocessing = descriptor.preprocessing
            XCTAssertEqual(descriptor.inputSize, crop, name, file: file, line: line)
            XCTAssertEqual(preprocessing.cropSize, crop, name, file: file, line: line)
            XCTAssertEqual(preprocessing.resizeShorterSide, resize, name, file: file, line: line)
            XCTAssertEqual(preprocessing.filter.rawValue, interpolation, name, file: file, line: line)
            XCTAssertEqual(preprocessing.channelOrder, .rgb, name, file: file, line: line)
            XCTAssertEqual(preprocessing.fit, .crop, name, file: file, line: line)
            for c in 0..<3 {
                XCTAssertEqual(preprocessing.mean[c], mean[c] * 255, accuracy: 1e-4, name, file: file, line: line)
                XCTAssertEqual(preprocessing.scale[c], std[c] * 255, accuracy: 1e-4, name, file: file, line: line)
            }
        }
    }

    /// torchvision's numbers of the models a fixture script registered (`<folder>/models.json`).
    static func torchvisionModels(_ folder: String = "se_families") throws -> [String: TorchvisionModel] {
        struct File: Decodable { let models: [String: TorchvisionModel] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: fixtureURL("\(folder)/models.json",
                                                                                      in: .module))).models
    }

    func testTheGeneratorMakesTheScriptsWeights() throws {
        for name in Self.checked {
            try TorchvisionReference.load(name, folder: "se_families")
                .assertSameWeights()
        }
    }

    func testEfficientNetsMatchTorchvisionOnRealPhotos() throws {
        // B0–B4 (ε 1e-5, depth ×1…1.8 rounding up, width ×1…1.4 to multiples of 8), B5–B7 (ε 1e-3,
        // 456–600 px) and V2-S (fused MBConv stages).
        for name in Self.efficientNets {
            try TorchvisionReference.load(name, folder: "se_families").assertMatches()
        }
    }

    func testMobileNetV3sMatchTorchvisionOnRealPhotos() throws {
        for name in ["mobilenet_v3_large", "mobilenet_v3_small"] {
            try TorchvisionReference.load(name, folder: "se_families").assertMatches()
        }
    }

    func testSizesFilesAndTransformsAreTorchvisions() throws {
        let models = try Self.torchvisionModels()
        XCTAssertEqual(models.count, 11)
        for (name, model) in models { try model.assertDescribes(name) }
        XCTAssertEqual(Preprocessing.torchvision(resizeShorterSide: 256, cropSize: 224, filter: .bilinear), .torchvision)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "efficientnet_b7").featureDimension, 2560)
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "mobilenet_v3_large").featureDimension, 960)
        // The EfficientNet-Lite backbones keep their names and their own (TensorFlow) preprocessing.
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "efficientnet_lite0").preprocessing,
                       .tensorflow(inputSize: 224))
    }

    func testAFileOfAnotherNetworkIsRefusedAtItsFirstMisfittingTensor() throws {
        let folder = try scratchDirectory(self, prefix: "se-refusal")
        let file = folder.appendingPathComponent("efficientnet_b0-random.safetensors")
        try SeededWeights.writeSafetensors(try TorchvisionReference.seededTensors("efficientnet_b0"), to: file)
        // B1 has two blocks in its first stage where B0 has one.
        XCTAssertThrowsError(try BackboneRegistry.load("efficientnet_b1", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "efficientnet_b1", key: "features.1.1.block.0.0.weight", expected: [], found: nil,
                source: file.path))
        }
        // MobileNetV3's stem is 16 wide, B0's 32.
        XCTAssertThrowsError(try BackboneRegistry.load("mobilenet_v3_large", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "mobilenet_v3_large", key: "features.0.0.weight", expected: [16, 3, 3, 3], found: [32, 3, 3, 3],
                source: file.path))
            XCTAssertTrue("\(error)".contains("[32, 3, 3, 3]"), "\(error)")
        }
        let backbone = try BackboneRegistry.load("efficientnet_b0", file: file, threads: 1)
        XCTAssertEqual(backbone.parameterCount, 5_288_548)
    }

    func testWeightsAreFoundUnderTorchHubsFileNames() throws {
        let root = try scratchDirectory(self, prefix: "se-torch-home")
        let hub = root.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        let models = try Self.torchvisionModels()
        for model in models.values { try Data([1]).write(to: hub.appendingPathComponent(model.file)) }
        let environment = ["TORCH_HOME": root.path, "SPOTCHECK_CACHE": root.appendingPathComponent("cache").path]
        for (name, model) in models {
            let found = BackboneRegistry.locateWeights(for: try BackboneRegistry.descriptor(named: name),
                                                       environment: environment)
            XCTAssertEqual(found.file?.lastPathComponent, model.file, name)
        }
    }
}
