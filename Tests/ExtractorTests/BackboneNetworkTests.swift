import XCTest
import Extractor

/// Each backbone against PyTorch (scripts/fixtures/backbone_fixtures.py) on the identical input
/// tensors made from six real photos: all 1000 logits within 1e-3 × max|logit|, the same top-5
/// classes, every pooled feature within 1e-4 (and cosine ≥ 0.9999), sampled feature-map
/// values, and the parameter count PyTorch reports.
final class BackboneNetworkTests: XCTestCase {
    func testMobileNetV2MatchesPyTorch() throws { try checkAgainstReference("mobilenet_v2") }
    func testEfficientNetLite0MatchesPyTorch() throws { try checkAgainstReference("efficientnet_lite0") }
    func testEfficientNetLite1MatchesPyTorch() throws { try checkAgainstReference("efficientnet_lite1") }
    func testEfficientNetLite2MatchesPyTorch() throws { try checkAgainstReference("efficientnet_lite2") }
    func testSqueezeNet11MatchesPyTorch() throws { try checkAgainstReference("squeezenet1_1") }

    /// A batch of one runs through its own workspace and must give the same answer.
    func testSingleImageBatchMatchesPyTorch() throws {
        for name in ["efficientnet_lite1", "squeezenet1_1"] {
            let reference = try BackboneReference.load(name)
            let backbone = try loadBackboneOrSkip(name)
            let full = try reference.batch(backbone.descriptor.preprocessing)
            let size = full.imageSize
            let last = reference.images.count - 1
            let one = ImageBatch(count: 1, channels: 3, height: full.height, width: full.width,
                                 values: Array(full.values[last * size ..< (last + 1) * size]))
            let logits = try backbone.logits(batch: one)
            assertLogits(logits.row(0), match: reference.images[last], label: "\(name) batch of 1")
        }
    }

    private func checkAgainstReference(_ name: String) throws {
        let reference = try BackboneReference.load(name)
        let backbone = try loadBackboneOrSkip(name)
        XCTAssertEqual(backbone.descriptor.weights, .setup(file: reference.weights, sha256: reference.weightsSHA256))
        XCTAssertEqual(reference.inputSize, backbone.descriptor.inputSize)
        XCTAssertEqual(backbone.parameterCount, reference.parameters, "\(name): parameter count")
        let map = backbone.featureMapShape
        XCTAssertEqual([map.channels, map.height, map.width], reference.featureMapShape)
        let batch = try reference.batch(backbone.descriptor.preprocessing)
        let (features, logits) = try backbone.featuresAndLogits(batch: batch)
        XCTAssertEqual(features.rows, reference.images.count)
        XCTAssertEqual(features.columns, backbone.descriptor.featureDimension)
        XCTAssertEqual(logits.columns, 1000)
        let maps = try backbone.featureMaps(batch: batch)
        XCTAssertEqual([maps.count, maps.channels, maps.height, maps.width],
                       [reference.images.count] + reference.featureMapShape)
        for (i, image) in reference.images.enumerated() {
            assertLogits(logits.row(i), match: image, label: "\(name) \(image.source)")
            let f = features.row(i)
            let dot = zip(f, image.features).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let norms = (f.reduce(Float(0)) { $0 + $1 * $1 } * image.features.reduce(Float(0)) { $0 + $1 * $1 })
                .squareRoot()
            XCTAssertGreaterThanOrEqual(dot / norms, 0.9999, "\(name) \(image.source): feature cosine")
            let featureError = zip(f, image.features).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(featureError, 1e-4, "\(name) \(image.source): max |feature diff|")
            let mapValues = maps.values[i * maps.imageSize ..< (i + 1) * maps.imageSize]
            let samples = stride(from: mapValues.startIndex, to: mapValues.endIndex, by: reference.featureMapStride)
                .map { mapValues[$0] }
            XCTAssertEqual(samples.count, image.featureMapSamples.count)
            let scale = image.featureMapSamples.map(abs).max() ?? 1
            let worst = zip(samples, image.featureMapSamples).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-3 * scale, "\(name) \(image.source): feature map samples")
        }
    }

    private func assertLogits(_ got: [Float], match image: BackboneReference.Image, label: String) {
        let scale = image.logits.map(abs).max() ?? 1
        let worst = zip(got, image.logits).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-3 * scale, "\(label): max |logit diff| \(worst)")
        let top5 = got.indices.sorted { got[$0] != got[$1] ? got[$0] > got[$1] : $0 < $1 }.prefix(5)
        XCTAssertEqual(Array(top5), image.top5, "\(label): top-5")
    }
}
