import Extractor
import Foundation
import XCTest

/// Resize + centre crop against Pillow on real photos (scikit-image samples and the demo set).
final class ResizeParityTests: XCTestCase {
    func testResizeAndCropMatchPillowOnRealPhotos() throws {
        let manifest = try ImagingFixtures.manifest()
        XCTAssertGreaterThanOrEqual(manifest.crops.count, 10)
        var worst = [String: Int]()
        for crop in manifest.crops {
            let filter = try XCTUnwrap(Preprocessing.Filter(rawValue: crop.filter))
            let preset = Preprocessing(name: "test", resizeShorterSide: crop.resize, cropSize: crop.crop,
                                       filter: filter, channelOrder: .rgb, mean: [0, 0, 0], scale: [1, 1, 1])
            let output = try ImagePreprocessor(preset: preset).resizeAndCrop(contentsOf: ImagingFixtures.photo(crop.photo))
            let expected = try ImagingFixtures.bytes("crops/\(crop.file)")
            let difference = ImagingFixtures.maxDifference(output.pixels, expected)
            print("Pillow parity \(crop.file): max |Swift − Pillow| = \(difference)/255")
            worst[crop.filter] = max(worst[crop.filter] ?? 0, difference)
            XCTAssertLessThanOrEqual(difference, 2, crop.file)
            // PNG inputs decode identically, so the resize itself must be exact there.
            if crop.photo.hasSuffix(".png") { XCTAssertEqual(difference, 0, crop.file) }
        }
        print("Pillow parity worst case per filter: \(worst)")
    }

    func testNormalisationFollowsThePresetInChannelOrder() throws {
        let crop = try XCTUnwrap(try ImagingFixtures.manifest().crops.first { $0.file == "chelsea.jpg.bilinear.256-224.rgb" })
        let expected = try ImagingFixtures.bytes("crops/\(crop.file)")
        for preset in [Preprocessing.torchvision, .caffe] where preset.cropSize == 224 {
            let preprocessor = try ImagePreprocessor(preset: preset)
            let reference = try preprocessor.resizeAndCrop(contentsOf: ImagingFixtures.photo(crop.photo)).pixels
            XCTAssertLessThanOrEqual(ImagingFixtures.maxDifference(reference, expected), 2)
            var values = [Float](repeating: .nan, count: 3 * 224 * 224)
            try values.withUnsafeMutableBufferPointer {
                try preprocessor.preprocess(contentsOf: ImagingFixtures.photo(crop.photo), into: $0)
            }
            for index in stride(from: 0, to: 224 * 224, by: 97) {
                for channel in 0..<3 {
                    let pixel = Float(reference[index * 3 + channel])
                    let value = values[channel * 224 * 224 + index]
                    XCTAssertEqual(value, (pixel - preset.mean[channel]) / preset.scale[channel], accuracy: 1e-5)
                }
            }
        }
    }

    func testCaffePresetSwapsToBGR() throws {
        let photo = ImagingFixtures.photo("chelsea.jpg")
        let preprocessor = try ImagePreprocessor(preset: .caffe)
        let crop = try preprocessor.resizeAndCrop(contentsOf: photo).pixels
        var values = [Float](repeating: 0, count: 3 * 227 * 227)
        try values.withUnsafeMutableBufferPointer { try preprocessor.preprocess(contentsOf: photo, into: $0) }
        // Plane 0 is blue: pixel 0's B minus the caffe blue mean.
        XCTAssertEqual(values[0], Float(crop[2]) - 103.939, accuracy: 1e-4)
        XCTAssertEqual(values[2 * 227 * 227], Float(crop[0]) - 123.68, accuracy: 1e-4)
    }

    func testGeometryFollowsTorchvision() {
        let preset = Preprocessing.torchvision
        XCTAssertTrue(preset.resizedSize(width: 451, height: 300) == (384, 256))   // int(256·451/300) = 384
        XCTAssertTrue(preset.resizedSize(width: 300, height: 451) == (256, 384))
        XCTAssertTrue(preset.cropOrigin(width: 301, height: 256) == (38, 16))      // round(38.5) = 38 (half to even)
        XCTAssertTrue(preset.cropOrigin(width: 303, height: 257) == (40, 16))      // round(39.5) = 40, round(16.5) = 16
        XCTAssertThrowsError(try ImagePreprocessor(preset: Preprocessing(
            name: "bad", resizeShorterSide: 100, cropSize: 224, filter: .bilinear, channelOrder: .rgb,
            mean: [0, 0, 0], scale: [1, 1, 1])))
    }

    /// DCT-scaled decoding (opt-in) only applies to images at least 4× the resized side, and
    /// stays close to the full-size result.
    func testReducedDecodeIsCloseToFullDecode() throws {
        let preset = Preprocessing(name: "tiny", resizeShorterSide: 50, cropSize: 48, filter: .bilinear,
                                   channelOrder: .rgb, mean: [0, 0, 0], scale: [1, 1, 1])
        let photo = ImagingFixtures.photo("coffee.jpg")          // 600×400: decoded at 1/4 = 150×100
        let full = try ImagePreprocessor(preset: preset).resizeAndCrop(contentsOf: photo).pixels
        let reduced = try ImagePreprocessor(preset: preset, reducedDecode: true).resizeAndCrop(contentsOf: photo).pixels
        XCTAssertNotEqual(full, reduced)
        let meanDifference = Double(zip(full, reduced).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(full.count)
        print("reduced decode: mean |full − reduced| = \(meanDifference)")
        XCTAssertLessThan(meanDifference, 3)
        // Below 4× the resized side, decoding stays full-size and exact.
        let larger = Preprocessing(name: "larger", resizeShorterSide: 112, cropSize: 96, filter: .bilinear,
                                   channelOrder: .rgb, mean: [0, 0, 0], scale: [1, 1, 1])
        XCTAssertEqual(try ImagePreprocessor(preset: larger, reducedDecode: true).resizeAndCrop(contentsOf: photo),
                       try ImagePreprocessor(preset: larger).resizeAndCrop(contentsOf: photo))
    }
}
