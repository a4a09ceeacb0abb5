import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// Keras' VGG16/19, ResNet50/101/152, ResNet50V2/101V2/152V2, Xception, InceptionV3 and
/// InceptionResNetV2 on seeded random weights written
/// here into an HDF5 file in the exact layout Keras 3's own writers produced (recorded by
/// scripts/fixtures/keras_fixtures.py: in full, or for the deeper ResNets as the sha256 of its
/// canonical text, which the layout rebuilt from ours must match), loaded as a user's file, against
/// the outputs Keras 3 (torch backend) computed on three real photo crops after the family's own
/// `preprocess_input`.
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
            /// Every logit, or (compact references) only the top 5's.
            let logits: [Float]?
            let top5Logits: [Float]?
            let features: [Float]
            let flatEvery97: [Float]?

            enum CodingKeys: String, CodingKey {
                case source, top5, logits, features
                case top5Logits = "top5_logits"
                case flatEvery97 = "flat_every_97"
            }
        }

        /// The seeded generator's settings.
        struct Generator: Decodable {
            /// The range factor of EfficientNet's `…project_conv/kernel`s, when not 1.
            let projectConvGain: Double?

            enum CodingKeys: String, CodingKey {
                case projectConvGain = "project_conv_gain"
            }
        }

        let model: String
        let generator: Generator?
        let weightsChecks: [WeightsCheck]
        let featureMapShape: [Int]
        let recordedLegacyLayout: [LegacyLayer]?
        let recordedKeras3Layout: [Keras3Group]?
        let legacyLayoutSHA256: String?
        let keras3LayoutSHA256: String?
        let images: [Image]

        enum CodingKeys: String, CodingKey {
            case model, images, generator
            case weightsChecks = "weights_checks"
            case featureMapShape = "feature_map_shape"
            case recordedLegacyLayout = "legacy_layout"
            case recordedKeras3Layout = "keras3_layout"
            case legacyLayoutSHA256 = "legacy_layout_sha256"
            case keras3LayoutSHA256 = "keras3_layout_sha256"
        }

        /// The Keras 2 file's layers (for a compact reference, the layers with weights).
        var legacyLayout: [LegacyLayer] { get throws { try layouts().legacy } }
        /// The Keras 3 file's groups.
        var keras3Layout: [Keras3Group] { get throws { try layouts().keras3 } }

        /// The recorded layouts, or the ones rebuilt from our layout (each layer's weights named
        /// `layer/variable`, Keras 3 groups `layers/<class>_<ordinal>/vars`) once their canonical
        /// texts (keras_fixtures.py's `layout_text`) hash to the recorded sha256s.
        private func layouts() throws -> (legacy: [LegacyLayer], keras3: [Keras3Group]) {
            if let recordedLegacyLayout, let recordedKeras3Layout { return (recordedLegacyLayout, recordedKeras3Layout) }
            let ours = try XCTUnwrap(BackboneRegistry.descriptor(named: model).kerasLayers)
            var ordinals = [String: Int]()
            var legacy = [LegacyLayer](), keras3 = [Keras3Group]()
            for layer in ours {
                legacy.append(LegacyLayer(name: layer.name, weights: layer.keys, shapes: layer.shapes))
                let ordinal = ordinals[layer.kind, default: 0]
                ordinals[layer.kind] = ordinal + 1
                keras3.append(Keras3Group(path: "layers/\(layer.kind)\(ordinal == 0 ? "" : "_\(ordinal)")/vars",
                                          name: layer.name, shapes: layer.shapes))
            }
            func shapes(_ shapes: [[Int]]) -> String { shapes.map { $0.map(String.init).joined(separator: "x") }.joined(separator: ";") }
            let legacyText = legacy.map { "\($0.name) \($0.weights.joined(separator: ",")) \(shapes($0.shapes))\n" }.joined()
            let keras3Text = keras3.sorted { $0.path < $1.path }.map { "\($0.path) \($0.name) \(shapes($0.shapes))\n" }.joined()
            guard SHA256.hexDigest(Array(legacyText.utf8)) == legacyLayoutSHA256,
                  SHA256.hexDigest(Array(keras3Text.utf8)) == keras3LayoutSHA256 else {
                throw LayoutMismatch(model: model)
            }
            return (legacy, keras3)
        }

        /// A weight's seeded values, as the fixture script made them for this model.
        func values(key: String, shape: [Int]) -> [Float] {
            SeededWeights.kerasValues(key: key, shape: shape, projectGain: generator?.projectConvGain ?? 1)
        }

        static func load(_ model: String) throws -> Reference {
            try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixtureURL("keras/\(model).json", in: .module)))
        }
    }

    /// Our layout of a compact reference's model is not the one Keras wrote.
    struct LayoutMismatch: Error {
        let model: String
    }

    static let models = ["keras_vgg16", "keras_vgg19", "keras_resnet50", "keras_resnet50v2", "keras_resnet101",
                         "keras_resnet152", "keras_resnet101v2", "keras_resnet152v2", "keras_xception",
                         "keras_inception_v3", "keras_inception_resnet_v2"]

    /// Writes the reference's Keras 2 layout with seeded values; `notop` leaves out the classifier
    /// layers (what `include_top=False` saves: the layers up to the last feature map; MobileNet's
    /// classifier is `conv_preds`).
    static func writeLegacy(_ reference: Reference, notop: Bool = false, to url: URL) throws {
        var layers = try reference.legacyLayout
        if notop, let head = layers.firstIndex(where: { ["flatten", "avg_pool", "predictions", "conv_preds"].contains($0.name) }) {
            layers = Array(layers[..<head])
        }
        try KerasFileWriter.writeLegacy(layers.map { layer in
            (layer.name, zip(layer.weights, layer.shapes).map { ($0, $1, reference.values(key: $0, shape: $1)) })
        }, to: url)
    }

    /// Writes the reference's Keras 3 layout with seeded values (keyed by the layer's weight paths).
    static func writeKeras3(_ reference: Reference, to url: URL) throws {
        let descriptor = try BackboneRegistry.descriptor(named: reference.model)
        let kinds = try XCTUnwrap(descriptor.kerasLayers)
        let keys = Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, $0.keys) })
        try KerasFileWriter.writeKeras3(reference.keras3Layout.map { group in
            (group.path, group.name, zip(keys[group.name] ?? [], group.shapes).map {
                ($1, reference.values(key: $0, shape: $1))
            })
        }, to: url)
    }

    /// The centre 224 of the 260 crops, or for a larger input (Xception's 299) the whole crop
    /// edge-padded, as keras_fixtures.py feeds them.
    static func batch(_ reference: Reference) throws -> ImageBatch {
        let descriptor = try BackboneRegistry.descriptor(named: reference.model)
        return try BackboneReference.batch(sources: reference.images.map(\.source), inputSize: descriptor.inputSize,
                                           cropOffset: (260 - descriptor.inputSize) / 2, descriptor.preprocessing)
    }

    func testTheLayoutsAreKerasOwn() throws {
        for name in Self.models { try Self.assertKerasOwnLayouts(name) }
    }

    /// Asserts that our layout of `name` is the one Keras wrote (names, weight names, shapes, Keras 3
    /// group paths) and that the seeded generator makes the values Keras was given.
    static func assertKerasOwnLayouts(_ name: String) throws {
        let reference = try Reference.load(name)
        let ours = try XCTUnwrap(BackboneRegistry.descriptor(named: name).kerasLayers)
        let theirs = try reference.legacyLayout.filter { !$0.weights.isEmpty }
        XCTAssertEqual(ours.map(\.name), theirs.map(\.name), name)
        XCTAssertEqual(ours.map(\.shapes), theirs.map(\.shapes), name)
        for (layer, file) in zip(ours, theirs) {
            XCTAssertEqual(file.weights, layer.keys, "\(name) \(layer.name)")
        }
        for group in try reference.keras3Layout {
            let layer = try XCTUnwrap(ours.first { $0.name == group.name }, "\(name) \(group.path)")
            let ordinal = ours.filter { $0.kind == layer.kind }.firstIndex { $0.name == layer.name } ?? -1
            XCTAssertEqual(group.path, "layers/\(layer.kind)\(ordinal == 0 ? "" : "_\(ordinal)")/vars", group.name)
        }
        for check in reference.weightsChecks {
            let shape = try XCTUnwrap(theirs.flatMap { zip($0.weights, $0.shapes) }.first { $0.0 == check.key }?.1)
            let values = reference.values(key: check.key, shape: shape)
            XCTAssertEqual(Array(values.prefix(4)), check.first, "\(name) \(check.key)")
            XCTAssertEqual(values.reduce(0.0) { $0 + Double($1) }, check.sum, accuracy: 1e-9 * max(1, abs(check.sum)))
        }
    }

    func testApplicationsMatchKerasOnRealPhotos() throws {
        let folder = try scratchDirectory(self, prefix: "keras-apps")
        for name in Self.models { try Self.assertMatchesKeras(name, folder: folder) }
    }

    /// Writes `name`'s full Keras 2 file with seeded weights into `folder`, loads it as a user's
    /// file and asserts features, logits (all or the top 5's) and top-5 against Keras' on the photos.
    static func assertMatchesKeras(_ name: String, folder: URL) throws {
        let reference = try Reference.load(name)
        let file = folder.appendingPathComponent("\(name).h5")
        try writeLegacy(reference, to: file)
        let backbone = try BackboneRegistry.load(name, file: file, threads: 2)
        XCTAssertTrue(backbone.hasClassifier)
        let shape = backbone.featureMapShape
        XCTAssertEqual([shape.channels, shape.height, shape.width], reference.featureMapShape, name)
        let batch = try batch(reference)
        let (features, logits) = try backbone.featuresAndLogits(batch: batch)
        let flat = name == "keras_vgg16" ? try backbone.features(batch: batch, layout: .flat) : nil
        for (i, image) in reference.images.enumerated() {
            Self.assertClose(features.row(i), image.features, "\(name) \(image.source) features")
            if let all = image.logits {
                Self.assertClose(logits.row(i), all, "\(name) \(image.source) logits")
            } else {
                let row = logits.row(i)
                Self.assertClose(image.top5.map { row[$0] }, try XCTUnwrap(image.top5Logits), "\(name) \(image.source) top-5 logits")
            }
            XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5, "\(name) \(image.source) top-5")
            if let flat, let every97 = image.flatEvery97 {
                let row = flat.row(i)
                XCTAssertEqual(row.count, 25_088)
                Self.assertClose(stride(from: 0, to: row.count, by: 97).map { row[$0] }, every97, "\(name) \(image.source) flat")
            }
        }
    }

    func testNotopAndKeras3FilesGiveTheSameFeatures() throws {
        let folder = try scratchDirectory(self, prefix: "keras-notop")
        for name in ["keras_vgg16", "keras_resnet50v2", "keras_xception", "keras_inception_v3"] { try Self.assertNotopAndKeras3(name, folder: folder) }
    }

    /// Writes `name`'s `notop` Keras 2 file and its full Keras 3 file with seeded weights into `folder`
    /// and asserts both give Keras' features (the notop one without a classifier) and top-5.
    static func assertNotopAndKeras3(_ name: String, folder: URL) throws {
        let reference = try Reference.load(name)
        let notop = folder.appendingPathComponent("\(name)_notop.h5")
        try writeLegacy(reference, notop: true, to: notop)
        let modern = folder.appendingPathComponent("\(name).weights.h5")
        try writeKeras3(reference, to: modern)
        let batch = try Self.batch(reference)
        let headless = try BackboneRegistry.load(name, file: notop, threads: 2)
        XCTAssertFalse(headless.hasClassifier)
        let features = try headless.features(batch: batch)
        for (i, image) in reference.images.enumerated() {
            Self.assertClose(features.row(i), image.features, "\(name) notop \(image.source)")
        }
        XCTAssertThrowsError(try headless.logits(batch: batch)) { error in
            XCTAssertEqual(error as? BackboneError, .noClassifier(backbone: name, source: notop.path))
        }
        let keras3 = try BackboneRegistry.load(name, file: modern, threads: 2)
        let (both, logits) = try keras3.featuresAndLogits(batch: batch)
        for (i, image) in reference.images.enumerated() {
            Self.assertClose(both.row(i), image.features, "\(name) keras 3 \(image.source)")
            XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5)
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
        // Keras 2 files are assigned by position: ResNet152 wants a fifth conv3 block where
        // ResNet101's file has conv4's first.
        let resnet101 = folder.appendingPathComponent("resnet101.h5")
        try Self.writeLegacy(try Reference.load("keras_resnet101"), notop: true, to: resnet101)
        XCTAssertThrowsError(try BackboneRegistry.load("keras_resnet152", file: resnet101, threads: 1)) { error in
            XCTAssertEqual(error as? BackboneError, .incompatibleWeights(
                backbone: "keras_resnet152", key: "conv4_block1_1_conv/kernel (conv3_block5_1_conv/kernel)",
                expected: [1, 1, 512, 128], found: [1, 1, 512, 256], source: resnet101.path))
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
    static func assertClose(_ got: [Float], _ expected: [Float], _ what: String) {
        XCTAssertEqual(got.count, expected.count, what)
        let scale = expected.map(abs).max() ?? 1
        let differences = zip(got, expected).map { abs($0 - $1) }
        let worst = differences.max() ?? .infinity
        let at = differences.firstIndex(of: worst) ?? -1
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "\(what): max |diff| \(worst) at [\(at)] "
                                 + "(\(at >= 0 ? got[at] : .nan) for \(at >= 0 ? expected[at] : .nan)) of max |value| \(scale)")
    }
}
