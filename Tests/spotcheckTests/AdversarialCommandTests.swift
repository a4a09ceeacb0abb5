import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// Outputs that are inputs, unwritable targets, empty inputs and images that all fail: each ends
/// in a clear message and a non-zero exit before any work, and the user's files are unchanged.
final class AdversarialCommandTests: XCTestCase {
    private func store(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("store.h5")
        let writer = try FeatureStoreWriter(creating: url, dimension: 3, labelNames: ["a", "b"], bufferRows: 8)
        var generator = SeededGenerator(seed: 1)
        let labels = (0..<20).map { $0 % 2 }
        let rows = labels.map { label in (0..<3).map { _ in Float(label) + Float.random(in: 0...0.5, using: &generator) } }
        try writer.append(features: Matrix(rowArrays: rows), labels: labels, paths: labels.indices.map { "img_\($0).png" })
        try writer.finish()
        return url
    }

    private func assertRefused(_ arguments: [String], saying words: String, keeps files: [URL],
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try files.map { try Data(contentsOf: $0) }
        let result = try runTool(try spotcheckExecutable(), arguments)
        XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(words), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(try files.map { try Data(contentsOf: $0) }, before, "the user's files are untouched", file: file, line: line)
    }

    func testOutputsThatAreInputsAreRefusedBeforeAnyWork() throws {
        let scratch = try scratchDirectory(self)
        let store = try store(in: scratch)
        let train = scratch.appendingPathComponent("train.csv"), test = scratch.appendingPathComponent("test.csv")
        XCTAssertEqual(try runTool(try spotcheckExecutable(), ["export-csv", "--features", store.path, "--train", train.path,
                                                               "--test", test.path]).status, 0)
        let alias = scratch.appendingPathComponent("alias.csv")
        try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: train)

        try assertRefused(["export-csv", "--features", store.path, "--train", store.path, "--test", test.path, "--overwrite"],
                          saying: "writing it would destroy the input", keeps: [store, test])
        try assertRefused(["export-csv", "--features", store.path, "--train", test.path, "--test", test.path, "--overwrite"],
                          saying: "are the same file", keeps: [store, test])
        try assertRefused(["incremental", "--csv", train.path, "--save", alias.path],
                          saying: "writing it would destroy the input", keeps: [train])
        try assertRefused(["incremental", "--csv", train.path, "--test", test.path, "--save", test.path],
                          saying: "writing it would destroy the input", keeps: [train, test])
        try assertRefused(["train", "--features", store.path, "--classifier", "NearestCentroid", "--save", store.path, "--overwrite"],
                          saying: "writing it would destroy the input", keeps: [store])
        try assertRefused(["train", "--features", store.path, "--classifier", "NearestCentroid",
                           "--save", scratch.appendingPathComponent("no/such/folder/model.json").path],
                          saying: "No such file", keeps: [store])
        let photos = scratch.appendingPathComponent("photos/birds")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try demoFolder().appendingPathComponent("birds").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: try demoFolder().appendingPathComponent("birds").path).sorted()[0]),
                                         to: photos.appendingPathComponent("one.png"))
        try assertRefused(["rotations", "--images", photos.deletingLastPathComponent().path, "--out", photos.appendingPathComponent("out").path],
                          saying: "overlaps the source folder", keeps: [photos.appendingPathComponent("one.png")])
    }

    func testAHeaderOnlyCSVLearnsNothingAndSavesNothing() throws {
        let scratch = try scratchDirectory(self)
        let empty = scratch.appendingPathComponent("empty.csv"), model = scratch.appendingPathComponent("model.json")
        try Data("class,feature_0,feature_1\n".utf8).write(to: empty)
        try assertRefused(["incremental", "--csv", empty.path, "--save", model.path], saying: "has no data rows", keeps: [empty])
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.path))
    }

    /// `predict` fails when no image could be labelled, and its CSV and JSON survive names with
    /// commas, quotes and tabs (read back by Python's csv and json modules).
    func testPredictQuotesItsOutputAndFailsWhenEveryImageFails() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 3)
        let out = scratch.appendingPathComponent("reports")
        let tool = try spotcheckExecutable()
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1",
                                     "--classifiers", "NearestCentroid", "--test-fraction", "0.34", "--folds", "0"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let model = out.appendingPathComponent("best_model.json").path
        let odd = scratch.appendingPathComponent("odd, \"name\"\twith tab.png")
        let bird = try FileManager.default.contentsOfDirectory(atPath: dataset.appendingPathComponent("birds").path).sorted()[0]
        try FileManager.default.copyItem(at: dataset.appendingPathComponent("birds/\(bird)"), to: odd)

        let csv = try runTool(tool, ["predict", "--model", model, "--format", "csv", odd.path])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let json = try runTool(tool, ["predict", "--model", model, "--format", "json", odd.path])
        XCTAssertEqual(json.status, 0, json.stderr)
        let check = try runTool(try testPython(), ["-c", """
            import csv, io, json, sys
            rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
            records = json.loads(sys.argv[2])
            assert [r["path"] for r in rows] == [sys.argv[3]], rows
            assert [r["path"] for r in records] == [sys.argv[3]], records
            assert rows[0]["class"] == records[0]["class"] == "birds", (rows, records)
            print("ok")
            """, csv.stdout, json.stdout, odd.path])
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)

        let broken = dataset.appendingPathComponent("fruit/broken.jpg")
        let failed = try runTool(tool, ["predict", "--model", model, broken.path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("none of the 1 images could be read"), failed.stderr)
    }
}
