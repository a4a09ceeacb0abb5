import Extractor
import Foundation
import SpotcheckTestSupport
import XCTest

/// Weights are checked against their published sha256 the first time they are used; a
/// swapped or perturbed file is refused with both digests, and a verdict is reused only while
/// the file is unchanged.
final class WeightsVerificationTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "spotcheck-weights")
    }

    /// A copy of a real weights file in the scratch folder, under `name`.
    private func copy(_ real: String, as name: String) throws -> URL {
        let source = try CheckpointFixtures.realFile(real)
        let url = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: url)
        return url
    }

    func testTheVerdictIsCachedUntilTheFileChanges() throws {
        let (name, digest) = CheckpointFixtures.realFiles[0]
        let url = try copy(name, as: name)
        XCTAssertTrue(try WeightsVerification.verify(url, expected: digest), "the first use hashes")
        XCTAssertTrue(FileManager.default.fileExists(atPath: WeightsVerification.markerURL(for: url).path))
        XCTAssertFalse(try WeightsVerification.verify(url, expected: digest), "later uses trust the marker")

        // Change one byte in place and put the modification time back: the change time still moves.
        var status = stat()
        XCTAssertEqual(stat(url.path, &status), 0)
        let handle = try FileHandle(forUpdating: url)
        try handle.seek(toOffset: 5000)
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: 5000)
        handle.write(Data([byte ^ 0x01]))
        try handle.close()
        var times = [status.st_atim, status.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        XCTAssertThrowsError(try WeightsVerification.verify(url, expected: digest)) { error in
            guard let error = error as? CheckpointError, case .digestMismatch(let expected, let found) = error.reason else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(expected, digest)
            XCTAssertNotEqual(found, digest)
            XCTAssertEqual(found.count, 64)
            XCTAssertTrue(error.description.contains("run scripts/setup"), error.description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: WeightsVerification.markerURL(for: url).path),
                       "a refused file keeps no marker")
    }

    func testAForgedMarkerIsNotTrusted() throws {
        let (name, digest) = CheckpointFixtures.realFiles[0]
        let url = try copy(CheckpointFixtures.realFiles[1].name, as: name)
        try Data("sha256 \(digest) size 1 mtime 0.0 ctime 0.0 inode 0 device 0\n".utf8)
            .write(to: WeightsVerification.markerURL(for: url))
        XCTAssertThrowsError(try WeightsVerification.verify(url, expected: digest))
    }

    func testASwappedWeightsFileIsRefusedWhenTheBackboneLoads() throws {
        let descriptor = try BackboneRegistry.descriptor(named: "mobilenet_v2")
        guard case .setup(let file, let sha256) = descriptor.weights else { return XCTFail("\(descriptor.weights)") }
        XCTAssertEqual(sha256, CheckpointFixtures.realFiles[0].sha256)
        let swapped = try copy("efficientnet-lite0-57934424.pth", as: file)
        let before = try Data(contentsOf: swapped)
        XCTAssertThrowsError(try BackboneRegistry.load("mobilenet_v2", directory: folder)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(swapped.path), text)
            XCTAssertTrue(text.contains("published one is \(sha256)"), text)
            XCTAssertTrue(text.contains("its sha256 is \(CheckpointFixtures.realFiles[1].sha256)"), text)
            XCTAssertTrue(text.contains("scripts/setup"), text)
        }
        XCTAssertEqual(try Data(contentsOf: swapped), before, "the file is left as it was")
    }
}
