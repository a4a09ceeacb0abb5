import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// A committed reference of a torchvision network on seeded random weights (see
/// scripts/fixtures/seeded_torchvision.py): the framework's outputs on three real photo crops, and
/// the checks that this side's `SeededWeights` made the same weights.
struct TorchvisionReference: Decodable {
    struct WeightsCheck: Decodable {
        let key: String
        let first: [Float]
        let sum: Double
    }

    struct Generator: Decodable {
        /// The factor of the convolutions' range (see `SeededWeights.values`).
        let convGain: Double?

        enum CodingKeys: String, CodingKey { case convGain = "conv_gain" }
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
    /// The input side (224 when the file does not say).
    let inputSize: Int?
    let generator: Generator
    let weightsChecks: [WeightsCheck]
    let featureMapShape: [Int]
    let flatStep: Int?
    let images: [Image]

    enum CodingKeys: String, CodingKey {
        case model, torchvision, images, generator
        case inputSize = "input_size"
        case weightsChecks = "weights_checks"
        case featureMapShape = "feature_map_shape"
        case flatStep = "flat_step"
    }

    /// The reference `Fixtures/<folder>/<model>.json`.
    static func load(_ model: String, folder: String) throws -> TorchvisionReference {
        try JSONDecoder().decode(TorchvisionReference.self,
                                 from: Data(contentsOf: fixtureURL("\(folder)/\(model).json", in: .module)))
    }

    /// A seeded state dict of the registered backbone `name`, with torchvision's keys.
    static func seededTensors(_ name: String, gain: Double = 1) throws -> [(key: String, shape: [Int], values: [Float])] {
        let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: name).stateDictLayout)
        return layout.map { ($0.key, $0.shape, SeededWeights.values(key: $0.key, shape: $0.shape, gain: gain)) }
    }

    /// The seeded state dict of `name` written as safetensors in a scratch folder of `test` (a
    /// user's file of that network, e.g. to offer it to another one).
    static func seededFile(_ name: String, for test: XCTestCase) throws -> URL {
        let file = try scratchDirectory(test, prefix: "\(name)-refusal").appendingPathComponent("\(name)-random.safetensors")
        try SeededWeights.writeSafetensors(try seededTensors(name), to: file)
        return file
    }

    /// The state dict of this reference's weights.
    func seededTensors() throws -> [(key: String, shape: [Int], values: [Float])] {
        try Self.seededTensors(model, gain: generator.convGain ?? 1)
    }

    /// This reference's network assembled from its seeded weights.
    func seededBackbone() throws -> Backbone {
        try Self.seededBackbone(model, gain: generator.convGain ?? 1)
    }

    /// The registered network `name` assembled from the seeded weights of its state-dict layout.
    static func seededBackbone(_ name: String, gain: Double = 1) throws -> Backbone {
        let tensors = Dictionary(uniqueKeysWithValues: try seededTensors(name, gain: gain).map {
            ($0.key, WeightTensor(shape: $0.shape, values: $0.values))
        })
        return try Backbone(descriptor: BackboneRegistry.descriptor(named: name), tensors: tensors,
                            source: "seeded \(name)", threads: 2)
    }

    /// Asserts that this side's generator made the weights the script made (first values and sums).
    func assertSameWeights(file: StaticString = #filePath, line: UInt = #line) throws {
        let byKey = Dictionary(uniqueKeysWithValues: try seededTensors().map { ($0.key, $0) })
        for check in weightsChecks {
            let tensor = try XCTUnwrap(byKey[check.key], "\(model) \(check.key)", file: file, line: line)
            XCTAssertEqual(Array(tensor.values.prefix(4)), check.first, "\(model) \(check.key)", file: file, line: line)
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, check.sum, accuracy: 1e-9 * max(1, abs(check.sum)), "\(model) \(check.key)",
                           file: file, line: line)
        }
    }

    /// The photo crops as the script prepares them: the centre `S×S` of each 260×260 crop, or the
    /// crop scaled up by nearest neighbour (row `⌊y·260/S⌋`) when `S` > 260, normalised by the
    /// torchvision preset (the script's `(x/255 − mean)/std` up to float32 rounding).
    func batch() throws -> ImageBatch {
        let size = inputSize ?? 224
        return try BackboneReference.batch(sources: images.map(\.source), inputSize: size,
                                           cropOffset: (BackboneReference.side - size) / 2, enlarging: .nearest, .torchvision)
    }

    /// Runs `backbone` on the photos and asserts the framework's feature-map shape, pooled features,
    /// logits and (where the reference has them) 2×2 grids within 1e-4 of each vector's largest
    /// magnitude, and the same top-5.
    func assertMatches(file: StaticString = #filePath, line: UInt = #line) throws {
        let backbone = try seededBackbone()
        XCTAssertEqual([backbone.featureMapShape.channels, backbone.featureMapShape.height,
                        backbone.featureMapShape.width], featureMapShape, model, file: file, line: line)
        let batch = try batch()
        let (features, logits) = try backbone.featuresAndLogits(batch: batch)
        let grids = images.contains { $0.grid2 != nil } ? try backbone.features(batch: batch, layout: .grid(2)) : nil
        for (i, image) in images.enumerated() {
            Self.assertClose(features.row(i), image.features, "\(model) \(image.source) features", file: file, line: line)
            Self.assertClose(logits.row(i), image.logits, "\(model) \(image.source) logits", file: file, line: line)
            XCTAssertEqual(ImageNetClasses.top(5, of: logits.row(i)).map(\.index), image.top5,
                           "\(model) \(image.source) top-5", file: file, line: line)
            if let grids, let grid = image.grid2 {
                Self.assertClose(grids.row(i), grid, "\(model) \(image.source) grid2", file: file, line: line)
            }
        }
    }

    /// Every value within 1e-4 of the reference's largest magnitude.
    static func assertClose(_ got: [Float], _ expected: [Float], _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, expected.count, what, file: file, line: line)
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "\(what): max |diff| \(worst) of max |value| \(scale)",
                                 file: file, line: line)
    }
}

extension TorchvisionReference {
    /// Asserts that the registered backbone `name` reads as many tensors and learnable parameters
    /// (every tensor but the running statistics) as the framework's model has.
    static func assertLayoutSize(_ name: String, tensors: Int, parameters: Int,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let layout = try XCTUnwrap(BackboneRegistry.descriptor(named: name).stateDictLayout, name, file: file, line: line)
        XCTAssertEqual(layout.count, tensors, name, file: file, line: line)
        XCTAssertEqual(layout.filter { !$0.key.hasSuffix("running_mean") && !$0.key.hasSuffix("running_var") }
            .reduce(0) { $0 + $1.shape.reduce(1, *) }, parameters, name, file: file, line: line)
    }
}
