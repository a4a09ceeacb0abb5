import FeatureStore
import Foundation
import Glibc
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Stores written in parts, joined as an HDF5 virtual dataset (or copied): the joined store reads
/// as the parts' rows in order — here, in h5py and h5dump — and a reader never returns the fill
/// values HDF5 silently substitutes for a source it cannot read.
final class VirtualStoreTests: XCTestCase {
    private let sample = SampleRows(rows: 23, dimension: 5, classes: sampleLabelNames.count)
    /// Rows of each part: one empty part, as a shard of an undecodable image would be.
    private let cuts = [0..<7, 7..<7, 7..<15, 15..<23]

    /// Writes the sample as parts `parts/part-i.h5` under `folder`.
    private func writeParts(in folder: URL, cuts: [Range<Int>]? = nil) throws -> [URL] {
        let partsFolder = folder.appendingPathComponent("parts")
        try FileManager.default.createDirectory(at: partsFolder, withIntermediateDirectories: true)
        return try (cuts ?? self.cuts).enumerated().map { index, range in
            let url = partsFolder.appendingPathComponent("part-\(index).h5")
            let writer = try FeatureStoreWriter(creating: url, dimension: 5, labelNames: sampleLabelNames,
                                                attributes: sampleAttributes(), bufferRows: 4, overwrite: true)
            try writer.append(features: sample.features(range), labels: Array(sample.labels[range]),
                              paths: Array(sample.paths[range]))
            try writer.finish()
            return url
        }
    }

    private func assertHoldsTheSample(_ reader: FeatureStoreReader, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(reader.rowCount, 23, file: file, line: line)
        let all = try reader.readRows(0..<23)
        XCTAssertEqual(all.features.values.map(\.bitPattern), sample.features.values.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(all.labels, sample.labels, file: file, line: line)
        XCTAssertEqual(try reader.paths(0..<23), sample.paths, file: file, line: line)
        XCTAssertEqual(reader.labelNames, sampleLabelNames, file: file, line: line)
    }

    func testJoinedStoresReadAsThePartsInOrderHereAndInH5py() throws {
        let folder = try scratchDirectory(self)
        let parts = try writeParts(in: folder)
        var attributes = sampleAttributes()
        attributes["shard_count"] = .integer(parts.count)
        let url = folder.appendingPathComponent("joined.h5")
        XCTAssertEqual(try FeatureStoreJoin.join(parts, into: url, attributes: attributes, method: .virtual, overwrite: false), 23)
        let reader = try FeatureStoreReader(url: url)
        try assertHoldsTheSample(reader)
        XCTAssertEqual(reader.attributes, attributes)
        // The empty part maps no rows; the others are named relative to the joined store.
        XCTAssertEqual(reader.virtualSources, [0, 2, 3].map { parts[$0].standardizedFileURL.path })
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path + ".partial"))

        let copied = folder.appendingPathComponent("copied.h5")
        try FeatureStoreJoin.join(parts, into: copied, attributes: attributes, method: .copy, overwrite: false)
        let copy = try FeatureStoreReader(url: copied)
        try assertHoldsTheSample(copy)
        XCTAssertEqual(copy.virtualSources, [])
        XCTAssertTrue(copy.hasChecksums)

        // h5py reads the virtual store as one dataset, and the folder can move as a whole.
        let moved = folder.deletingLastPathComponent().appendingPathComponent("moved-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: folder, to: moved)
        addTeardownBlock { try? FileManager.default.removeItem(at: moved) }
        let expected = moved.appendingPathComponent("expected.f32")
        try rawBytes(sample.features.values).write(to: expected)
        try runPython("""
            import sys, h5py, numpy as np
            path, expected = sys.argv[1:]
            with h5py.File(path, 'r') as db:
                assert db['features'].is_virtual and db['features'].shape == (23, 5)
                assert [s.file_name for s in db['features'].virtual_sources()] == ['parts/part-0.h5', 'parts/part-2.h5', 'parts/part-3.h5']
                x = db['features'][:]
                assert np.array_equal(x.view(np.uint32), np.fromfile(expected, dtype='<f4').reshape(23, 5).view(np.uint32))
                assert db['paths'][-1].decode('utf-8').endswith('_22.png'), db['paths'][-1]
                assert db.attrs['shard_count'] == 4
            """, [moved.appendingPathComponent("joined.h5").path, expected.path])
        try assertHoldsTheSample(try FeatureStoreReader(url: moved.appendingPathComponent("joined.h5")))
    }

