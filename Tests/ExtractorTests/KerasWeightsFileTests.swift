import Foundation
import SpotcheckTestSupport
import XCTest
import Extractor

/// The Keras `.h5` reader on files Keras 3 wrote itself (a tiny seeded network, both layouts,
/// scripts/fixtures/keras_fixtures.py), on hostile files, and Keras' nearest resize against Pillow.
final class KerasWeightsFileTests: XCTestCase {
    struct Tiny: Decodable {
        struct Weight: Decodable {
            let path: String
            let shape: [Int]
        }

        struct Nearest: Decodable {
            let source: String
            let top: Int
            let left: Int
            let height: Int
            let width: Int
            let sha256: String
            let row100: [UInt8]

            enum CodingKeys: String, CodingKey {
                case source, top, left, height, width, sha256
                case row100 = "row_100"
            }
        }

        let weights: [Weight]
        let nearest: [Nearest]
    }

    func tiny() throws -> Tiny {
        try JSONDecoder().decode(Tiny.self, from: Data(contentsOf: fixtureURL("keras/tiny.json", in: .module)))
    }

    func testBothLayoutsWrittenByKerasAreReadInKerasOrder() throws {
        let expected = try tiny().weights
        for (file, format) in [("tiny_legacy.h5", KerasWeightsFile.Format.legacy), ("tiny.weights.h5", .keras3)] {
            let read = try KerasWeightsFile(contentsOf: fixtureURL("keras/\(file)", in: .module))
            XCTAssertEqual(read.format, format, file)
            // Keras 2: `layer_names` order; Keras 3: by group (class) name, each recording its layer's name.
            let order = format == .legacy ? ["block1_conv1", "conv1_bn", "predictions"]
                : ["conv1_bn", "block1_conv1", "predictions"]
            XCTAssertEqual(read.layers.map(\.name), order, file)
            XCTAssertEqual(read.layers.map(\.group), format == .legacy ? ["", "", ""]
                               : ["batch_normalization", "conv2d", "dense"], file)
            let weights = read.layers.flatMap { layer in layer.weights.map { (layer.name, $0) } }
            let ordered = order.flatMap { name in expected.filter { $0.path.hasPrefix(name + "/") } }
            XCTAssertEqual(weights.map(\.1.tensor.shape), ordered.map(\.shape), file)
            for ((_, weight), reference) in zip(weights, ordered) {
                XCTAssertEqual(weight.tensor.values, SeededWeights.kerasValues(key: reference.path, shape: reference.shape),
                               "\(file) \(reference.path)")
            }
            XCTAssertEqual(weights.map(\.1.name), format == .legacy ? ordered.map(\.path)
                               : ["layers/batch_normalization/vars/0", "layers/batch_normalization/vars/1",
                                  "layers/batch_normalization/vars/2", "layers/batch_normalization/vars/3",
                                  "layers/conv2d/vars/0", "layers/conv2d/vars/1", "layers/dense/vars/0",
                                  "layers/dense/vars/1"], file)
        }
    }

    /// Reading `url` fails with a checkpoint error whose reason satisfies `check`.
    private func assertRefused(_ url: URL, _ check: (CheckpointFailure) -> Bool, file: StaticString = #filePath,
                               line: UInt = #line) {
        XCTAssertThrowsError(try KerasWeightsFile(contentsOf: url), file: file, line: line) { error in
            guard let error = error as? CheckpointError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(error.file, url.path, file: file, line: line)
            XCTAssertTrue(check(error.reason), "\(error)", file: file, line: line)
        }
    }

    private func malformed(_ words: String) -> (CheckpointFailure) -> Bool {
        { if case .malformed(let what) = $0 { return what.contains(words) } else { return false } }
    }

    /// Writes a Keras 2 file with one layer `conv` whose weights are `weights`; `body` adds the datasets.
    private func legacyFile(_ url: URL, weights: [String] = ["kernel"], _ body: (KerasFileWriter) throws -> Void) throws {
        let writer = try KerasFileWriter(url)
        defer { writer.close() }
        try writer.stringsAttribute("layer_names", ["conv"], on: "/")
        try writer.group("conv")
        try writer.stringsAttribute("weight_names", weights, on: "conv")
        try body(writer)
    }

