import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// Keras' VGG16/19 and ResNet50/50V2 on seeded random weights written here into an HDF5 file in
/// the exact layout Keras 3's own writers produced (recorded by scripts/fixtures/keras_fixtures.py),
/// loaded as a user's file, against the outputs Keras 3 (torch backend) computed on three real
/// photo crops after the family's own `preprocess_input`.
final class KerasApplicationTests: XCTestCase {
    /// The committed reference of one application.
    struct Reference: Decodable {
        typealias WeightsCheck = TorchvisionReference.WeightsCheck

        struct LegacyLayer: Decodable {
            let name: String
            let weights: [String]
            let shapes: [[Int]]
        }

        struct Keras3Group: Decodable {
            let path: String
            let name: String
            let shapes: [[Int]]
        }

        struct Image: Decodable {
            let source: String
            let top5: [Int]
            let logits: [Float]
            let features: [Float]
            let flatEvery97: [Float]?

            enum CodingKeys: String, CodingKey {
                case source, top5, logits, features
                case flatEvery97 = "flat_every_97"
            }
        }

        let model: String
        let weightsChecks: [WeightsCheck]
        let featureMapShape: [Int]
        let legacyLayout: [LegacyLayer]
        let keras3Layout: [Keras3Group]
        let images: [Image]

        enum CodingKeys: String, CodingKey {
            case model, images
            case weightsChecks = "weights_checks"
            case featureMapShape = "feature_map_shape"
            case legacyLayout = "legacy_layout"
            case keras3Layout = "keras3_layout"
        }

