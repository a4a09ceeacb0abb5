import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// torchvision's RegNetYs on seeded random weights made here and by scripts/fixtures/regnet_fixtures.py
/// alike, against torchvision 0.28's own forward pass on real photo crops (three; one for 16GF and
/// 32GF); stage tables, sizes, weights files and transforms against what torchvision computes and declares.
final class RegNetTests: XCTestCase {
    /// torchvision's numbers for one registered model (models.json).
    struct TorchvisionModel: Decodable {
        struct Release: Decodable {
            let file: String
            let crop: Int
            let resize: Int
            let interpolation: String
        }

        let parameters: Int
        let tensors: Int
        let depths: [Int]
        let widths: [Int]
        let groupWidths: [Int]
        let releases: [String: Release]

        enum CodingKeys: String, CodingKey {
            case parameters, tensors, depths, widths, releases
            case groupWidths = "group_widths"
        }
    }

    static func torchvisionModels() throws -> [String: TorchvisionModel] {
        struct File: Decodable { let models: [String: TorchvisionModel] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: fixtureURL("regnets/models.json",
                                                                                      in: .module))).models
    }

    func testTheGeneratorMakesTheScriptsWeights() throws {
        for name in try Self.torchvisionModels().keys.sorted() {
            try TorchvisionReference.load(name, folder: "regnets").assertSameWeights()
        }
    }

    func testRegNetY400MFMatchesTorchvisionOnRealPhotos() throws {
        // Logits, top-5, pooled features and the 2×2 grid of the last map.
        try TorchvisionReference.load("regnet_y_400mf", folder: "regnets").assertMatches()
    }

    func testLargerRegNetYsMatchTorchvisionOnRealPhotos() throws {
        // 800MF: 16-wide groups, 784 features; 1.6GF: a 17-block stage, 24-wide groups; 3.2GF: a
        // 13-block stage, 1,512 features; 8GF: 56-wide groups, 2,016 features.
        for name in ["regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf", "regnet_y_8gf"] {
            try TorchvisionReference.load(name, folder: "regnets").assertMatches()
        }
    }

    func testTheLargestRegNetYsMatchTorchvisionOnARealPhoto() throws {
        // 16GF: 112-wide groups, 3,024 features (84M weights); 32GF: 232-wide groups (its first
        // stage's 3×3s are ungrouped), 3,712 features (145M weights).
        for name in ["regnet_y_16gf", "regnet_y_32gf"] {
            try TorchvisionReference.load(name, folder: "regnets").assertMatches()
        }
    }

    func testStagesSizesFilesAndTransformsAreTorchvisions() throws {
        let models = try Self.torchvisionModels()
        XCTAssertEqual(models.count, 7)
        for (name, model) in models {
            let descriptor = try BackboneRegistry.descriptor(named: name)
            try TorchvisionReference.assertLayoutSize(name, tensors: model.tensors, parameters: model.parameters)
            let layout = try XCTUnwrap(descriptor.stateDictLayout, name)
            XCTAssertEqual(descriptor.featureDimension, model.widths.last, name)
            // The first grouped 3×3 of each stage: width / group width groups.
            for (stage, depth) in model.depths.enumerated() {
                let key = "trunk_output.block\(stage + 1).block\(stage + 1)-0.f.b.0.weight"
                let width = model.widths[stage]
                XCTAssertEqual(layout.first { $0.key == key }?.shape, [width, model.groupWidths[stage], 3, 3], key)
                let last = "trunk_output.block\(stage + 1).block\(stage + 1)-\(depth - 1).f.c.0.weight"
                XCTAssertTrue(layout.contains { $0.key == last }, last)
                XCTAssertFalse(layout.contains { $0.key.hasPrefix("trunk_output.block\(stage + 1).block\(stage + 1)-\(depth).") })
            }
            // Both published files are found under torch hub's names, and are what --fetch-command fetches.
            guard case .torchHub(let prefix) = descriptor.weights else { return XCTFail(name) }
            let v1 = try XCTUnwrap(model.releases["IMAGENET1K_V1"]), v2 = try XCTUnwrap(model.releases["IMAGENET1K_V2"])
            XCTAssertEqual(descriptor.published.map(\.file), [v2.file, v1.file], name)
            for release in [v1, v2] {
                XCTAssertTrue(release.file.hasPrefix(prefix + "-"), "\(name): \(prefix) vs \(release.file)")
            }
            // The default (V2) weights' transforms.
            let preprocessing = descriptor.preprocessing
            XCTAssertEqual(descriptor.inputSize, v2.crop, name)
            XCTAssertEqual(preprocessing.cropSize, v2.crop, name)
            XCTAssertEqual(preprocessing.resizeShorterSide, v2.resize, name)
            XCTAssertEqual(preprocessing.filter.rawValue, v2.interpolation, name)
            XCTAssertEqual(preprocessing, .torchvision(resizeShorterSide: 232, cropSize: 224, filter: .bilinear), name)
        }
    }

    func testAFileOfAnotherNetworkIsRefusedAtItsFirstMisfittingTensor() throws {
        let file = try TorchvisionReference.seededFile("regnet_y_400mf", for: self)
        // 800MF's stem is as wide, its first stage 64 wide where 400MF's is 48.
        XCTAssertThrowsError(try BackboneRegistry.load("regnet_y_800mf", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "regnet_y_800mf", key: "trunk_output.block1.block1-0.proj.0.weight", expected: [64, 32, 1, 1],
                found: [48, 32, 1, 1], source: file.path))
        }
        // A torchvision ResNet-50 file is refused at its first key.
        XCTAssertThrowsError(try BackboneRegistry.load("regnet_y_400mf", file: TorchvisionReference.seededFile(
            "resnet50", for: self), threads: 1)) { error in
            guard case .incompatibleWeights(_, let key, _, _, _)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "stem.0.weight")
        }
        XCTAssertEqual(try BackboneRegistry.load("regnet_y_400mf", file: file, threads: 1).parameterCount, 4_344_144)
    }

    func testWeightsAreFoundUnderTorchHubsFileNamesAndGiveEveryLayout() throws {
        let root = try scratchDirectory(self, prefix: "regnet-torch-home")
        let hub = root.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        let environment = ["TORCH_HOME": root.path, "SPOTCHECK_CACHE": root.appendingPathComponent("cache").path]
        let descriptor = try BackboneRegistry.descriptor(named: "regnet_y_400mf")
        XCTAssertNil(BackboneRegistry.locateWeights(for: descriptor, environment: environment).file)
        // The V1 file torch hub saves, holding the seeded state dict (the reader sniffs the format).
        let reference = try TorchvisionReference.load("regnet_y_400mf", folder: "regnets")
        let file = hub.appendingPathComponent("regnet_y_400mf-c65dace8.pth")
        try SeededWeights.writeSafetensors(try reference.seededTensors(), to: file)
        // A SWAG-style name of another prefix is not taken for it.
        try Data([1]).write(to: hub.appendingPathComponent("regnet_y_400mf_swag-00000000.pth"))
        let found = BackboneRegistry.locateWeights(for: descriptor, environment: environment)
        XCTAssertEqual(found.file?.lastPathComponent, file.lastPathComponent)
        let backbone = try BackboneRegistry.load(descriptor, weights: BackboneRegistry.resolveWeights(for: descriptor,
                                                                                                      file: found.file),
                                                 threads: 2)
        XCTAssertEqual(backbone.featureMapShape, FeatureShape(channels: 440, height: 7, width: 7))
        let batch = try reference.batch()
        let rows = try backbone.features(batch: batch, layouts: [.average, .grid(2), .flat])
        XCTAssertEqual(rows.map(\.columns), [440, 440 * 4, 440 * 49])
        for (i, image) in reference.images.enumerated() {
            TorchvisionReference.assertClose(rows[0].row(i), image.features, "avg \(image.source)")
            TorchvisionReference.assertClose(rows[1].row(i), try XCTUnwrap(image.grid2), "grid2 \(image.source)")
            // The flat map's channel means are the pooled features.
            let flat = rows[2].row(i)
            let means = (0..<440).map { c in flat[(c * 49)..<(c * 49 + 49)].reduce(0, +) / 49 }
            TorchvisionReference.assertClose(means, image.features, "flat \(image.source)")
        }
    }
}
