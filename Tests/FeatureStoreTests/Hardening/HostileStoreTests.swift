import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Feature stores are untrusted: headers that declare more than the file holds are refused
/// before anything is allocated, reads stay within a memory budget, damaged chunks fail their
/// checksum, and nothing the reader does changes the file.
final class HostileStoreTests: XCTestCase {
    private func hostile(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/hostile/\(name)", withExtension: nil))
    }

    /// Opens a crafted file expecting `.declaredBeyondFile` for `dataset` (before any large
    /// allocation: the test process would abort otherwise), the file byte-identical after.
    private func expectDeclaredBeyondFile(_ name: String, dataset: String, _ phrase: String,
                                          line: UInt = #line) throws {
        let url = try hostile(name)
        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try FeatureStoreReader(url: url), line: line) { error in
            guard case FeatureStoreError.declaredBeyondFile(_, let found, _, _) = error else {
                return XCTFail("\(error)", line: line)
            }
            XCTAssertEqual(found, dataset, line: line)
            XCTAssertTrue("\(error)".contains(phrase), "\(error)", line: line)
            XCTAssertTrue("\(error)".contains("re-create the store"), "\(error)", line: line)
        }
        XCTAssertEqual(try Data(contentsOf: url), before, line: line)
    }

    func testABillionDeclaredRowsInAFewKilobytesAreRefused() throws {
        try expectDeclaredBeyondFile("rows_1e9_chunked.h5", dataset: "features",
                                     "declares 1000000000 × 4 values but only 0 of the 976563 chunks")
        try expectDeclaredBeyondFile("rows_1e9_contiguous.h5", dataset: "features",
                                     "only 0 bytes of their 16.0 GB are stored")
    }

    func testShapesWhoseSizeOverflowsAreRefused() throws {
        try expectDeclaredBeyondFile("shape_2e40.h5", dataset: "features",
                                     "1099511627776 × 1099511627776 values but that is more bytes than any file can hold")
    }

    func testABillionDeclaredClassNamesAreRefused() throws {
        try expectDeclaredBeyondFile("names_1e9.h5", dataset: "label_names", "declares 1000000000 values")
    }

    func testCompressedStoresAreReadWithinTheMemoryBudget() throws {
        let url = try hostile("gzip_zeros.h5")
        let reader = try FeatureStoreReader(url: url, memoryBudget: 250_000)
        XCTAssertEqual(reader.rowCount, 20_000)
        XCTAssertThrowsError(try reader.readRows(0..<reader.rowCount)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .overBudget(path: url.path, what: "20000 rows of 100 features",
                                                                    bytes: 8_000_000, budget: 250_000))
            XCTAssertTrue("\(error)".contains("8.0 MB, more than the memory budget of 250.0 KB"), "\(error)")
        }
        XCTAssertThrowsError(try reader.labels()) { error in
            guard case FeatureStoreError.overBudget = error else { return XCTFail("\(error)") }
        }
        let cursor = try FeatureStoreRowCursor(reader, blockRows: 500)
        var row: [Float] = [], visited = 0
        while let (index, label) = try cursor.next(into: &row) {
            XCTAssertEqual(index, visited)
            XCTAssertEqual(label, index % 3)
            XCTAssertEqual(row, [Float](repeating: 0, count: 100))
            visited += 1
        }
        XCTAssertEqual(visited, 20_000)
        XCTAssertFalse(reader.hasChecksums, "h5py wrote no checksums")
    }

    func testTheRowCursorVisitsChosenRowsInBlocks() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let sample = SampleRows(rows: 50, dimension: 3, classes: 4)
        try writeStore(sample, to: url, bufferRows: 7)
        let reader = try FeatureStoreReader(url: url)
        let chosen = [0, 3, 4, 19, 20, 21, 48, 49]
        let cursor = try FeatureStoreRowCursor(reader, rows: chosen, blockRows: 4)
        var row: [Float] = [], seen: [Int] = []
        while let (index, label) = try cursor.next(into: &row) {
            seen.append(index)
            XCTAssertEqual(label, sample.labels[index])
            XCTAssertEqual(row, Array(sample.features.values[(index * 3)..<(index * 3 + 3)]))
        }
        XCTAssertEqual(seen, chosen)
        for bad in [[3, 2], [1, 1], [50], [-1]] {
            XCTAssertThrowsError(try FeatureStoreRowCursor(reader, rows: bad)) { error in
                guard case FeatureStoreError.invalidArgument = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testAFlippedByteInAStoreFailsItsChecksum() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let sample = SampleRows(rows: 40, dimension: 8, classes: 4)
        try writeStore(sample, to: url, bufferRows: 16)
        XCTAssertTrue(try FeatureStoreReader(url: url).hasChecksums)
        try FeatureStoreReader(url: url).verifyChecksums()
        // Row 20 is stored verbatim (float32 little-endian); change one byte of it.
        var bytes = try Data(contentsOf: url)
        let row = rawBytes(Array(sample.features.values[(20 * 8)..<(21 * 8)]))
        let at = try XCTUnwrap(bytes.range(of: row)).lowerBound + 13
        bytes[at] ^= 0x40
        try bytes.write(to: url)
        let reader = try FeatureStoreReader(url: url)
        XCTAssertEqual(try reader.readRows(0..<16).features, sample.features(0..<16), "other chunks still read")
        for read in [{ _ = try reader.readRows(16..<32) }, { try reader.verifyChecksums() }] {
            XCTAssertThrowsError(try read()) { error in
                XCTAssertEqual(error as? FeatureStoreError, .checksumMismatch(path: url.path, dataset: "features"))
                XCTAssertTrue("\(error)".contains("extract the features again"), "\(error)")
            }
        }
        XCTAssertEqual(try Data(contentsOf: url), bytes, "reading never changes the file")
    }

    func testNonRegularFilesAreRefusedWithoutBlocking() throws {
        let fifo = try scratchDirectory(self).appendingPathComponent("store.h5")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try FeatureStoreReader(url: fifo)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .notARegularFile(path: fifo.path, kind: "a named pipe (FIFO)"))
        }
    }

    func testExtraStringDatasetsRoundTrip() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let sample = SampleRows(rows: 5, dimension: 2, classes: 4)
        let writer = try FeatureStoreWriter(creating: url, dimension: 2, labelNames: sampleLabelNames)
        try writer.append(features: sample.features, labels: sample.labels, paths: sample.paths)
        let digests = (0..<5).map { String(repeating: "\($0)", count: 64) }
        try writer.writeStrings(["stale"], dataset: "content_sha256")
        try writer.writeStrings(digests, dataset: "content_sha256")
        for reserved in ["features", "paths", "", "a/b"] {
            XCTAssertThrowsError(try writer.writeStrings(["x"], dataset: reserved))
        }
        try writer.finish()
        let reader = try FeatureStoreReader(url: url)
        XCTAssertTrue(reader.hasDataset("content_sha256"))
        XCTAssertEqual(try reader.strings(dataset: "content_sha256"), digests)
        XCTAssertThrowsError(try reader.strings(dataset: "absent")) { error in
            XCTAssertEqual(error as? FeatureStoreError, .missingDataset(path: url.path, name: "absent"))
        }
    }
}
