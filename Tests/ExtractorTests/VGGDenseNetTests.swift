import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// torchvision's VGGs and DenseNets on the seeded random weights of `SeededWeights` (the ResNet
/// tests' generator), against the outputs torchvision 0.28's own model code computed on three
/// real photo crops (scripts/fixtures/vgg_densenet_fixtures.py).
final class VGGDenseNetTests: XCTestCase {
    private typealias Reference = TorchvisionReference

    /// Builds `name` on its seeded weights (optionally renamed) and compares every output the
    /// reference has: pooled features, logits, top-5, the feature-map shape and every
    /// `flatStep`-th value of the `flat` layout.
    private func check(_ name: String, renaming rename: (String) -> String = { $0 }) throws {
        let reference = try Reference.load(name, folder: "torchvision")
        let seeded = try TorchvisionReference.seededTensors(name)
        try reference.assertSameWeights()
        let tensors = Dictionary(uniqueKeysWithValues: seeded.map {
            (rename($0.key), WeightTensor(shape: $0.shape, values: $0.values))
        })
        let backbone = try Backbone(descriptor: BackboneRegistry.descriptor(named: name), tensors: tensors,
                                    source: "seeded \(name)", threads: 2)
        let map = backbone.featureMapShape
        XCTAssertEqual([map.channels, map.height, map.width], reference.featureMapShape, name)
        let batch = try reference.batch()
        let (features, logits) = try backbone.featuresAndLogits(batch: batch)
        let flat = try backbone.features(batch: batch, layout: .flat)
        XCTAssertEqual(flat.columns, map.count, name)
        let step = try XCTUnwrap(reference.flatStep)
        for (i, image) in reference.images.enumerated() {
            let what = "\(name) \(image.source)"
            TorchvisionReference.assertClose(features.row(i), image.features, "\(what) features")
            TorchvisionReference.assertClose(logits.row(i), image.logits, "\(what) logits")
            XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5, "\(what) top-5")
            let sample = stride(from: 0, to: flat.columns, by: step).map { flat.row(i)[$0] }
            TorchvisionReference.assertClose(sample, try XCTUnwrap(image.flatSample), "\(what) flat")
        }
    }

    /// The batch-norm variant (folded into biased convolutions); VGG-16 below covers the plain one.
    func testVGG11WithBatchNormMatchesTorchvisionOnRealPhotos() throws {
        try check("vgg11_bn")
    }

    /// VGG-16 in full (138M seeded weights): its `flat` layout is the cookbook's 25,088 features.
    func testVGG16MatchesTorchvisionOnRealPhotos() throws {
        XCTAssertEqual(try BackboneRegistry.descriptor(named: "vgg16").featureDimension, 512)
        try check("vgg16")
    }

    func testDenseNet121MatchesTorchvisionOnRealPhotos() throws {
        try check("densenet121")
    }

    /// Every other registered member, on one photo each (their references keep the files small).
    func testEveryOtherMemberMatchesTorchvisionOnARealPhoto() throws {
        for name in ["vgg11", "vgg13", "vgg19", "vgg13_bn", "vgg16_bn", "vgg19_bn", "densenet161", "densenet169", "densenet201"] {
            try check(name)
        }
    }

    /// The published DenseNet files predate torchvision's key names (`norm.1` for `norm1`).
    func testDenseNetReadsTheOldKeyNamesOfThePublishedFiles() throws {
        XCTAssertEqual(DenseNetKeys.legacy("features.denseblock1.denselayer1.norm1.weight"),
                       "features.denseblock1.denselayer1.norm.1.weight")
        try check("densenet121", renaming: DenseNetKeys.legacy)
    }

    func testParameterCountsAreTorchvisions() throws {
        let expected = ["vgg11": (132_863_336, 22), "vgg11_bn": (132_868_840, 54), "vgg13": (133_047_848, 26),
                        "vgg13_bn": (133_053_736, 66), "vgg16": (138_357_544, 32), "vgg16_bn": (138_365_992, 84),
                        "vgg19": (143_667_240, 38), "vgg19_bn": (143_678_248, 102),
                        "densenet121": (7_978_856, 606), "densenet161": (28_681_000, 806),
                        "densenet169": (14_149_480, 846), "densenet201": (20_013_928, 1006)]
        for (name, (parameters, tensors)) in expected {
            let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: name).stateDictLayout)
            let counted = layout.filter { !$0.key.hasSuffix("running_mean") && !$0.key.hasSuffix("running_var") }
                .reduce(0) { $0 + $1.shape.reduce(1, *) }
            XCTAssertEqual(counted, parameters, name)
            XCTAssertEqual(layout.count, tensors, name)
        }
        XCTAssertEqual(try ["densenet121", "densenet161", "densenet169", "densenet201"].map {
            try BackboneRegistry.descriptor(named: $0).featureDimension
        }, [1024, 2208, 1664, 1920])
    }

    func testAFileOfAnotherFamilyMemberIsRefusedAtItsFirstMisfittingTensor() throws {
        // VGG-11's tensors (a 531 MB file: checked on the state dict, the file path is ResNet's and DenseNet's below).
        let vgg = Dictionary(uniqueKeysWithValues: try TorchvisionReference.seededTensors("vgg11").map {
            ($0.key, WeightTensor(shape: $0.shape, values: $0.values))
        })
        // VGG-13's second convolution is features.2; in VGG-11 that index is a max pooling.
        XCTAssertThrowsError(try Backbone(descriptor: BackboneRegistry.descriptor(named: "vgg13"), tensors: vgg,
                                          source: "vgg11", threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .missingTensor(key: "features.2.weight", source: "vgg11"))
        }
        XCTAssertThrowsError(try Backbone(descriptor: BackboneRegistry.descriptor(named: "vgg11_bn"), tensors: vgg,
                                          source: "vgg11", threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .missingTensor(key: "features.1.weight", source: "vgg11"))
        }
        let dense = try TorchvisionReference.seededFile("densenet121", for: self)
        XCTAssertThrowsError(try BackboneRegistry.load("densenet161", file: dense, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "densenet161", key: "features.conv0.weight", expected: [96, 3, 7, 7], found: [64, 3, 7, 7],
                source: dense.path))
            XCTAssertTrue("\(error)".contains("features.conv0.weight"), "\(error)")
        }
        XCTAssertThrowsError(try BackboneRegistry.load("densenet169", file: dense, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "densenet169", key: "features.denseblock3.denselayer25.norm1.weight", expected: [], found: nil,
                source: dense.path))
        }
        XCTAssertEqual(try BackboneRegistry.load("densenet121", file: dense, threads: 1).parameterCount, 7_978_856)
    }

    func testWeightsAreFoundByTheirTorchHubNames() throws {
        let root = try scratchDirectory(self, prefix: "torch-home-vgg")
        let hub = root.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        for name in ["vgg16_bn-6c64b313.pth", "densenet121-a639ec97.pth"] {
            try Data([1]).write(to: hub.appendingPathComponent(name))
        }
        let environment = ["TORCH_HOME": root.path, "SPOTCHECK_CACHE": root.appendingPathComponent("spotcheck").path]
        func found(_ name: String) throws -> String? {
            BackboneRegistry.locateWeights(for: try BackboneRegistry.descriptor(named: name), environment: environment)
                .file?.lastPathComponent
        }
        // vgg16_bn's file is not VGG-16's.
        XCTAssertNil(try found("vgg16"))
        XCTAssertEqual(try found("vgg16_bn"), "vgg16_bn-6c64b313.pth")
        XCTAssertEqual(try found("densenet121"), "densenet121-a639ec97.pth")
        try Data([1]).write(to: hub.appendingPathComponent("vgg16-397923af.pth"))
        XCTAssertEqual(try found("vgg16"), "vgg16-397923af.pth")
    }
}

/// torchvision's old DenseNet key names, as the published checkpoints have them.
private enum DenseNetKeys {
    /// `…denselayerN.norm1.weight` → `…denselayerN.norm.1.weight` (and conv1, conv2, norm2).
    static func legacy(_ key: String) -> String {
        guard key.contains(".denselayer") else { return key }
        var parts = key.split(separator: ".").map(String.init)
        let n = parts.count
        guard n >= 3, ["norm1", "norm2", "conv1", "conv2"].contains(parts[n - 2]) else { return key }
        let module = parts[n - 2]
        parts[n - 2] = "\(module.dropLast()).\(module.last ?? "1")"
        return parts.joined(separator: ".")
    }
}