    func testHostileFilesAreRefusedWithTheReason() throws {
        let folder = try scratchDirectory(self, prefix: "keras-hostile")
        func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

        try Data("not an HDF5 file at all".utf8).write(to: url("text.h5"))
        assertRefused(url("text.h5")) { $0 == .unknownFormat }

        // A Keras file cut short: libhdf5 reports the damage, no crash.
        let whole = try Data(contentsOf: fixtureURL("keras/tiny_legacy.h5", in: .module))
        for cut in [whole.count / 3, whole.count - 100] {
            try whole.prefix(cut).write(to: url("cut.h5"))
            XCTAssertThrowsError(try KerasWeightsFile(contentsOf: url("cut.h5"))) { XCTAssertTrue($0 is CheckpointError, "\($0)") }
        }

        // HDF5, but neither layout.
        try KerasFileWriter(url("empty.h5")).close()
        assertRefused(url("empty.h5")) { $0 == .unknownFormat }

        // A weight name without its dataset.
        try legacyFile(url("missing.h5"), weights: ["conv/kernel:0"]) { _ in }
        assertRefused(url("missing.h5"), malformed("conv/conv/kernel:0"))

        // A layer named but absent.
        let absent = try KerasFileWriter(url("absent.h5"))
        try absent.stringsAttribute("layer_names", ["ghost"], on: "/")
        absent.close()
        assertRefused(url("absent.h5"), malformed("ghost"))

        // Integers where weights belong.
        try legacyFile(url("integers.h5")) { try $0.integerDataset("conv/kernel", shape: [3, 3]) }
        assertRefused(url("integers.h5"), malformed("floating-point"))

        // A few bytes that declare 2^40 values.
        try legacyFile(url("huge.h5")) { try $0.emptyDataset("conv/kernel", shape: [1 << 20, 1 << 20]) }
        assertRefused(url("huge.h5"), malformed("declares shape [1048576, 1048576]"))

        // 4 million zeros deflated into a few kilobytes: more values than a file of this size may
        // hold, refused before they are read.
        try legacyFile(url("bomb.h5")) { try $0.compressedZeros("conv/kernel", count: 4 << 20) }
        XCTAssertLessThan((try FileManager.default.attributesOfItem(atPath: url("bomb.h5").path)[.size] as? Int) ?? 0, 100_000)
        assertRefused(url("bomb.h5")) { if case .limitExceeded = $0 { return true } else { return false } }

        // An external link to another file is not followed.
        let target = try KerasFileWriter(url("target.h5"))
        try target.dataset("kernel", shape: [2], values: [1, 2])
        target.close()
        try legacyFile(url("linked.h5")) { try $0.externalLink("conv/kernel", to: url("target.h5"), object: "kernel") }
        assertRefused(url("linked.h5"), malformed("conv/kernel"))

        // A Keras 3 group whose variables skip an index.
        let gap = try KerasFileWriter(url("gap.weights.h5"))
        try gap.group("layers/conv2d/vars")
        try gap.dataset("layers/conv2d/vars/0", shape: [1], values: [1])
        try gap.dataset("layers/conv2d/vars/2", shape: [1], values: [1])
        gap.close()
        assertRefused(url("gap.weights.h5"), malformed("instead of 0, 1"))

        // Through the registry: a hostile file named for a backbone is refused, naming the file.
        XCTAssertThrowsError(try BackboneRegistry.load("keras_vgg16", file: url("huge.h5"), threads: 1)) { error in
            guard case .unreadableWeights(let path, _, false)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, url("huge.h5").path)
        }
    }

    func testNearestResizeIsPillows() throws {
        let preset = try BackboneRegistry.descriptor(named: "keras_vgg16").preprocessing
        XCTAssertEqual(preset.fit, .squash)
        XCTAssertEqual(preset.filter, .nearest)
        let processor = try ImagePreprocessor(preset: preset)
        for case let reference in try tiny().nearest {
            let rgb = [UInt8](try Data(contentsOf: fixtureURL("backbones/\(reference.source)", in: .module)))
            var pixels = [UInt8]()
            for y in reference.top..<(reference.top + reference.height) {
                let start = (y * 260 + reference.left) * 3
                pixels += rgb[start ..< start + reference.width * 3]
            }
            let resized = processor.resizeAndCrop(RGBImage(width: reference.width, height: reference.height, pixels: pixels))
            XCTAssertEqual(Array(resized.pixels[(100 * 224 * 3)..<(100 * 224 * 3 + 48)]), reference.row100)
            XCTAssertEqual(SHA256.hexDigest(resized.pixels), reference.sha256, "\(reference.width)×\(reference.height)")
        }
    }
}