    /// The failure this guards against, shown with an independent reader: h5py returns NaN for a
    /// deleted part without a word. Our reader refuses to open the store, naming the part.
    func testADeletedPartIsRefusedWhereH5pyReadsFillValues() throws {
        let folder = try scratchDirectory(self)
        let parts = try writeParts(in: folder)
        let url = folder.appendingPathComponent("joined.h5")
        try FeatureStoreJoin.join(parts, into: url, attributes: sampleAttributes(), method: .virtual, overwrite: false)
        try FileManager.default.removeItem(at: parts[2])
        try runPython("""
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], 'r') as db:
                x = db['features'][:]
                assert np.isnan(x[7:15]).all() and not np.isnan(x[:7]).any(), 'h5py no longer reads fill values silently'
                assert (db['labels'][7:15] == -1).all()
            """, [url.path])
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            guard case .sourceUnusable(_, let source, let reason) = error as? FeatureStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(source.hasSuffix("parts/part-2.h5"), source)
            XCTAssertEqual(reason, "does not exist")
        }
        // A part that vanishes after the store was opened reads as fill values: refused too.
        _ = try writeParts(in: folder)
        let reader = try FeatureStoreReader(url: url)
        try FileManager.default.removeItem(at: parts[3])
        XCTAssertThrowsError(try reader.readRows(0..<23)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .fillValuesRead(path: url.path, dataset: "features", rows: 8))
        }
    }

    func testAShortOrForeignPartIsRefused() throws {
        let folder = try scratchDirectory(self)
        let parts = try writeParts(in: folder)
        let url = folder.appendingPathComponent("joined.h5")
        try FeatureStoreJoin.join(parts, into: url, attributes: sampleAttributes(), method: .virtual, overwrite: false)
        // The third part written again with fewer rows: HDF5 would fill the rest.
        _ = try writeParts(in: folder, cuts: [0..<7, 7..<7, 7..<12, 15..<23])
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            guard case .sourceUnusable(_, _, let reason) = error as? FeatureStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("holds 5 rows of 'features', not the 8 mapped"), reason)
        }
        try Data("not HDF5".utf8).write(to: parts[2])
        XCTAssertThrowsError(try FeatureStoreReader(url: url)) { error in
            guard case .sourceUnusable(_, _, let reason) = error as? FeatureStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "is not an HDF5 file")
        }
    }

    func testPartsThatDifferAreNotJoined() throws {
        let folder = try scratchDirectory(self)
        let parts = try writeParts(in: folder)
        let wide = folder.appendingPathComponent("wide.h5")
        let writer = try FeatureStoreWriter(creating: wide, dimension: 6, labelNames: sampleLabelNames)
        try writer.append(features: [Float](repeating: 1, count: 6), label: 0, path: "a.png")
        try writer.finish()
        let url = folder.appendingPathComponent("joined.h5")
        XCTAssertThrowsError(try FeatureStoreJoin.join(parts + [wide], into: url, attributes: sampleAttributes(),
                                                        method: .virtual, overwrite: false)) { error in
            guard case .sourcesDisagree(_, let reason) = error as? FeatureStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("6 features per row"), reason)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        try FeatureStoreJoin.join(parts, into: url, attributes: sampleAttributes(), method: .virtual, overwrite: false)
        XCTAssertThrowsError(try FeatureStoreJoin.join(parts, into: url, attributes: sampleAttributes(), method: .copy,
                                                        overwrite: false)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .alreadyExists(path: url.path))
        }
    }

    /// With a soft open-file limit below the number of parts, the reader raises it to the hard
    /// limit and every row reads back (HDF5 alone would read fill values past the limit).
    func testALowSoftOpenFileLimitIsRaised() throws {
        var saved = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved), 0)
        let parts = 120
        guard saved.rlim_max >= rlim_t(parts + 200) else { throw XCTSkip("the hard open-file limit is \(saved.rlim_max)") }
        let folder = try scratchDirectory(self)
        let many = SampleRows(rows: parts * 2, dimension: 3, classes: sampleLabelNames.count)
        let urls = try (0..<parts).map { index in
            let url = folder.appendingPathComponent("part-\(index).h5")
            let writer = try FeatureStoreWriter(creating: url, dimension: 3, labelNames: sampleLabelNames)
            let range = index * 2 ..< index * 2 + 2
            try writer.append(features: many.features(range), labels: Array(many.labels[range]), paths: Array(many.paths[range]))
            try writer.finish()
            return url
        }
        let url = folder.appendingPathComponent("joined.h5")
        try FeatureStoreJoin.join(urls, into: url, attributes: FeatureStoreAttributes(), method: .virtual, overwrite: false)
        var low = saved
        low.rlim_cur = 64
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &low), 0)
        defer { _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved) }
        let before = OpenFileLimit.openDescriptors()
        let reader = try FeatureStoreReader(url: url)
        XCTAssertEqual(try reader.readRows(0..<reader.rowCount).features.values.map(\.bitPattern),
                       many.features.values.map(\.bitPattern))
        XCTAssertEqual(try reader.paths(0..<reader.rowCount), many.paths)
        // HDF5 holds each source open once, whichever of the three datasets read it: the audit's count.
        XCTAssertLessThanOrEqual(OpenFileLimit.openDescriptors() - before, parts + 1)
        var now = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &now), 0)
        XCTAssertEqual(now.rlim_cur, saved.rlim_max)
    }
}
