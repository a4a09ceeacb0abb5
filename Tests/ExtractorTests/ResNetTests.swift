import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// torchvision's ResNets on seeded random weights that this test and
/// scripts/fixtures/resnet_fixtures.py both generate (see `SeededWeights`), against the outputs
/// torchvision 0.28's own model code computed on three real photo crops.
final class ResNetTests: XCTestCase {
    /// The committed reference of one model.
    struct Reference: Decodable {
        struct WeightsCheck: Decodable {
            let key: String
            let first: [Float]
            let sum: Double
        }

        struct Image: Decodable {
            let source: String
            let top5: [Int]
            let logits: [Float]
            let features: [Float]
            let grid2: [Float]?
            /// Every `flatStep`-th value of the flattened feature map (VGG/DenseNet references).
            let flatSample: [Float]?

            enum CodingKeys: String, CodingKey {
                case source, top5, logits, features, grid2
                case flatSample = "flat_sample"
            }
        }

        let model: String
        let torchvision: String
        let weightsChecks: [WeightsCheck]
        let featureMapShape: [Int]
        let flatStep: Int?
        let images: [Image]

        enum CodingKeys: String, CodingKey {
            case model, torchvision, images
            case weightsChecks = "weights_checks"
            case featureMapShape = "feature_map_shape"
            case flatStep = "flat_step"
        }

        static func load(_ model: String, folder: String = "resnets") throws -> Reference {
            try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixtureURL("\(folder)/\(model).json",
                                                                                        in: .module)))
        }
    }

    /// A seeded state dict of `name` with torchvision's keys.
    static func seededTensors(_ name: String) throws -> [(key: String, shape: [Int], values: [Float])] {
        let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: name).stateDictLayout)
        return layout.map { ($0.key, $0.shape, SeededWeights.values(key: $0.key, shape: $0.shape)) }
    }

    /// The seeded state dict of `name` written as safetensors in a scratch folder of `test`.
    static func seededFile(_ name: String, for test: XCTestCase) throws -> URL {
        let file = try scratchDirectory(test, prefix: "\(name)-refusal").appendingPathComponent("\(name)-random.safetensors")
        try SeededWeights.writeSafetensors(try seededTensors(name), to: file)
        return file
    }

    /// The photo crops normalised as the script does: centre 224 of 260, `(x/255 − mean)/std` in float32.
    static func batch(_ reference: Reference) throws -> ImageBatch {
        let (side, size) = (260, 224)
        let offset = (side - size) / 2
        let mean: [Float] = [0.485, 0.456, 0.406]
        let std: [Float] = [0.229, 0.224, 0.225]
        var values = [Float]()
        for image in reference.images {
            let rgb = [UInt8](try Data(contentsOf: fixtureURL("backbones/\(image.source)", in: .module)))
            XCTAssertEqual(rgb.count, side * side * 3)
            for c in 0..<3 {
                for y in 0..<size {
                    for x in 0..<size {
                        let v = Float(rgb[((y + offset) * side + x + offset) * 3 + c])
                        values.append((v / 255 - mean[c]) / std[c])
                    }
                }
            }
        }
        return ImageBatch(count: reference.images.count, channels: 3, height: size, width: size, values: values)
    }

    func testTheGeneratorMakesTheScriptsWeights() throws {
        for name in ["resnet18", "resnet50"] {
            try Self.assertSameWeights(try Self.seededTensors(name), as: try Reference.load(name))
        }
    }

    /// Checks that seeded tensors are the script's: first values and sums of the reference's checks.
    static func assertSameWeights(_ tensors: [(key: String, shape: [Int], values: [Float])],
                                  as reference: Reference) throws {
        let layout = Dictionary(uniqueKeysWithValues: tensors.map { ($0.key, $0) })
        for check in reference.weightsChecks {
            let tensor = try XCTUnwrap(layout[check.key], "\(reference.model) \(check.key)")
            XCTAssertEqual(Array(tensor.values.prefix(4)), check.first, "\(reference.model) \(check.key)")
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, check.sum, accuracy: 1e-9 * max(1, abs(check.sum)), "\(reference.model) \(check.key)")
        }
    }

    func testResNet18And50MatchTorchvisionOnRealPhotos() throws {
        for name in ["resnet18", "resnet50"] {
            let reference = try Reference.load(name)
            let tensors = Dictionary(uniqueKeysWithValues: try Self.seededTensors(name).map {
                ($0.key, WeightTensor(shape: $0.shape, values: $0.values))
            })
            let backbone = try Backbone(descriptor: BackboneRegistry.descriptor(named: name), tensors: tensors,
                                        source: "seeded \(name)", threads: 2)
            XCTAssertEqual([backbone.featureMapShape.channels, backbone.featureMapShape.height,
                            backbone.featureMapShape.width], reference.featureMapShape)
            let batch = try Self.batch(reference)
            let (features, logits) = try backbone.featuresAndLogits(batch: batch)
            let grids = name == "resnet18" ? try backbone.features(batch: batch, layout: .grid(2)) : nil
            for (i, image) in reference.images.enumerated() {
                Self.assertClose(features.row(i), image.features, "\(name) \(image.source) features")
                Self.assertClose(logits.row(i), image.logits, "\(name) \(image.source) logits")
                XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5,
                               "\(name) \(image.source) top-5")
                if let grids, let grid = image.grid2 { Self.assertClose(grids.row(i), grid, "\(name) \(image.source) grid2") }
            }
        }
    }

    /// Every value within 1e-4 of the reference's largest magnitude.
    static func assertClose(_ got: [Float], _ expected: [Float], _ what: String) {
        XCTAssertEqual(got.count, expected.count, what)
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "\(what): max |diff| \(worst) of max |value| \(scale)")
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
        let file = try Self.seededFile("resnet18", for: self)
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
