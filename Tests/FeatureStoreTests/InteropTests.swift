import FeatureStore
import Foundation
import SpotcheckTestSupport
import XCTest

/// Other HDF5 tools read our layout: h5py (the cookbook's `db['features'][:]` code) and h5dump.
final class InteropTests: XCTestCase {
    func testH5pyReadsOurStore() throws {
        let python = try testPython()
        let directory = try scratchDirectory(self)
        let url = directory.appendingPathComponent("store.h5")
        let sample = SampleRows(rows: 37, dimension: 6, classes: sampleLabelNames.count)
        try writeStore(sample, to: url, bufferRows: 10)
        let features = directory.appendingPathComponent("features.f32")
        let labels = directory.appendingPathComponent("labels.i64")
        let meta = directory.appendingPathComponent("meta.json")
        try rawBytes(sample.features.values).write(to: features)
        try rawBytes(sample.labels.map { Int64($0) }).write(to: labels)
        try JSONSerialization.data(withJSONObject: ["label_names": sampleLabelNames, "paths": sample.paths])
            .write(to: meta)
        let result = try runProcess(python, ["-c", """
            import json, sys
            import h5py, numpy as np
            path, features, labels, meta = sys.argv[1:]
            expected = json.load(open(meta, encoding='utf-8'))
            with h5py.File(path, 'r') as db:
                x = db['features'][:]
                assert x.dtype == np.float32 and x.shape == (37, 6), (x.dtype, x.shape)
                want = np.fromfile(features, dtype='<f4').reshape(37, 6)
                assert np.array_equal(x.view(np.uint32), want.view(np.uint32)), 'features differ'
                y = db['labels'][:]
                assert y.dtype == np.int64 and np.array_equal(y, np.fromfile(labels, dtype='<i8')), 'labels differ'
                names = [n.decode('utf-8') if isinstance(n, bytes) else n for n in db['label_names']]
                assert names == expected['label_names'], names
                paths = [p.decode('utf-8') for p in db['paths'][:]]
                assert paths == expected['paths'], paths[:3]
                assert db['features'].maxshape == (None, 6) and db['features'].chunks is not None
                assert db.attrs['extractor'] == 'mobilenet_v2' and db.attrs['input_size'] == 224
                assert db.attrs['dataset_fingerprint'] == 'sha256:feedface'
                assert 'spotcheck_durable_rows' not in db.attrs
                assert db['features'].fletcher32 and db['labels'].fletcher32
            print('ok')
            """, url.path, features.path, labels.path, meta.path])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "ok\n")
    }

    func testH5dumpReadsOurLayout() throws {
        let h5dump = "/usr/bin/h5dump"
        guard FileManager.default.isExecutableFile(atPath: h5dump) else {
            throw XCTSkip("h5dump is not installed; scripts/setup installs it (Debian package hdf5-tools)")
        }
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        try writeStore(SampleRows(rows: 37, dimension: 6, classes: 4), to: url)
        let result = try runProcess(h5dump, ["-H", url.path])
        XCTAssertEqual(result.status, 0, result.output)
        let header = result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n")
        for expected in [
            "DATASET \"features\" {\nDATATYPE  H5T_IEEE_F32LE\nDATASPACE  SIMPLE { ( 37, 6 ) / ( H5S_UNLIMITED, 6 ) }",
            "DATASET \"labels\" {\nDATATYPE  H5T_STD_I64LE\nDATASPACE  SIMPLE { ( 37 ) / ( H5S_UNLIMITED ) }",
            "DATASET \"label_names\" {\nDATATYPE  H5T_STRING {\nSTRSIZE H5T_VARIABLE;\nSTRPAD H5T_STR_NULLTERM;\nCSET H5T_CSET_UTF8;",
            "DATASET \"paths\" {\nDATATYPE  H5T_STRING {\nSTRSIZE H5T_VARIABLE;",
            "ATTRIBUTE \"input_size\" {\nDATATYPE  H5T_STD_I64LE",
            "ATTRIBUTE \"extractor\" {",
        ] {
            XCTAssertTrue(header.contains(expected), "h5dump -H lacks:\n\(expected)\n--- got:\n\(result.output)")
        }
    }
}
