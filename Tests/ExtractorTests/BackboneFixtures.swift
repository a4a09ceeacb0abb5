import Foundation
import XCTest
import Extractor

/// The PyTorch reference outputs of one backbone on the committed photo crops
/// (made by scripts/fixtures/backbone_fixtures.py).
struct BackboneReference: Decodable {
    /// One photo's reference outputs.
    struct Image: Decodable {
        let source: String
        let top5: [Int]
        let logits: [Float]
        let features: [Float]
        let featureMapSamples: [Float]

        enum CodingKeys: String, CodingKey {
            case source, top5, logits, features
            case featureMapSamples = "feature_map_samples"
        }
    }

    let model: String
    let weights: String
    let weightsSHA256: String
    let inputSize: Int
    let cropOffset: Int
    let parameters: Int
    let featureMapShape: [Int]
    let featureMapStride: Int
    let images: [Image]
    /// References from the photo files themselves (the reference's own preprocessing).
    let endToEnd: [EndToEnd]

    /// One photo file's reference outputs, preprocessed by the reference from the file.
    struct EndToEnd: Decodable {
        let source: String
        let top5: [Int]
        let logits: [Float]
    }

    enum CodingKeys: String, CodingKey {
        case model, weights, images, parameters
        case endToEnd = "end_to_end"
        case weightsSHA256 = "weights_sha256"
        case inputSize = "input_size"
        case cropOffset = "crop_offset"
        case featureMapShape = "feature_map_shape"
        case featureMapStride = "feature_map_stride"
    }

    /// Side of the committed 8-bit crops.
    static let side = 260

    /// Reads `backbones/<model>.json` from the test bundle.
    static func load(_ model: String) throws -> BackboneReference {
        let url = try fixtureURL("\(model).json")
        return try JSONDecoder().decode(BackboneReference.self, from: Data(contentsOf: url))
    }

    /// The URL of a file in `Fixtures/<folder>`.
    static func fixtureURL(_ name: String, folder: String = "backbones") throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(folder)/\(name)", withExtension: nil) else {
            throw XCTSkip("fixture \(folder)/\(name) is missing from the test bundle")
        }
        return url
    }

    /// The NCHW batch of every photo: the centre crop of the 260×260 8-bit image, normalised with
    /// `preprocessing` (channel order, mean, scale) exactly as the reference did.
    func batch(_ preprocessing: Preprocessing) throws -> ImageBatch {
        try Self.batch(sources: images.map(\.source), inputSize: inputSize, cropOffset: cropOffset, preprocessing)
    }

    /// How a crop larger than the committed 260×260 photo gets its pixels.
    enum Enlarging {
        /// Repeat the edge pixels outwards (NumPy's `np.pad(mode='edge')`), from `cropOffset`.
        case edgePixels
        /// Scale the whole photo up by nearest neighbour (row `⌊y·260/S⌋`).
        case nearest
    }

    /// The NCHW batch of the centre `inputSize` crops of committed photos (`backbones/<source>`),
    /// normalised with `preprocessing` (channel order, mean, scale) in float32. An input larger
    /// than the photo (a negative `cropOffset`) is filled as `enlarging` says.
    static func batch(sources: [String], inputSize s: Int, cropOffset: Int, enlarging: Enlarging = .edgePixels,
                      _ preprocessing: Preprocessing) throws -> ImageBatch {
        func pixel(_ i: Int) -> Int {
            enlarging == .nearest && s > side ? i * side / s : min(max(i + cropOffset, 0), side - 1)
        }
        var values = [Float]()
        values.reserveCapacity(sources.count * 3 * s * s)
        for source in sources {
            let rgb = [UInt8](try Data(contentsOf: Self.fixtureURL(source)))
            XCTAssertEqual(rgb.count, Self.side * Self.side * 3)
            for c in 0..<3 {
                let plane = preprocessing.channelOrder == .rgb ? c : 2 - c
                for y in 0..<s {
                    for x in 0..<s {
                        let v = Float(rgb[(pixel(y) * Self.side + pixel(x)) * 3 + plane])
                        values.append((v - preprocessing.mean[c]) / preprocessing.scale[c])
                    }
                }
            }
        }
        return ImageBatch(count: sources.count, channels: 3, height: s, width: s, values: values)
    }
}

/// Loads a backbone from the real weights of scripts/setup, or skips the test when they are absent.
func loadBackboneOrSkip(_ name: String, threads: Int = 2) throws -> Backbone {
    let descriptor = try BackboneRegistry.descriptor(named: name)
    let lookup = BackboneRegistry.locateWeights(for: descriptor)
    guard lookup.file != nil else {
        throw XCTSkip("weights \(lookup.searched.joined(separator: ", ")) absent: run scripts/setup")
    }
    return try BackboneRegistry.load(name, threads: threads)
}
