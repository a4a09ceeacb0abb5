import Extractor
import Foundation
import XCTest

/// Decoding against Pillow (the reference's `to_rgb`) and every broken-input class.
final class ImageDecoderTests: XCTestCase {
    func testPNGVariantsMatchPillowExactly() throws {
        let manifest = try ImagingFixtures.manifest()
        let decoder = ImageDecoder()
        for name in ["rgb16.png", "rgba16.png", "gray16.png", "palette_trns.png", "la.png", "gray_trns.png",
                     "rgba_all_pairs.png", "misnamed_png.jpg"] {
            let size = try XCTUnwrap(manifest.decoded[name], name)
            let image = try decoder.decode(contentsOf: ImagingFixtures.input(name))
            XCTAssertEqual(image.width, size.width, name)
            XCTAssertEqual(image.height, size.height, name)
            let expected = try ImagingFixtures.bytes("decoded/\(name).rgb")
            XCTAssertEqual(image.pixels.count, expected.count, name)
            let mismatches = zip(image.pixels, expected).filter { $0 != $1 }.count
            XCTAssertEqual(mismatches, 0, "\(name): \(mismatches) bytes differ from Pillow")
        }
    }

    /// All 65,536 (colour, alpha) pairs composited onto white exactly as Pillow's alpha_composite.
    func testAlphaCompositingIsExactOnEveryPair() throws {
        let image = try ImageDecoder().decode(contentsOf: ImagingFixtures.input("rgba_all_pairs.png"))
        let expected = try ImagingFixtures.bytes("decoded/rgba_all_pairs.png.rgb")
        XCTAssertEqual(ImagingFixtures.maxDifference(image.pixels, expected), 0)
        XCTAssertEqual(zip(image.pixels, expected).filter { $0 != $1 }.count, 0, "bytes differing from Pillow")
        // Fully transparent row is white, fully opaque row is the colour itself.
        XCTAssertTrue(image.pixels[0..<(256 * 3)].allSatisfy { $0 == 255 })
        XCTAssertEqual(image.pixels[(255 * 256 * 3)..<(255 * 256 * 3 + 6)], [0, 255, 0, 1, 254, 7])
    }

    /// JPEGs (grayscale, Adobe CMYK, progressive, 4:4:4, 4:2:0) against Pillow's own libjpeg-turbo.
    func testJPEGVariantsMatchPillow() throws {
        let manifest = try ImagingFixtures.manifest()
        let decoder = ImageDecoder()
        for name in ["gray.jpg", "cmyk.jpg", "progressive.jpg", "baseline444.jpg", "baseline420.jpg"] {
            let size = try XCTUnwrap(manifest.decoded[name], name)
            let image = try decoder.decode(contentsOf: ImagingFixtures.input(name))
            XCTAssertEqual(image.width, size.width, name)
            XCTAssertEqual(image.height, size.height, name)
            let difference = ImagingFixtures.maxDifference(image.pixels, try ImagingFixtures.bytes("decoded/\(name).rgb"))
            print("JPEG decode \(name): max |Swift − Pillow| = \(difference)")
            XCTAssertLessThanOrEqual(difference, 1, name)
        }
    }

    func testGrayscaleJPEGComesOutWithEqualChannels() throws {
        let image = try ImageDecoder().decode(contentsOf: ImagingFixtures.input("gray.jpg"))
        for pixel in stride(from: 0, to: image.pixels.count, by: 3) {
            XCTAssertEqual(image.pixels[pixel], image.pixels[pixel + 1])
            XCTAssertEqual(image.pixels[pixel], image.pixels[pixel + 2])
        }
    }

    func testDCTScalingDecodesLargeJPEGAtReducedSize() throws {
        let decoder = ImageDecoder()
        let full = try decoder.decode(contentsOf: ImagingFixtures.photo("coffee.jpg"))
        let reduced = try decoder.decode(contentsOf: ImagingFixtures.photo("coffee.jpg"), minimumShorterSide: 100)
        XCTAssertEqual([full.width, full.height], [600, 400])
        XCTAssertEqual([reduced.width, reduced.height], [150, 100])   // 1/4 keeps the shorter side ≥ 100
    }

    func testEveryBrokenInputGivesATypedErrorNamingTheFile() throws {
        let manifest = try ImagingFixtures.manifest()
        XCTAssertEqual(manifest.broken.count, 8)
        let decoder = ImageDecoder()
        for (name, kind) in manifest.broken.sorted(by: { $0.key < $1.key }) {
            let url = ImagingFixtures.broken(name)
            do {
                let image = try decoder.decode(contentsOf: url)
                XCTFail("\(name) decoded to \(image.width)×\(image.height) instead of failing")
            } catch {
                XCTAssertEqual(error.path, url.path)
                XCTAssertTrue(error.description.contains(url.path), error.description)
                switch (kind, error.reason) {
                case ("empty", .empty), ("unrecognisedFormat", .unrecognisedFormat), ("truncated", .truncated),
                     ("corrupt", .corrupt):
                    break
                case ("tooLarge", .tooLarge(let width, let height, let limit)):
                    XCTAssertGreaterThan(width * height, limit, name)
                default:
                    XCTFail("\(name): expected \(kind), got \(error.reason)")
                }
            }
        }
        // The decoder still works after every failure.
        XCTAssertEqual(try decoder.decode(contentsOf: ImagingFixtures.input("la.png")).width, 64)
    }

    func testMissingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/spotcheck/x.png")
        XCTAssertThrowsError(try ImageDecoder().decode(contentsOf: url)) { error in
            guard let error = error as? ImageDecodingError, case .unreadable = error.reason else {
                return XCTFail("unexpected \(error)")
            }
        }
    }

    func testPixelLimitIsConfigurable() {
        XCTAssertThrowsError(try ImageDecoder(maxPixels: 1000).decode(contentsOf: ImagingFixtures.input("gray.jpg")))
    }
}
