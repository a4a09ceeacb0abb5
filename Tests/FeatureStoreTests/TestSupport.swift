import FeatureStore
import Foundation
import LinearAlgebra
import XCTest

/// Seeded rows with awkward values (tiny, huge, negative zero, subnormal), labels cycling
/// through `classes`, and non-ASCII paths.
struct SampleRows {
    let features: Matrix
    let labels: [Int]
    let paths: [String]

    init(rows: Int, dimension: Int, classes: Int, seed: UInt64 = 42) {
        var generator = SeededGenerator(seed: seed)
        var values = (0..<rows * dimension).map { _ in
            Float.random(in: -1...1, using: &generator) * Float(sign: .plus, exponent: Int.random(in: -30...30, using: &generator), significand: 1)
        }
        let specials: [Float] = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, Float(bitPattern: 0x0001_2345), 0.1]
        for (i, special) in specials.enumerated() where i < values.count { values[i] = special }
        features = Matrix(rows: rows, columns: dimension, values: values)
        labels = (0..<rows).map { ($0 * 7 + 3) % classes }
        paths = (0..<rows).map { "classe_\(($0 * 7 + 3) % classes)/photo_é_猫_\($0).png" }
    }

    /// Rows `range` as a matrix.
    func features(_ range: Range<Int>) -> Matrix { features.rows(at: Array(range)) }
}

/// Class names with non-ASCII characters, sorted as the cookbook sorts them.
let sampleLabelNames = ["daisy", "fleur-de-lys é", "tulipe 🌷", "向日葵"]

/// The attributes spotcheck writes, plus an open-set one.
func sampleAttributes() -> FeatureStoreAttributes {
    var attributes = FeatureStoreAttributes()
    attributes.extractor = "mobilenet_v2"
    attributes.weightsSHA256 = String(repeating: "ab", count: 32)
    attributes.inputSize = 224
    attributes.preprocessing = "resize 256, centre crop 224, ImageNet mean/std"
    attributes.layout = "global average pool"
    attributes.toolVersion = "0.1.0"
    attributes.createdAt = "2026-11-23T09:00:00Z"
    attributes["dataset_fingerprint"] = .string("sha256:feedface")
    attributes["images_skipped"] = .integer(-3)
    return attributes
}

/// Writes `sample` completely to `url` in one go.
func writeStore(_ sample: SampleRows, to url: URL, bufferRows: Int = 1000) throws {
    let writer = try FeatureStoreWriter(creating: url, dimension: sample.features.columns, labelNames: sampleLabelNames,
                                        attributes: sampleAttributes(), bufferRows: bufferRows)
    try writer.append(features: sample.features, labels: sample.labels, paths: sample.paths)
    try writer.finish()
}

/// The Python of the test venv (h5py, numpy), or a skip when `SPOTCHECK_TEST_PYTHON` is unset.
func testPython() throws -> String {
    guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"], !python.isEmpty else {
        throw XCTSkip("SPOTCHECK_TEST_PYTHON is unset; run scripts/test (it sets it to the test venv's python)")
    }
    return python
}

/// Runs `executable` with `arguments`; returns its exit status and its stdout + stderr.
func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs a Python script with the test venv; fails the test with its output when it fails.
func runPython(_ script: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    let result = try runProcess(try testPython(), ["-c", script] + arguments)
    XCTAssertEqual(result.status, 0, "python failed:\n\(result.output)", file: file, line: line)
}

/// The bytes of `values` (little-endian on every machine spotcheck supports).
func rawBytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
