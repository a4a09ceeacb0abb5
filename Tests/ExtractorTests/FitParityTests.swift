import Extractor
import Foundation
import XCTest

/// `squash` and `pad` against Pillow (`resize((S, S))` and `ImageOps.pad`) on real photos, from
/// the fixtures of scripts/fixtures/fit_fixtures.py.
final class FitParityTests: XCTestCase {
    private struct Entry: Decodable { let photo: String; let fit: String; let size: Int; let file: String }

    func testSquashAndPadMatchPillowOnRealPhotos() throws {
        let entries = try JSONDecoder().decode(
            [Entry].self, from: Data(contentsOf: ImagingFixtures.root.appendingPathComponent("fits/fits.json")))
        XCTAssertEqual(Set(entries.map(\.fit)), ["squash", "pad"])
        XCTAssertGreaterThanOrEqual(entries.count, 10)
        for entry in entries {
            let fit = try XCTUnwrap(Preprocessing.Fit(rawValue: entry.fit))
            // The torchvision mean, so the pad colour is (124, 116, 104) as in the fixtures.
            let preset = Preprocessing(name: "test", resizeShorterSide: entry.size, cropSize: entry.size, filter: .bilinear,
                                       channelOrder: .rgb, mean: Preprocessing.torchvision.mean, scale: [1, 1, 1])
                .fitting(fit)
            XCTAssertEqual(preset.padColour, [124, 116, 104])
            let output = try ImagePreprocessor(preset: preset).resizeAndCrop(contentsOf: ImagingFixtures.photo(entry.photo))
            let expected = try ImagingFixtures.bytes("fits/\(entry.file)")
            let difference = ImagingFixtures.maxDifference(output.pixels, expected)
            print("Pillow parity \(entry.file): max |Swift − Pillow| = \(difference)/255")
            XCTAssertLessThanOrEqual(difference, 2, entry.file)
            // PNGs decode identically, so only the resize's rounding can differ: none when both
            // axes shrink, at most 1 where an axis is enlarged (the 90-pixel-wide penguin).
            if entry.photo.hasSuffix(".png") { XCTAssertLessThanOrEqual(difference, 1, entry.file) }
        }
    }

    func testFitIsNamedInThePresetOnce() {
        let crop = Preprocessing.torchvision
        XCTAssertEqual(crop.fitting(.crop), crop)
        XCTAssertEqual(crop.fitting(.pad).name, crop.name + ", fit pad")
        XCTAssertEqual(crop.fitting(.pad).fitting(.squash).name, crop.name + ", fit squash")
        XCTAssertEqual(crop.fitting(.pad).fitting(.crop), crop)
        XCTAssertEqual(Preprocessing.caffe.padColour, [124, 117, 104], "caffe's BGR mean, as RGB")
    }

    func testPadPlacementFollowsPillow() {
        let preset = Preprocessing.torchvision
        XCTAssertEqual(preset.padPlacement(width: 451, height: 300).height, 149)  // round(300/451·224)
        XCTAssertEqual(preset.padPlacement(width: 451, height: 300).top, 38)      // round(75/2) = 38 (to even)
        XCTAssertEqual(preset.padPlacement(width: 90, height: 198).width, 102)    // round(90/198·224) = 101.8
        XCTAssertEqual(preset.padPlacement(width: 50, height: 50).width, 224)
    }
}
