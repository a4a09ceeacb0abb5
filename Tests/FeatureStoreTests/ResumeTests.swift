import FeatureStore
import SpotcheckTestSupport
import XCTest

/// An interrupted store resumes from its last durable row, and the result equals an
/// uninterrupted write.
///
/// The crash is simulated by copying the `.partial` file while its writer still holds it open
/// after a flush: that copy is exactly what a process killed at that moment (SIGKILL) leaves on
/// disk — everything written to the operating system, nothing of the writer's buffer.
final class ResumeTests: XCTestCase {
    private let sample = SampleRows(rows: 50, dimension: 5, classes: sampleLabelNames.count)

    /// Writes rows 0..<20 with a buffer of 8 (16 durable, 4 buffered) and returns the final URL of
    /// a crashed copy of the partial store.
    private func crashedStore(in directory: URL) throws -> URL {
        let live = directory.appendingPathComponent("live.h5")
        let writer = try FeatureStoreWriter(creating: live, dimension: 5, labelNames: sampleLabelNames,
                                            attributes: sampleAttributes(), bufferRows: 8)
        for row in 0..<20 {
            try writer.append(features: sample.features.row(row), label: sample.labels[row], path: sample.paths[row])
        }
        XCTAssertEqual(writer.durableRowCount, 16)
        let crashed = directory.appendingPathComponent("crashed.h5")
        try FileManager.default.copyItem(at: FeatureStoreWriter.partialURL(for: live),
                                         to: FeatureStoreWriter.partialURL(for: crashed))
        return crashed
    }

    /// Resumes `url`, appends the rest of the sample, finishes, and checks the result equals an
    /// uninterrupted write of the whole sample.
    private func resumeAndCompare(_ url: URL, expectedDurable: Int) throws {
        let resumed = try FeatureStoreWriter(resuming: url, bufferRows: 8)
        XCTAssertEqual(resumed.durableRowCount, expectedDurable)
        XCTAssertEqual(resumed.attributes, sampleAttributes())
        XCTAssertEqual(resumed.labelNames, sampleLabelNames)
        let rest = expectedDurable..<sample.labels.count
        try resumed.append(features: sample.features(rest), labels: Array(sample.labels[rest]),
                           paths: Array(sample.paths[rest]))
        try resumed.finish()

        let whole = url.deletingLastPathComponent().appendingPathComponent("whole.h5")
        try writeStore(sample, to: whole)
        let got = try FeatureStoreReader(url: url), want = try FeatureStoreReader(url: whole)
        XCTAssertEqual(got.rowCount, want.rowCount)
        let gotRows = try got.readRows(0..<got.rowCount), wantRows = try want.readRows(0..<want.rowCount)
        XCTAssertEqual(gotRows.features.values.map(\.bitPattern), wantRows.features.values.map(\.bitPattern))
        XCTAssertEqual(gotRows.labels, wantRows.labels)
        XCTAssertEqual(try got.paths(0..<got.rowCount), try want.paths(0..<want.rowCount))
        XCTAssertEqual(got.attributes, want.attributes)
        XCTAssertEqual(got.labelNames, want.labelNames)
    }

    func testResumeAfterCrashEqualsUninterruptedWrite() throws {
        let directory = try scratchDirectory(self)
        let crashed = try crashedStore(in: directory)
        let point = try XCTUnwrap(FeatureStoreWriter.resumePoint(for: crashed))
        XCTAssertEqual(point.rowCount, 16)
        XCTAssertEqual(point.paths, Array(sample.paths[0..<16]))
        XCTAssertEqual(point.dimension, 5)
        XCTAssertEqual(point.attributes, sampleAttributes())
        try resumeAndCompare(crashed, expectedDurable: 16)
        XCTAssertNil(try FeatureStoreWriter.resumePoint(for: crashed))
    }

    func testResumeCutsDatasetsToTheCountTheyAgreeOn() throws {
        let directory = try scratchDirectory(self)
        let crashed = try crashedStore(in: directory)
        // A crash in the middle of a block: 'labels' grown past the data, 'paths' behind it,
        // and the recorded durable count lost.
        try runPython("""
            import sys, h5py
            with h5py.File(sys.argv[1], 'r+') as db:
                db['labels'].resize((24,))
                db['paths'].resize((12,))
                del db.attrs['spotcheck_durable_rows']
            """, [FeatureStoreWriter.partialURL(for: crashed).path])
        XCTAssertEqual(try FeatureStoreWriter.resumePoint(for: crashed)?.rowCount, 12)
        try resumeAndCompare(crashed, expectedDurable: 12)
    }

    func testNothingToResumeAndDamagedPartial() throws {
        let directory = try scratchDirectory(self)
        let url = directory.appendingPathComponent("store.h5")
        XCTAssertNil(try FeatureStoreWriter.resumePoint(for: url))
        XCTAssertThrowsError(try FeatureStoreWriter(resuming: url)) { error in
            XCTAssertEqual(error as? FeatureStoreError,
                           .noPartialStore(path: FeatureStoreWriter.partialURL(for: url).path))
        }
        try Data(repeating: 0, count: 100).write(to: FeatureStoreWriter.partialURL(for: url))
        XCTAssertThrowsError(try FeatureStoreWriter(resuming: url)) { error in
            guard case FeatureStoreError.unresumable = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("delete it"))
        }
        // Starting afresh replaces the damaged partial file.
        try writeStore(SampleRows(rows: 3, dimension: 2, classes: 4), to: url)
        XCTAssertEqual(try FeatureStoreReader(url: url).rowCount, 3)
    }
}
