import FeatureStore
import SpotcheckTestSupport
import XCTest

/// Damaged or foreign files give typed errors that say what to do; nothing is clobbered.
final class ErrorTests: XCTestCase {
    private func fixture(_ name: String) throws -> URL {
        try fixtureURL(name, in: .module)
    }

    func testNonHDF5File() throws {
        let url = try scratchDirectory(self).appendingPathComponent("notes.h5")
        try Data("class,feature_0\n0,1.5\n".utf8).write(to: url)
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .notHDF5(path: url.path))
            XCTAssertTrue("\(error)".contains("not an HDF5 file"))
        }
    }

    func testMissingFile() throws {
        let url = try scratchDirectory(self).appendingPathComponent("absent.h5")
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .fileNotFound(path: url.path))
        }
    }

    func testMissingDataset() throws {
        let url = try fixture("missing_labels.h5")
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .missingDataset(path: url.path, name: "labels"))
            XCTAssertTrue("\(error)".contains("'labels'"))
        }
    }

    func testMismatchedRowCounts() throws {
        let url = try fixture("mismatched_rows.h5")
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            XCTAssertEqual(error as? FeatureStoreError,
                           .rowCountMismatch(path: url.path, features: 12, labels: 10, paths: nil))
            XCTAssertTrue("\(error)".contains("re-create it"))
        }
    }

    func testRangeOutsideTheStore() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        try writeStore(SampleRows(rows: 5, dimension: 2, classes: 4), to: url)
        let reader = try FeatureStoreReader(url: url)
        XCTAssertThrowsError(try reader.readRows(3..<6)) { error in
            guard case FeatureStoreError.invalidArgument = error else { return XCTFail("\(error)") }
        }
    }

    func testRefusesToClobberACompleteStore() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let first = SampleRows(rows: 6, dimension: 2, classes: 4, seed: 1)
        try writeStore(first, to: url)
        XCTAssertThrowsError(try FeatureStoreWriter(creating: url, dimension: 2, labelNames: sampleLabelNames)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .alreadyExists(path: url.path))
            XCTAssertTrue("\(error)".contains("never overwritten silently"))
            XCTAssertFalse("\(error)".contains("--"), "library errors name no command-line flags")
        }
        // A store that appears while another is being written is not clobbered either.
        let late = try FeatureStoreWriter(creating: url.deletingLastPathComponent().appendingPathComponent("late.h5"),
                                          dimension: 2, labelNames: sampleLabelNames)
        try FileManager.default.copyItem(at: url, to: late.url)
        XCTAssertThrowsError(try late.finish()) { error in
            XCTAssertEqual(error as? FeatureStoreError, .alreadyExists(path: late.url.path))
        }
        XCTAssertEqual(try FeatureStoreReader(url: late.url).rowCount, 6)

        // Overwriting must be asked for, and replaces the old store only when the new one is complete.
        let second = SampleRows(rows: 9, dimension: 2, classes: 4, seed: 2)
        let writer = try FeatureStoreWriter(creating: url, dimension: 2, labelNames: sampleLabelNames, overwrite: true)
        try writer.append(features: second.features, labels: second.labels, paths: second.paths)
        try writer.flush()
        XCTAssertEqual(try FeatureStoreReader(url: url).readRows(0..<6).features, first.features)
        try writer.finish()
        XCTAssertEqual(try FeatureStoreReader(url: url).readRows(0..<9).features, second.features)
    }
}
