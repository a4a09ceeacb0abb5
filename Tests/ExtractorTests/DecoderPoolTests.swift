import Extractor
import Foundation
import XCTest

/// Ordering, back-pressure and per-file failures of the decoder pool, checked against the
/// single-threaded preprocessor (itself checked against Pillow in ResizeParityTests).
final class DecoderPoolTests: XCTestCase {
    private let preset = Preprocessing(name: "small", resizeShorterSide: 40, cropSize: 32, filter: .bilinear,
                                       channelOrder: .bgr, mean: [1, 2, 3], scale: [2, 4, 8])

    private func files() throws -> (urls: [URL], broken: Set<Int>) {
        let good = ["gray.jpg", "cmyk.jpg", "progressive.jpg", "la.png", "palette_trns.png", "rgb16.png",
                    "rgba16.png", "misnamed_png.jpg"].map(ImagingFixtures.input)
            + ["chelsea.jpg", "coffee.jpg", "rocket.jpg", "demo_penguin.png"].map(ImagingFixtures.photo)
        let bad = try ImagingFixtures.manifest().broken.keys.sorted().map(ImagingFixtures.broken)
        var urls: [URL] = []
        var broken = Set<Int>()
        // Interleave: every third file is broken, so most batches hold a failure.
        var goodIterator = good.makeIterator(), badIterator = bad.makeIterator()
        while true {
            if urls.count % 3 == 2, let url = badIterator.next() {
                broken.insert(urls.count)
                urls.append(url)
            } else if let url = goodIterator.next() {
                urls.append(url)
            } else if let url = badIterator.next() {
                broken.insert(urls.count)
                urls.append(url)
            } else {
                break
            }
        }
        return (urls, broken)
    }

    private func expected(_ url: URL) throws -> [Float] {
        var values = [Float](repeating: 0, count: 3 * 32 * 32)
        try values.withUnsafeMutableBufferPointer { try ImagePreprocessor(preset: preset).preprocess(contentsOf: url, into: $0) }
        return values
    }

    func testBatchesArriveInOrderWithFailuresReported() throws {
        let (urls, broken) = try files()
        XCTAssertEqual(broken.count, 8)
        for (threads, inFlight) in [(1, 1), (2, 1), (2, 3), (3, 2)] {
            let pool = try DecoderPool(urls: urls, preset: preset, batchSize: 3, threads: threads,
                                       maxBatchesInFlight: inFlight)
            var seenImages: [Int] = [], seenFailures: [Int] = [], batchIndices: [Int] = []
            for batch in pool {
                batchIndices.append(batch.batchIndex)
                XCTAssertEqual(batch.images.count, batch.sampleIndices.count)
                XCTAssertEqual([batch.images.channels, batch.images.height, batch.images.width], [3, 32, 32])
                for (position, index) in batch.sampleIndices.enumerated() {
                    let slice = Array(batch.images.values[(position * 3072)..<((position + 1) * 3072)])
                    XCTAssertEqual(slice, try expected(urls[index]), "\(urls[index].lastPathComponent) in batch \(batch.batchIndex)")
                }
                for failure in batch.failures {
                    XCTAssertEqual(failure.error.path, urls[failure.sampleIndex].path)
                }
                seenImages += batch.sampleIndices
                seenFailures += batch.failures.map(\.sampleIndex)
            }
            XCTAssertEqual(batchIndices, Array(0..<pool.batchCount), "threads \(threads)")
            XCTAssertEqual(seenImages, (0..<urls.count).filter { !broken.contains($0) }, "threads \(threads)")
            XCTAssertEqual(seenFailures, broken.sorted(), "threads \(threads)")
            XCTAssertLessThanOrEqual(pool.peakBatchesInFlight, inFlight)
        }
    }

    /// Workers stop at the in-flight limit while the caller does not take batches.
    func testBackPressureHoldsWorkersAtTheLimit() throws {
        let urls = Array(repeating: ImagingFixtures.input("la.png"), count: 40)
        let pool = try DecoderPool(urls: urls, preset: preset, batchSize: 2, threads: 3, maxBatchesInFlight: 2)
        let deadline = Date().addingTimeInterval(20)
        while pool.peakBatchesInFlight < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(pool.peakBatchesInFlight, 2)
        XCTAssertEqual(pool.map(\.images.count).reduce(0, +), 40)
        XCTAssertEqual(pool.peakBatchesInFlight, 2)
    }

    func testCancelEndsTheSequenceAndEmptyInputGivesNoBatches() throws {
        let pool = try DecoderPool(urls: Array(repeating: ImagingFixtures.input("la.png"), count: 20),
                                   preset: preset, batchSize: 2)
        XCTAssertNotNil(pool.next())
        pool.cancel()
        XCTAssertNil(pool.next())
        let empty = try DecoderPool(urls: [], preset: preset)
        XCTAssertEqual(empty.batchCount, 0)
        XCTAssertNil(empty.next())
    }
}
