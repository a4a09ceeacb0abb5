import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// End-to-end runs of `spotcheck inspect` and `spotcheck export-csv` on stores written through
/// the FeatureStore library.
final class FeatureStoreCommandTests: XCTestCase {
    private let names = ["daisy", "tulipe 🌷", "向日葵"]
    private let classSizes = [23, 31, 6]
    private let dimension = 7

    /// A store whose features are random float32 bit patterns from the whole finite range
    /// (subnormals, negative zero, huge and tiny magnitudes), so any printing that does not
    /// round-trip shows up.
    private func makeStore(in directory: URL) throws -> (url: URL, features: [[Float]], labels: [Int]) {
        var generator = SeededGenerator(seed: 3)
        let labels = classSizes.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
            .shuffled(using: &generator)
        var features = labels.map { _ in
            (0..<dimension).map { _ -> Float in
                while true {
                    let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))
                    if value.isFinite { return value }
                }
            }
        }
        features[0][0] = -0.0
        features[1][1] = .leastNonzeroMagnitude
        features[2][2] = 0.1
        var attributes = FeatureStoreAttributes()
        attributes.extractor = "squeezenet1_1"
        attributes.inputSize = 224
        let url = directory.appendingPathComponent("squeezenet.h5")
        let writer = try FeatureStoreWriter(creating: url, dimension: dimension, labelNames: names,
                                            attributes: attributes, bufferRows: 16)
        try writer.append(features: Matrix(rowArrays: features), labels: labels,
                          paths: labels.indices.map { "img_\($0).png" })
        try writer.finish()
        return (url, features, labels)
    }

    /// Parses one CSV file: its header and its rows as (label, float bit patterns).
    private func parseCSV(_ path: String) throws -> (header: String, rows: [(label: Int, bits: [UInt32])]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let header = String(try XCTUnwrap(lines.first))
        let rows = try lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let label = try XCTUnwrap(Int(fields[0]))
            let bits = try fields.dropFirst().map { try XCTUnwrap(Float($0), "unparsable \($0)").bitPattern }
            return (label, bits)
        }
        return (header, rows)
    }

    func testExportCSVIsBitExactStratifiedSeededAndDoesNotClobber() throws {
        let spotcheck = try spotcheckExecutable()
        let directory = try scratchDirectory(self)
        let store = try makeStore(in: directory)
        let train = directory.appendingPathComponent("train.csv").path
        let test = directory.appendingPathComponent("test.csv").path
        let result = try runTool(spotcheck, ["export-csv", "--features", store.url.path, "--train", train, "--test", test,
                                         "--seed", "7"])
        XCTAssertEqual(result.status, 0, result.stderr)

        let trainCSV = try parseCSV(train), testCSV = try parseCSV(test)
        let header = (["class"] + (0..<dimension).map { "feature_\($0)" }).joined(separator: ",")
        XCTAssertEqual(trainCSV.header, header)
        XCTAssertEqual(testCSV.header, header)

        // Every row appears exactly once, bit for bit, with its label, in a seeded random order
        // (never class after class, which would inflate a learner's progressive accuracy).
        var rowOf = [[UInt32]: Int]()
        for (row, values) in store.features.enumerated() { rowOf[values.map(\.bitPattern)] = row }
        XCTAssertEqual(rowOf.count, store.features.count, "sample rows must be distinct")
        var seen = Set<Int>()
        var testRows = [Int]()
        for (csv, isTest) in [(trainCSV, false), (testCSV, true)] {
            let rows = try csv.rows.map { try XCTUnwrap(rowOf[$0.bits], "a CSV row matches no store row bit for bit") }
            XCTAssertNotEqual(rows, rows.sorted(), "rows are shuffled")
            XCTAssertEqual(csv.rows.map(\.label), rows.map { store.labels[$0] })
            seen.formUnion(rows)
            if isTest { testRows = rows }
        }
        XCTAssertEqual(seen.count, store.features.count)
        XCTAssertEqual(trainCSV.rows.count + testCSV.rows.count, store.features.count)

        // Stratified: each class holds out round(20 %) of its rows.
        for (label, size) in classSizes.enumerated() {
            let held = testRows.filter { store.labels[$0] == label }.count
            XCTAssertEqual(held, Int((Double(size) * 0.2).rounded()), "class \(label)")
        }

        // Seeded: the same seed gives the same files, another seed another split.
        let again = try runTool(spotcheck, ["export-csv", "--features", store.url.path, "--train", train + ".2",
                                        "--test", test + ".2", "--seed", "7"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: test + ".2")), try Data(contentsOf: URL(fileURLWithPath: test)))
        let other = try runTool(spotcheck, ["export-csv", "--features", store.url.path, "--train", train + ".3",
                                        "--test", test + ".3", "--seed", "8"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: test + ".3")), try Data(contentsOf: URL(fileURLWithPath: test)))

        // Existing outputs are not clobbered without --overwrite, and no temporary file is left.
        let before = try Data(contentsOf: URL(fileURLWithPath: train))
        let refused = try runTool(spotcheck, ["export-csv", "--features", store.url.path, "--train", train, "--test",
                                          test + ".4", "--seed", "9"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("already exists"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: train)), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".partial") }
        XCTAssertEqual(leftovers, [])

        // numpy parses the CSV back to the identical float32 values.
        guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"], !python.isEmpty else {
            throw XCTSkip("SPOTCHECK_TEST_PYTHON is unset; the numpy check needs scripts/test's venv")
        }
        let expected = directory.appendingPathComponent("test.f32")
        try testRows.flatMap { store.features[$0] }.withUnsafeBytes { Data($0) }.write(to: expected)
        let check = try runTool(python, ["-c", """
            import csv, sys
            import numpy as np
            path, expected = sys.argv[1:]
            want = np.fromfile(expected, dtype='<f4').view(np.uint32)
            table = np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.float32)[:, 1:]
            assert np.array_equal(table.ravel().view(np.uint32), want), 'np.loadtxt float32 differs'
            with open(path, newline='') as f:
                rows = list(csv.reader(f))[1:]
            parsed = np.array([np.float32(float(v)) for row in rows for v in row[1:]], dtype=np.float32)
            assert np.array_equal(parsed.view(np.uint32), want), 'float() then float32 differs'
            print('ok')
            """, test, expected.path])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testInspectPrintsShapeClassesCountsAndAttributes() throws {
        let spotcheck = try spotcheckExecutable()
        let store = try makeStore(in: try scratchDirectory(self))
        let result = try runTool(spotcheck, ["inspect", store.url.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("features:   60 × 7 float32"), result.stdout)
        for (label, name) in names.enumerated() {
            let line = result.stdout.split(separator: "\n").first { $0.contains(name) }
            XCTAssertEqual(line?.split(separator: " ").last.map(String.init), String(classSizes[label]), result.stdout)
        }
        XCTAssertTrue(result.stdout.contains("extractor = squeezenet1_1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("input_size = 224"), result.stdout)
    }

    func testInspectExplainsANonHDF5File() throws {
        let spotcheck = try spotcheckExecutable()
        let url = try scratchDirectory(self).appendingPathComponent("features.h5")
        try Data("class,feature_0\n".utf8).write(to: url)
        let result = try runTool(spotcheck, ["inspect", url.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("is not an HDF5 file"), result.stderr)
    }
}
