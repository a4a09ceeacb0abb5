import Extractor
import Foundation
import XCTest

/// Images are untrusted: the recorded orientation is applied exactly as Pillow's
/// `ImageOps.exif_transpose`, decodes past the memory budget are refused before the memory is
/// taken, and FIFOs and devices are never opened.
final class ImageHardeningTests: XCTestCase {
    private struct Manifest: Decodable {
        let decoded: [String: ImagingFixtures.Size]
    }

    private func fixture(_ name: String) -> URL { ImagingFixtures.root.appendingPathComponent("hardening/\(name)") }

    private func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: fixture("manifest.json")))
    }

    func testOrientationIsAppliedAsPillowsExifTranspose() throws {
        let sizes = try manifest().decoded
        let decoder = ImageDecoder()
        let asStored = try ImageDecoder(appliesOrientation: false).decode(contentsOf: fixture("orient_1.jpg"))
        var names = (1...8).map { "orient_\($0).jpg" }
        names += ["orient_6_motorola.jpg", "orient_xmp_8.jpg", "orient_exif_none_xmp_3.jpg", "orient_5.png"]
        for name in names {
            let size = try XCTUnwrap(sizes[name], name)
            let image = try decoder.decode(contentsOf: fixture(name))
            XCTAssertEqual([image.width, image.height], [size.width, size.height], name)
            let expected = try [UInt8](Data(contentsOf: fixture("\(name).rgb")))
            let difference = ImagingFixtures.maxDifference(image.pixels, expected)
            // The JPEG decode itself may differ from Pillow's libjpeg by 1; the PNG exactly.
            XCTAssertLessThanOrEqual(difference, name.hasSuffix(".png") ? 0 : 1, name)
            // Turning the pixels is exact: the same as turning the as-stored decode.
            if name.hasSuffix(".jpg") {
                let tag = try [UInt8](Data(contentsOf: fixture(name))).withUnsafeBufferPointer { ImageOrientation.of(file: $0) }
                XCTAssertEqual(image, Self.reference(asStored, tag), name)
            }
        }
        XCTAssertEqual(try ImageDecoder(appliesOrientation: false).decode(contentsOf: fixture("orient_6.jpg")), asStored)
    }

    /// An independent (pixel-by-pixel, Pillow's definitions) undoing of `orientation`.
    private static func reference(_ image: RGBImage, _ orientation: ImageOrientation) -> RGBImage {
        switch orientation {
        case .normal: return image
        case .rotatedCounterClockwise: return image.rotated(by: .degrees90)
        case .upsideDown: return image.rotated(by: .degrees180)
        case .rotatedClockwise: return image.rotated(by: .degrees270)
        case .mirrored: return mirrored(image)
        case .flipped: return mirrored(image).rotated(by: .degrees180)
        case .transposed: return mirrored(image.rotated(by: .degrees270))
        case .transversed: return mirrored(image.rotated(by: .degrees90))
        }
    }

    private static func mirrored(_ image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<3 { pixels[(y * image.width + x) * 3 + c] = image.pixels[(y * image.width + image.width - 1 - x) * 3 + c] }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    func testInterlacedPNGsDecodeExactly() throws {
        let image = try ImageDecoder().decode(contentsOf: fixture("interlaced_rgba.png"))
        XCTAssertEqual([image.width, image.height], [53, 37])
        XCTAssertEqual(image.pixels, try [UInt8](Data(contentsOf: fixture("interlaced_rgba.png.rgb"))))
    }

    func testDecodesPastTheBudgetAreRefusedBeforeAllocating() throws {
        for name in ["huge_header.png", "huge_interlaced_header.png", "huge_header.jpg"] {
            XCTAssertThrowsError(try ImageDecoder().decode(contentsOf: fixture(name)), name) { error in
                guard let error = error as? ImageDecodingError, case .overBudget(let message) = error.reason else {
                    return XCTFail("\(name): \(error)")
                }
                XCTAssertTrue(message.contains("over the budget of \(ImageDecoder.defaultDecodeBudget) bytes"), message)
                XCTAssertTrue(error.description.contains("downscale it"), error.description)
            }
        }
        // 8500 × 8500 is within the budget as RGB, not as the whole RGBA image interlacing needs.
        XCTAssertThrowsError(try ImageDecoder().decode(contentsOf: fixture("huge_interlaced_header.png"))) { error in
            XCTAssertTrue("\(error)".contains("(interlaced)"), "\(error)")
        }
        // A smaller budget refuses ordinary images too, and an upright copy counts against it.
        let photo = fixture("orient_6.jpg")
        XCTAssertNoThrow(try ImageDecoder(decodeBudget: 2 * 72 * 48 * 3).decode(contentsOf: photo))
        XCTAssertThrowsError(try ImageDecoder(decodeBudget: 2 * 72 * 48 * 3 - 1).decode(contentsOf: photo)) { error in
            XCTAssertTrue("\(error)".contains("upright"), "\(error)")
        }
        XCTAssertNoThrow(try ImageDecoder(decodeBudget: 72 * 48 * 3, appliesOrientation: false).decode(contentsOf: photo))
        // A progressive JPEG's whole-image coefficient arrays count too.
        let progressive = fixture("progressive_photo.jpg")
        let decoded = try ImageDecoder().decode(contentsOf: progressive)
        XCTAssertLessThanOrEqual(ImagingFixtures.maxDifference(
            decoded.pixels, try [UInt8](Data(contentsOf: fixture("progressive_photo.jpg.rgb")))), 1)
        XCTAssertThrowsError(try ImageDecoder(decodeBudget: 240 * 160 * 3 + 20_000).decode(contentsOf: progressive)) { error in
            XCTAssertTrue("\(error)".contains("work arrays"), "\(error)")
        }
    }

    func testFIFOsAndDevicesAreNeverOpened() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("photo.jpg")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        for url in [fifo, URL(fileURLWithPath: "/dev/zero"), folder] {
            XCTAssertThrowsError(try ImageDecoder().decode(contentsOf: url)) { error in
                guard let error = error as? ImageDecodingError, case .notARegularFile = error.reason else {
                    return XCTFail("\(url.path): \(error)")
                }
            }
        }
    }

    func testPresetsSayTheyApplyTheOrientation() {
        for preset in [Preprocessing.torchvision, .tensorflow(inputSize: 224), .caffe] {
            XCTAssertTrue(preset.appliesOrientation)
            XCTAssertTrue(preset.name.contains("EXIF orientation"), preset.name)
        }
    }
}
