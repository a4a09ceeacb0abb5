import FeatureStore
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// A cached store is reused only while it is sound and made from the same images.
final class StoreCacheTests: XCTestCase {
    private func configuration(_ dataset: URL, out: URL) throws -> SpotcheckConfiguration {
        try .images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"], out: out, testFraction: 0.5)
    }

    /// An image rewritten with the same size and its old date set back is still noticed (the
    /// fingerprint includes the change time, which no one can set back).
    func testAnImageRewrittenWithTheSameSizeAndDateIsExtractedAgain() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 3)
        let out = scratch.appendingPathComponent("reports")
        _ = try SpotcheckRun(try configuration(dataset, out: out)).execute()
        let birds = dataset.appendingPathComponent("birds")
        let names = try FileManager.default.contentsOfDirectory(atPath: birds.path).sorted()
        let (a, b) = (birds.appendingPathComponent(names[0]), birds.appendingPathComponent(names[1]))
        let date = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: a.path)[.modificationDate] as? Date)
        // Same size: the first bytes of another photo, padded or cut to the old length.
        let size = try Data(contentsOf: a).count
        var other = try Data(contentsOf: b)
        other = other.count >= size ? other.prefix(size) : other + Data(repeating: 0, count: size - other.count)
        try other.write(to: a)
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: a.path)
        let again = try SpotcheckRun(try configuration(dataset, out: out), observer: RecordingObserver()).execute()
        XCTAssertEqual(again.report.extractions.map(\.cached), [false])
    }

    /// A store whose bytes were damaged after it was made fails its checksums and is made again.
    func testADamagedStoreIsExtractedAgain() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 3)
        let out = scratch.appendingPathComponent("reports")
        let first = try SpotcheckRun(try configuration(dataset, out: out)).execute()
        let store = out.appendingPathComponent("features/squeezenet1_1.h5")
        let flip = try runTool(try testPython(), ["-c", """
            import sys, h5py
            with h5py.File(sys.argv[1], "r") as f:
                offset = f["features"].id.get_chunk_info(0).byte_offset
            with open(sys.argv[1], "r+b") as raw:
                raw.seek(offset + 17)
                byte = raw.read(1)
                raw.seek(offset + 17)
                raw.write(bytes([byte[0] ^ 0x40]))
            """, store.path])
        XCTAssertEqual(flip.status, 0, flip.stderr)
        let observer = RecordingObserver()
        let again = try SpotcheckRun(try configuration(dataset, out: out), observer: observer).execute()
        XCTAssertEqual(again.report.extractions.map(\.cached), [false])
        XCTAssertTrue(observer.messages.contains { $0.contains("is damaged") }, "\(observer.messages)")
        XCTAssertEqual(again.report.results.map(\.accuracy), first.report.results.map(\.accuracy))
    }

    /// Feature files whose paths repeat cannot be matched by path: refused, not collapsed.
    func testFeatureFilesWithRepeatedPathsAreRefused() throws {
        let scratch = try scratchDirectory(self)
        let url = scratch.appendingPathComponent("same.h5")
        let writer = try FeatureStoreWriter(creating: url, dimension: 2, labelNames: ["a", "b"], bufferRows: 4)
        for row in 0..<8 { try writer.append(features: [Float(row), 1], label: row % 2, path: "same.png") }
        try writer.finish()
        var configuration = SpotcheckConfiguration(.featureFiles([url]))
        configuration.outputFolder = scratch.appendingPathComponent("reports")
        XCTAssertThrowsError(try SpotcheckRun(configuration).execute()) { error in
            XCTAssertTrue("\(error)".contains("names 7 image paths more than once"), "\(error)")
        }
    }
}