        static func load(_ model: String) throws -> Reference {
            try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixtureURL("keras/\(model).json", in: .module)))
        }
    }

    static let models = ["keras_vgg16", "keras_vgg19", "keras_resnet50", "keras_resnet50v2"]

    /// Writes the reference's Keras 2 layout with seeded values; `notop` leaves out the classifier
    /// layers (what `include_top=False` saves: the layers up to the last feature map).
    static func writeLegacy(_ reference: Reference, notop: Bool = false, to url: URL) throws {
        var layers = reference.legacyLayout
        if notop, let head = layers.firstIndex(where: { ["flatten", "avg_pool"].contains($0.name) }) {
            layers = Array(layers[..<head])
        }
        try KerasFileWriter.writeLegacy(layers.map { layer in
            (layer.name, zip(layer.weights, layer.shapes).map { ($0, $1, SeededWeights.kerasValues(key: $0, shape: $1)) })
        }, to: url)
    }

    /// Writes the reference's Keras 3 layout with seeded values (keyed by the layer's weight paths).
    static func writeKeras3(_ reference: Reference, to url: URL) throws {
        let descriptor = try BackboneRegistry.descriptor(named: reference.model)
        let kinds = try XCTUnwrap(descriptor.kerasLayers)
        let byName = Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, $0.kind) })
        try KerasFileWriter.writeKeras3(reference.keras3Layout.map { group in
            let names = byName[group.name].map { kind in
                kind == "batch_normalization" ? ["gamma", "beta", "moving_mean", "moving_variance"] : ["kernel", "bias"]
            } ?? []
            return (group.path, group.name, zip(names, group.shapes).map {
                ($1, SeededWeights.kerasValues(key: "\(group.name)/\($0)", shape: $1))
            })
        }, to: url)
    }

    func batch(_ reference: Reference) throws -> ImageBatch {
        try BackboneReference.batch(sources: reference.images.map(\.source), inputSize: 224, cropOffset: 18,
                                    BackboneRegistry.descriptor(named: reference.model).preprocessing)
    }

    func testTheLayoutsAreKerasOwn() throws {
        for name in Self.models {
            let reference = try Reference.load(name)
            let ours = try XCTUnwrap(BackboneRegistry.descriptor(named: name).kerasLayers)
            let theirs = reference.legacyLayout.filter { !$0.weights.isEmpty }
            XCTAssertEqual(ours.map(\.name), theirs.map(\.name), name)
            XCTAssertEqual(ours.map(\.shapes), theirs.map(\.shapes), name)
            for (layer, file) in zip(ours, theirs) {
                XCTAssertEqual(file.weights.map { String($0.split(separator: "/").last ?? "") },
                               layer.kind == "batch_normalization" ? ["gamma", "beta", "moving_mean", "moving_variance"]
                                   : Array(["kernel", "bias"].prefix(layer.shapes.count)), "\(name) \(layer.name)")
            }
            for group in reference.keras3Layout {
                let layer = try XCTUnwrap(ours.first { $0.name == group.name }, "\(name) \(group.path)")
                let ordinal = ours.filter { $0.kind == layer.kind }.firstIndex { $0.name == layer.name } ?? -1
                XCTAssertEqual(group.path, "layers/\(layer.kind)\(ordinal == 0 ? "" : "_\(ordinal)")/vars", group.name)
            }
            for check in reference.weightsChecks {
                let shape = try XCTUnwrap(theirs.flatMap { zip($0.weights, $0.shapes) }.first { $0.0 == check.key }?.1)
                let values = SeededWeights.kerasValues(key: check.key, shape: shape)
                XCTAssertEqual(Array(values.prefix(4)), check.first, "\(name) \(check.key)")
                XCTAssertEqual(values.reduce(0.0) { $0 + Double($1) }, check.sum, accuracy: 1e-9 * max(1, abs(check.sum)))
            }
        }
    }

    func testApplicationsMatchKerasOnRealPhotos() throws {
        let folder = try scratchDirectory(self, prefix: "keras-apps")
        for name in Self.models {
            let reference = try Reference.load(name)
            let file = folder.appendingPathComponent("\(name).h5")
            try Self.writeLegacy(reference, to: file)
            let backbone = try BackboneRegistry.load(name, file: file, threads: 2)
            XCTAssertTrue(backbone.hasClassifier)
            let shape = backbone.featureMapShape
            XCTAssertEqual([shape.channels, shape.height, shape.width], reference.featureMapShape, name)
            let batch = try batch(reference)
            let (features, logits) = try backbone.featuresAndLogits(batch: batch)
            let flat = name == "keras_vgg16" ? try backbone.features(batch: batch, layout: .flat) : nil
            for (i, image) in reference.images.enumerated() {
                assertClose(features.row(i), image.features, "\(name) \(image.source) features")
                assertClose(logits.row(i), image.logits, "\(name) \(image.source) logits")
                XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5, "\(name) \(image.source) top-5")
                if let flat, let every97 = image.flatEvery97 {
                    let row = flat.row(i)
                    XCTAssertEqual(row.count, 25_088)
                    assertClose(stride(from: 0, to: row.count, by: 97).map { row[$0] }, every97, "\(name) \(image.source) flat")
                }
            }
        }
    }

    func testNotopAndKeras3FilesGiveTheSameFeatures() throws {
        let folder = try scratchDirectory(self, prefix: "keras-notop")
        for name in ["keras_vgg16", "keras_resnet50v2"] {
            let reference = try Reference.load(name)
            let notop = folder.appendingPathComponent("\(name)_notop.h5")
            try Self.writeLegacy(reference, notop: true, to: notop)
            let modern = folder.appendingPathComponent("\(name).weights.h5")
            try Self.writeKeras3(reference, to: modern)
            let batch = try batch(reference)
            let headless = try BackboneRegistry.load(name, file: notop, threads: 2)
            XCTAssertFalse(headless.hasClassifier)
            let features = try headless.features(batch: batch)
            for (i, image) in reference.images.enumerated() {
                assertClose(features.row(i), image.features, "\(name) notop \(image.source)")
            }
            XCTAssertThrowsError(try headless.logits(batch: batch)) { error in
                XCTAssertEqual(error as? BackboneError, .noClassifier(backbone: name, source: notop.path))
            }
            let keras3 = try BackboneRegistry.load(name, file: modern, threads: 2)
            let (both, logits) = try keras3.featuresAndLogits(batch: batch)
            for (i, image) in reference.images.enumerated() {
                assertClose(both.row(i), image.features, "\(name) keras 3 \(image.source)")
                XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5)
            }
        }
    }

    func testAFileOfAnotherApplicationIsRefusedAtItsFirstMisfittingWeight() throws {
        let folder = try scratchDirectory(self, prefix: "keras-refusal")
        let vgg19 = folder.appendingPathComponent("vgg19.h5")
        try Self.writeLegacy(try Reference.load("keras_vgg19"), to: vgg19)
        XCTAssertThrowsError(try BackboneRegistry.load("keras_vgg16", file: vgg19, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_vgg16", key: "block3_conv4/kernel (block4_conv1/kernel)", expected: [3, 3, 256, 512],
                found: [3, 3, 256, 256], source: vgg19.path))
            XCTAssertTrue("\(error)".contains("block3_conv4/kernel"), "\(error)")
        }
        let vgg16 = folder.appendingPathComponent("vgg16.h5")
        try Self.writeLegacy(try Reference.load("keras_vgg16"), to: vgg16)
        XCTAssertThrowsError(try BackboneRegistry.load("keras_vgg19", file: vgg16, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_vgg19", key: "block4_conv1/kernel (block3_conv4/kernel)", expected: [3, 3, 256, 256],
                found: [3, 3, 256, 512], source: vgg16.path))
        }
        let resnet = folder.appendingPathComponent("resnet50v2.h5")
        try Self.writeLegacy(try Reference.load("keras_resnet50v2"), to: resnet)
        XCTAssertThrowsError(try BackboneRegistry.load("keras_resnet50", file: resnet, threads: 1)) { error in
            // Stem and first batch norm have v1's shapes; v2's first 1×1 convolution has no bias.
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_resnet50", key: "conv2_block1_1_conv/bias", expected: [64], found: nil, source: resnet.path))
            XCTAssertTrue("\(error)".contains("keras_resnet50"), "\(error)")
        }
    }

    func testWeightsAreFoundWhereKerasKeepsThem() throws {
        let root = try scratchDirectory(self, prefix: "keras-home")
        let models = root.appendingPathComponent("keras/models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let environment = ["KERAS_HOME": root.appendingPathComponent("keras").path,
                           "SPOTCHECK_CACHE": root.appendingPathComponent("spotcheck").path]
        let vgg16 = try BackboneRegistry.descriptor(named: "keras_vgg16")
        let none = BackboneRegistry.locateWeights(for: vgg16, environment: environment)
        XCTAssertNil(none.file)
        XCTAssertEqual(none.searched.first, models.appendingPathComponent("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").path)
        XCTAssertEqual(none.searched.count, 4)
        let full = models.appendingPathComponent("vgg16_weights_tf_dim_ordering_tf_kernels.h5")
        try Data([1]).write(to: full)
        XCTAssertEqual(BackboneRegistry.locateWeights(for: vgg16, environment: environment).file?.path, full.path)
        let notop = models.appendingPathComponent("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
        try Data([1]).write(to: notop)
        XCTAssertEqual(BackboneRegistry.locateWeights(for: vgg16, environment: environment).file?.path, notop.path)
        XCTAssertTrue(BackboneRegistry.kerasModels(environment: [:]).path.hasSuffix("/.keras/models"))
        let message = "\(BackboneError.missingWeights(backbone: "keras_vgg16", searched: none.searched, fetchedBySetup: false))"
        XCTAssertTrue(message.contains("KERAS_HOME") && message.contains("keras_vgg16=PATH"), message)
    }

    /// Every value within 1e-4 of the reference's largest magnitude.
    private func assertClose(_ got: [Float], _ expected: [Float], _ what: String) {
        XCTAssertEqual(got.count, expected.count, what)
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "\(what): max |diff| \(worst) of max |value| \(scale)")
    }
}
