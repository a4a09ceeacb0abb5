import FeatureStore
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// What the writer stores, the reader gives back exactly.
final class RoundTripTests: XCTestCase {
    func testValuesLabelsNamesPathsAndAttributesRoundTrip() throws {
        let url = try scratchDirectory(self).appendingPathComponent("mobilenet_v2.h5")
        let sample = SampleRows(rows: 53, dimension: 9, classes: sampleLabelNames.count)
        // A buffer of 7 rows forces several blocks and a short last one.
        let writer = try FeatureStoreWriter(creating: url, dimension: 9, labelNames: sampleLabelNames,
                                            attributes: sampleAttributes(), bufferRows: 7)
        try writer.append(features: sample.features(0..<20), labels: Array(sample.labels[0..<20]),
                          paths: Array(sample.paths[0..<20]))
        for row in 20..<53 {
            try writer.append(features: sample.features.row(row), label: sample.labels[row], path: sample.paths[row])
        }
        XCTAssertEqual(writer.rowCount, 53)
        XCTAssertEqual(writer.durableRowCount, 49)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "only finish() puts the store in place")
        XCTAssertEqual(try writer.finish(), url)
        XCTAssertFalse(FileManager.default.fileExists(atPath: FeatureStoreWriter.partialURL(for: url).path))

        let reader = try FeatureStoreReader(url: url)
        XCTAssertEqual(reader.rowCount, 53)
        XCTAssertEqual(reader.dimension, 9)
        XCTAssertFalse(reader.storesDoubles)
        XCTAssertTrue(reader.hasPaths)
        XCTAssertEqual(reader.labelNames, sampleLabelNames)
        XCTAssertEqual(reader.attributes, sampleAttributes())
        XCTAssertEqual(reader.attributes.inputSize, 224)
        let all = try reader.readRows(0..<53)
        XCTAssertEqual(all.features.values.map(\.bitPattern), sample.features.values.map(\.bitPattern))
        XCTAssertEqual(all.labels, sample.labels)
        XCTAssertEqual(try reader.labels(), sample.labels)
        XCTAssertEqual(try reader.paths(0..<53), sample.paths)
        let middle = try reader.readRows(17..<31)
        XCTAssertEqual(middle.features, sample.features(17..<31))
        XCTAssertEqual(middle.labels, Array(sample.labels[17..<31]))
        XCTAssertEqual(try reader.paths(50..<53), Array(sample.paths[50..<53]))
    }

    func testClassCountsSummaryAndBatches() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let sample = SampleRows(rows: 41, dimension: 3, classes: sampleLabelNames.count)
        try writeStore(sample, to: url)
        let reader = try FeatureStoreReader(url: url)
        let expected = sampleLabelNames.indices.map { label in sample.labels.filter { $0 == label }.count }
        XCTAssertEqual(try reader.classCounts(), expected)
        let summary = try reader.summary()
        XCTAssertEqual(summary.classes.map(\.name), sampleLabelNames)
        XCTAssertEqual(summary.classes.map(\.count), expected)
        XCTAssertTrue(summary.description.contains("41 × 3 float32"), summary.description)
        XCTAssertTrue(summary.description.contains("extractor = mobilenet_v2"), summary.description)

        var seen = [Range<Int>](), gathered = Matrix(rows: 0, columns: 3), labels = [Int]()
        try reader.forEachBatch(size: 10) { batch in
            seen.append(batch.rows)
            gathered.appendRows(of: batch.features)
            labels += batch.labels
        }
        XCTAssertEqual(seen, [0..<10, 10..<20, 20..<30, 30..<40, 40..<41])
        XCTAssertEqual(gathered, sample.features)
        XCTAssertEqual(labels, sample.labels)
    }

    func testEmptyStoreRoundTrips() throws {
        let url = try scratchDirectory(self).appendingPathComponent("empty.h5")
        try FeatureStoreWriter(creating: url, dimension: 4, labelNames: ["a", "b"]).finish()
        let reader = try FeatureStoreReader(url: url)
        XCTAssertEqual(reader.rowCount, 0)
        XCTAssertEqual(reader.dimension, 4)
        XCTAssertEqual(try reader.classCounts(), [0, 0])
        XCTAssertEqual(reader.attributes, FeatureStoreAttributes())
    }

    func testWriterRejectsWrongWidthAndUnknownLabel() throws {
        let url = try scratchDirectory(self).appendingPathComponent("store.h5")
        let writer = try FeatureStoreWriter(creating: url, dimension: 3, labelNames: ["a", "b"])
        XCTAssertThrowsError(try writer.append(features: [1, 2], label: 0, path: "x")) { error in
            guard case FeatureStoreError.invalidArgument = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try writer.append(features: [1, 2, 3], label: 2, path: "x")) { error in
            guard case FeatureStoreError.invalidArgument = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(writer.rowCount, 0)
    }

    func testReadsTheCookbookLayoutWrittenByH5py() throws {
        let fixtures = try fixtureURL("", in: .module)
        struct Expected: Decodable { let features: [[Double]]; let labels: [Int]; let label_names: [String] }
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("cookbook_float64.json")))
        let reader = try FeatureStoreReader(url: fixtures.appendingPathComponent("cookbook_float64.h5"))
        XCTAssertTrue(reader.storesDoubles)
        XCTAssertFalse(reader.hasPaths)
        XCTAssertEqual(reader.attributes, FeatureStoreAttributes())
        XCTAssertEqual(reader.labelNames, expected.label_names)
        XCTAssertEqual(reader.rowCount, expected.features.count)
        XCTAssertEqual(reader.dimension, expected.features[0].count)
        let rows = try reader.readRows(0..<reader.rowCount)
        XCTAssertEqual(rows.features.values, expected.features.flatMap { $0.map { Float($0) } })
        XCTAssertEqual(rows.labels, expected.labels)
        XCTAssertThrowsError(try reader.paths(0..<1)) { error in
            XCTAssertEqual(error as? FeatureStoreError, .missingDataset(path: reader.url.path, name: "paths"))
        }
    }
}
