import Extractor
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// Pixel rotation against Pillow, and the orientation dataset made from a folder.
final class RotatedDatasetTests: XCTestCase {
    /// `rotated(by:)` equals Pillow's `Image.rotate(angle, expand=True)` on a 5 × 3 image.
    func testRotationMatchesPillow() throws {
        let json = try jsonFixture("rotation.json")
        let image = RGBImage(width: try XCTUnwrap(json["width"] as? Int), height: try XCTUnwrap(json["height"] as? Int),
                             pixels: try XCTUnwrap(json["pixels"] as? [Int]).map(UInt8.init))
        let expected = try XCTUnwrap(json["rotations"] as? [String: [String: Any]])
        for rotation in RightAngleRotation.allCases {
            let pillow = try XCTUnwrap(expected[String(rotation.rawValue)])
            let turned = image.rotated(by: rotation)
            XCTAssertEqual(turned.width, pillow["width"] as? Int, "\(rotation)")
            XCTAssertEqual(turned.height, pillow["height"] as? Int, "\(rotation)")
            XCTAssertEqual(turned.pixels.map(Int.init), pillow["pixels"] as? [Int], "\(rotation)")
        }
    }

    /// Six small non-square source images in two sub-folders (one pair sharing a name), plus a
    /// hidden file and a text file that must be ignored, and an unreadable image that is skipped.
    private func makeSources(in directory: URL) throws -> URL {
        let images = directory.appendingPathComponent("photos")
        for (index, relative) in ["a/one.png", "a/two.jpg", "b/one.png", "b/deep/three.JPEG", "four.jpg", "five.png"].enumerated() {
            let url = images.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let pixels = (0..<(24 * 16 * 3)).map { UInt8(truncatingIfNeeded: $0 * (index + 1)) }
            // The encoder writes JPEG bytes; the decoder sniffs the format, so any extension reads back.
            try JPEGEncoder.write(RGBImage(width: 24, height: 16, pixels: pixels), to: url)
        }
        try Data("x".utf8).write(to: images.appendingPathComponent(".hidden.jpg"))
        try Data("x".utf8).write(to: images.appendingPathComponent("notes.txt"))
        try Data("not a picture".utf8).write(to: images.appendingPathComponent("broken.png"))
        return images
    }

    private func sourcesCSV(_ out: URL) throws -> [[String]] {
        try String(contentsOf: out.appendingPathComponent("sources.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    }

    func testOneSeededAngleEachReproducibleAndRotated() throws {
        let directory = try scratchDirectory(self)
        let images = try makeSources(in: directory)
        let first = directory.appendingPathComponent("first"), second = directory.appendingPathComponent("second")
        for out in [first, second] {
            let observer = RecordingObserver()
            let summary = try RotatedDataset(source: images, output: out, seed: 3).write(observer: observer)
            XCTAssertEqual(summary.copies, 6)
            XCTAssertEqual(observer.skipped.map(\.path), ["broken.png"])
        }
        let rows = try sourcesCSV(first)
        XCTAssertEqual(rows.first, ["file", "source", "angle"])
        XCTAssertEqual(rows.dropFirst().map { $0[1] },
                       ["a/one.png", "a/two.jpg", "b/deep/three.JPEG", "b/one.png", "five.png", "four.jpg"])
        XCTAssertEqual(try sourcesCSV(second), rows, "the same seed gives the same angles")
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }).count, 6, "copies with the same name stay distinct")

        let decoder = ImageDecoder()
        for row in rows.dropFirst() {
            XCTAssertTrue(row[0].hasPrefix(row[2] + "/"), "\(row)")
            let image = try decoder.decode(contentsOf: first.appendingPathComponent(row[0]))
            let turned = row[2] == "90" || row[2] == "270"
            XCTAssertEqual([image.width, image.height], turned ? [16, 24] : [24, 16], "\(row)")
        }
        var seeds = Set<[String]>()
        for seed in 0..<8 {
            let out = directory.appendingPathComponent("seed\(seed)")
            _ = try RotatedDataset(source: images, output: out, seed: UInt64(seed)).write()
            seeds.insert(try sourcesCSV(out).map { $0[2] })
        }
        XCTAssertGreaterThan(seeds.count, 1, "the angles depend on the seed")
    }

    func testAllAnglesWritesFourCopiesAndRefusesToClobber() throws {
        let directory = try scratchDirectory(self)
        let images = try makeSources(in: directory)
        let out = directory.appendingPathComponent("out")
        XCTAssertEqual(try RotatedDataset(source: images, output: out, allAngles: true).write().copies, 24)
        let rows = try sourcesCSV(out).dropFirst()
        XCTAssertEqual(rows.count, 24)
        for angle in ["0", "90", "180", "270"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(angle).path)
            XCTAssertEqual(files.count, 6, angle)
            XCTAssertEqual(Set(rows.filter { $0[2] == angle }.map { $0[1] }).count, 6, angle)
        }
        // The same source's copies are identical up to the rotation (JPEG loss aside): compare sizes.
        let decoder = ImageDecoder()
        let upright = try decoder.decode(contentsOf: out.appendingPathComponent("0/a_one.jpg"))
        let half = try decoder.decode(contentsOf: out.appendingPathComponent("180/a_one.jpg"))
        let back = half.rotated(by: .degrees180)
        let meanError = zip(upright.pixels, back.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / upright.pixels.count
        XCTAssertLessThan(meanError, 8, "a 180° copy turned back matches the upright copy")

        // Writing into our own folder again is allowed; a folder holding someone's files is not.
        _ = try RotatedDataset(source: images, output: out).write()
        XCTAssertEqual(try sourcesCSV(out).count - 1, 6)
        let jpgs = try ["0", "90", "180", "270"].flatMap {
            try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent($0).path)
        }
        XCTAssertEqual(jpgs.count, 6, "the earlier run's copies are replaced, not left behind")

        let foreign = directory.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        let mine = foreign.appendingPathComponent("mine.txt")
        try Data("keep".utf8).write(to: mine)
        XCTAssertThrowsError(try RotatedDataset(source: images, output: foreign).write()) { error in
            XCTAssertEqual(error as? RotationsError, .notOurs(foreign.standardizedFileURL.path))
            XCTAssertTrue("\(error)".contains("not made by spotcheck rotations"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign.path), ["mine.txt"])
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "keep")
    }
}
