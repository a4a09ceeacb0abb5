import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// timm's ResNet-50, RegNetYs, ConvNeXts, EfficientNets and MobileNetV3s from the `model.safetensors`
/// (or `pytorch_model.bin`) the Hugging Face Hub cache keeps: on seeded random weights made here and by
/// scripts/fixtures/timm_fixtures.py alike, against timm 1.0's own forward pass on real photo crops;
/// its preprocessing against timm's transform for the pretrained tag; the lookup in the Hub cache's layout.
final class TimmBackboneTests: XCTestCase {
    /// timm's numbers for one registered backbone (configs.json).
    struct TimmConfig: Decodable {
        let tag: String
        let hfHubId: String
        let interpolation: String
        let resize: Int
        let crop: Int
        let mean: [Float]
        let std: [Float]
        let tensors: Int
        let parameters: Int

        enum CodingKeys: String, CodingKey {
            case tag, interpolation, resize, crop, mean, std, tensors, parameters
            case hfHubId = "hf_hub_id"
        }
    }

    static func timmConfigs() throws -> [String: TimmConfig] {
        struct File: Decodable { let models: [String: TimmConfig] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: fixtureURL("timm/configs.json",
                                                                                      in: .module))).models
    }

    func testTimmResNet50MatchesTimmOnRealPhotos() throws {
        let reference = try TorchvisionReference.load("timm_resnet50", folder: "timm")
        try reference.assertSameWeights()
        try reference.assertMatches()
    }

    func testTimmRegNetYsMatchTimmOnRealPhotos() throws {
        // torchvision's RegNet graph under timm's key names (s1.b1.conv1.conv, …, head.fc); the
        // last two on one photo.
        for name in ["timm_regnety_004", "timm_regnety_016", "timm_regnety_032", "timm_regnety_160", "timm_regnety_320"] {
            let reference = try TorchvisionReference.load(name, folder: "timm")
            try reference.assertSameWeights()
            try reference.assertMatches()
        }
    }

    func testATorchvisionRegNetFileIsRefusedByItsTimmTwinAtTheFirstKey() throws {
        let file = try TorchvisionReference.seededFile("regnet_y_400mf", for: self)
        XCTAssertThrowsError(try BackboneRegistry.load("timm_regnety_004", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "timm_regnety_004", key: "stem.conv.weight", expected: [], found: nil, source: file.path))
        }
    }

    func testPreprocessingRepoAndSizesAreTimms() throws {
        let configs = try Self.timmConfigs()
        XCTAssertEqual(Set(configs.keys), Set(BackboneRegistry.names.filter { $0.hasPrefix("timm_") }))
        for (name, config) in configs {
            let descriptor = try BackboneRegistry.descriptor(named: name)
            XCTAssertEqual(descriptor.weights, .huggingFace(repo: config.hfHubId), name)
            try TorchvisionReference.assertLayoutSize(name, tensors: config.tensors, parameters: config.parameters)
            let preprocessing = descriptor.preprocessing
            XCTAssertEqual(descriptor.inputSize, config.crop, name)
            XCTAssertEqual(preprocessing.cropSize, config.crop, name)
            XCTAssertEqual(preprocessing.resizeShorterSide, config.resize, name)
            XCTAssertEqual(preprocessing.filter.rawValue, config.interpolation, name)
            XCTAssertEqual(preprocessing.channelOrder, .rgb, name)
            for c in 0..<3 {
                XCTAssertEqual(preprocessing.mean[c], config.mean[c] * 255, accuracy: 1e-4, name)
                XCTAssertEqual(preprocessing.scale[c], config.std[c] * 255, accuracy: 1e-4, name)
            }
            // --fetch-command: the Hub's URL and its own client, which checks the Hub's sha256.
            let commands = descriptor.fetchCommands
            XCTAssertEqual(commands.filter { !$0.hasPrefix("#") }, ["hf download \(config.hfHubId) model.safetensors"])
            let url = "https://huggingface.co/\(config.hfHubId)/resolve/main/model.safetensors"
            XCTAssertEqual(descriptor.published.map(\.url), [url])
            XCTAssertTrue(commands.contains("# \(url)"), "\(commands)")
        }
    }

    func testWeightsAreFoundInTheHuggingFaceCacheMainRevisionFirst() throws {
        let root = try scratchDirectory(self, prefix: "hf-home")
        let weightsFolder = root.appendingPathComponent("spotcheck/weights")
        let environment = ["HF_HOME": root.appendingPathComponent("hf").path,
                           "SPOTCHECK_CACHE": root.appendingPathComponent("spotcheck").path]
        let descriptor = try BackboneRegistry.descriptor(named: "timm_resnet50")
        let repo = root.appendingPathComponent("hf/hub/models--timm--resnet50.a1_in1k")
        let none = BackboneRegistry.locateWeights(for: descriptor, environment: environment)
        XCTAssertNil(none.file)
        XCTAssertEqual(none.searched, ["\(repo.path)/snapshots/*/model.safetensors",
                                       "\(repo.path)/snapshots/*/pytorch_model.bin",
                                       "\(weightsFolder.path)/timm--resnet50.a1_in1k.safetensors"])

        // The Hub's layout: snapshot entries link to blobs named by their sha256.
        let blob = repo.appendingPathComponent("blobs/0123abcd")
        try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SeededWeights.writeSafetensors(try TorchvisionReference.seededTensors("timm_resnet50"), to: blob)
        let (older, newer) = ("1111aaaa", "9999ffff")
        for revision in [older, newer] {
            let snapshot = repo.appendingPathComponent("snapshots/\(revision)")
            try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent("model.safetensors").path,
                                                       withDestinationPath: "../../blobs/0123abcd")
        }
        func found() -> String? {
            BackboneRegistry.locateWeights(for: descriptor, environment: environment).file?.path
        }
        // No refs/main (or one naming no snapshot, or a path): the first snapshot by name.
        XCTAssertEqual(found(), "\(repo.path)/snapshots/\(older)/model.safetensors")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        for bad in ["../../..", "feedbeef", String(repeating: "a", count: 100)] {
            try Data(bad.utf8).write(to: repo.appendingPathComponent("refs/main"))
            XCTAssertEqual(found(), "\(repo.path)/snapshots/\(older)/model.safetensors", bad)
        }
        try Data("\(newer)\n".utf8).write(to: repo.appendingPathComponent("refs/main"))
        XCTAssertEqual(found(), "\(repo.path)/snapshots/\(newer)/model.safetensors")
        // HF_HUB_CACHE wins over HF_HOME.
        var moved = environment
        moved["HF_HUB_CACHE"] = root.appendingPathComponent("elsewhere").path
        XCTAssertNil(BackboneRegistry.locateWeights(for: descriptor, environment: moved).file)

        // The linked file loads, and is identified by its own digest.
        let url = try XCTUnwrap(found().map(URL.init(fileURLWithPath:)))
        let weights = try BackboneRegistry.resolveWeights(for: descriptor, file: url)
        XCTAssertEqual(weights.sha256, try SHA256.hexDigest(of: blob))
        XCTAssertEqual(try BackboneRegistry.load(descriptor, weights: weights, threads: 1).parameterCount, 25_557_032)

        // Without the Hub cache, the weights folder's OWNER--NAME.safetensors.
        try FileManager.default.createDirectory(at: weightsFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: blob, to: weightsFolder.appendingPathComponent("timm--resnet50.a1_in1k.safetensors"))
        XCTAssertEqual(BackboneRegistry.locateWeights(for: descriptor, environment: moved).file?.lastPathComponent,
                       "timm--resnet50.a1_in1k.safetensors")
    }

    func testAFileOfAnotherNetworkIsRefusedAtItsFirstMisfittingTensor() throws {
        let file = try TorchvisionReference.seededFile("resnet18", for: self)
        XCTAssertThrowsError(try BackboneRegistry.load("timm_resnet50", file: file, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "timm_resnet50", key: "layer1.0.conv1.weight", expected: [64, 64, 1, 1], found: [64, 64, 3, 3],
                source: file.path))
        }
    }

    func testTimmConvNeXtsMatchTimmOnRealPhotos() throws {
        // torchvision's ConvNeXt graph under timm's key names (stem.0, stages.0.blocks.0.conv_dw, …, head.fc),
        // timm's vector layer scale `gamma`; Small and Base on one photo.
        for name in ["timm_convnext_tiny", "timm_convnext_small", "timm_convnext_base"] {
            let reference = try TorchvisionReference.load(name, folder: "timm")
            try reference.assertSameWeights()
            try reference.assertMatches()
        }
    }

    func testTimmEfficientNetsMatchTimmOnRealPhotos() throws {
        // torchvision's EfficientNet graph under timm's key names (conv_stem, blocks.1.0.conv_pw, …, classifier)
        // at each tag's input side (224 … 320); B3 and B4 on one photo.
        for member in 0...4 {
            let reference = try TorchvisionReference.load("timm_efficientnet_b\(member)", folder: "timm")
            try reference.assertSameWeights()
            try reference.assertMatches()
        }
    }

    func testTimmMobileNetV3sMatchTimmOnRealPhotos() throws {
        // torchvision's MobileNetV3 graph with batch-norm ε 1e-5, timm's stages and its 1×1 `conv_head`.
        for name in ["timm_mobilenetv3_large_100", "timm_mobilenetv3_small_100"] {
            let reference = try TorchvisionReference.load(name, folder: "timm")
            try reference.assertSameWeights()
            try reference.assertMatches()
        }
    }

    func testAFileOfAnotherTimmNetworkIsRefusedAtItsFirstMisfittingKey() throws {
        func assertRefused(_ name: String, _ file: URL, key: String, expected: [Int] = [], found: [Int]? = nil,
                           line: UInt = #line) {
            XCTAssertThrowsError(try BackboneRegistry.load(name, file: file, threads: 1), line: line) { error in
                XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                    backbone: name, key: key, expected: expected, found: found, source: file.path), line: line)
            }
        }
        // Small has 27 blocks in its third stage where Tiny has 9; timm's block starts with its `gamma`.
        let tiny = try TorchvisionReference.seededFile("timm_convnext_tiny", for: self)
        assertRefused("timm_convnext_small", tiny, key: "stages.2.blocks.9.gamma")
        assertRefused("timm_convnext_base", tiny, key: "stem.0.weight", expected: [128, 3, 4, 4], found: [96, 3, 4, 4])
        // B1 has two blocks in its first stage where B0 has one; MobileNetV3's stem is 16 wide, B0's 32.
        let b0 = try TorchvisionReference.seededFile("timm_efficientnet_b0", for: self)
        assertRefused("timm_efficientnet_b1", b0, key: "blocks.0.1.conv_dw.weight")
        assertRefused("timm_mobilenetv3_large_100", b0, key: "conv_stem.weight", expected: [16, 3, 3, 3], found: [32, 3, 3, 3])
        XCTAssertEqual(try BackboneRegistry.load("timm_efficientnet_b0", file: b0, threads: 1).parameterCount, 5_288_548)
        // torchvision's files of the same networks have other keys.
        for (torchvision, timm, key) in [("convnext_tiny", "timm_convnext_tiny", "stem.0.weight"),
                                         ("efficientnet_b0", "timm_efficientnet_b0", "conv_stem.weight"),
                                         ("mobilenet_v3_small", "timm_mobilenetv3_small_100", "conv_stem.weight")] {
            assertRefused(timm, try TorchvisionReference.seededFile(torchvision, for: self), key: key)
        }
    }

    func testAnOlderReposPytorchModelBinIsFoundWhereItsSnapshotHasNoSafetensors() throws {
        let root = try scratchDirectory(self, prefix: "hf-bin")
        let environment = ["HF_HUB_CACHE": root.appendingPathComponent("hub").path,
                           "SPOTCHECK_CACHE": root.appendingPathComponent("spotcheck").path]
        let descriptor = try BackboneRegistry.descriptor(named: "timm_efficientnet_b0")
        let repo = root.appendingPathComponent("hub/models--timm--efficientnet_b0.ra_in1k")
        XCTAssertEqual(BackboneRegistry.locateWeights(for: descriptor, environment: environment).searched,
                       ["\(repo.path)/snapshots/*/model.safetensors", "\(repo.path)/snapshots/*/pytorch_model.bin",
                        root.appendingPathComponent("spotcheck/weights/timm--efficientnet_b0.ra_in1k.safetensors").path])
        func found() -> URL? { BackboneRegistry.locateWeights(for: descriptor, environment: environment).file }

        // A snapshot with only pytorch_model.bin (a torch zip state dict): found, and read as one.
        let snapshot = repo.appendingPathComponent("snapshots/1111aaaa")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        let bin = snapshot.appendingPathComponent("pytorch_model.bin")
        try FileManager.default.copyItem(at: CheckpointFixtures.url("small_zip.pt"), to: bin)
        XCTAssertEqual(found()?.path, bin.path)
        XCTAssertEqual(try Checkpoint(contentsOf: bin).format, .torchZip)
        // It is a small test file, not the network: refused at the network's first key, not as unreadable.
        let weights = try BackboneRegistry.resolveWeights(for: descriptor, file: found())
        XCTAssertThrowsError(try BackboneRegistry.load(descriptor, weights: weights, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "timm_efficientnet_b0", key: "conv_stem.weight", expected: [], found: nil,
                source: bin.path))
        }

        // model.safetensors beside it is preferred, and a newer main revision's file before both.
        let safetensors = snapshot.appendingPathComponent("model.safetensors")
        try SeededWeights.writeSafetensors(try TorchvisionReference.seededTensors("timm_efficientnet_b0"), to: safetensors)
        XCTAssertEqual(found()?.path, safetensors.path)
        let main = repo.appendingPathComponent("snapshots/2222bbbb")
        try FileManager.default.createDirectory(at: main, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: bin, to: main.appendingPathComponent("pytorch_model.bin"))
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data("2222bbbb".utf8).write(to: repo.appendingPathComponent("refs/main"))
        XCTAssertEqual(found()?.path, main.appendingPathComponent("pytorch_model.bin").path)
    }
}
