import Foundation
import XCTest

/// Copies of one photo stay on one side of the split: `run` on a `rotations --all-angles` set.
final class RunGroupsTests: XCTestCase {
    /// The rotated demo slice, one source named with a comma (so sources.csv quotes it).
    private func rotatedSlice(_ scratch: URL) throws -> URL {
        let photos = try makeDemoSlice(in: scratch, perClass: 5)
        try FileManager.default.removeItem(at: photos.appendingPathComponent("fruit/broken.jpg"))
        let bird = try FileManager.default.contentsOfDirectory(atPath: photos.appendingPathComponent("birds").path).sorted()[0]
        try FileManager.default.moveItem(at: photos.appendingPathComponent("birds/\(bird)"),
                                         to: photos.appendingPathComponent("birds/with, comma.png"))
        let rotated = scratch.appendingPathComponent("rotated")
        let made = try runTool(try spotcheckExecutable(), ["rotations", "--images", photos.path, "--out", rotated.path, "--all-angles"])
        XCTAssertEqual(made.status, 0, made.stderr)
        return rotated
    }

    /// The source of every copy, read from sources.csv by Python's csv module.
    private func sources(_ rotated: URL) throws -> [String: String] {
        let read = try runTool(try testPython(), ["-c", """
            import csv, json, sys
            print(json.dumps({row["file"]: row["source"] for row in csv.DictReader(open(sys.argv[1], newline=""))}))
            """, rotated.appendingPathComponent("sources.csv").path])
        XCTAssertEqual(read.status, 0, read.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: String])
    }

    func testAllCopiesOfATestPhotoAreInTheTestSet() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let rotated = try rotatedSlice(scratch)
        let sourceOf = try sources(rotated)
        XCTAssertEqual(sourceOf.count, 60)
        XCTAssertTrue(sourceOf.values.contains("birds/with, comma.png"))
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(tool, ["run", "--images", rotated.path, "--out", out.path, "--extractors", "squeezenet1_1",
                                     "--layouts", "grid", "--classifiers", "NearestCentroid,RidgeClf-1", "--folds", "3"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("15 source photos from sources.csv"), run.stderr)
        let report = try runReport(out)
        let split = try XCTUnwrap(report["split"] as? [String: Any])
        XCTAssertEqual(split["grouped_by"] as? String, rotated.appendingPathComponent("sources.csv").path)
        XCTAssertEqual(split["groups"] as? Int, 15)
        XCTAssertEqual(split["test_rows"] as? Int, 12, "3 of 15 photos (one per class), four copies each")
        let skipped = try XCTUnwrap((report["dataset"] as? [String: Any])?["skipped"] as? [[String: Any]])
        XCTAssertTrue(skipped.isEmpty, "sources.csv is read, not skipped: \(skipped)")
        let results = try XCTUnwrap(report["results"] as? [[String: Any]])
        XCTAssertTrue(results.allSatisfy { $0["cv_mean"] is Double }, "grouped 3-fold CV ran: \(results)")

        // Every test photo's four copies, and nothing else of it, are in the test set.
        let best = try XCTUnwrap(report["best"] as? [String: Any])
        let testFiles = try XCTUnwrap(best["test_predictions"] as? [[String: String]]).compactMap { $0["path"] }
        let testSources = Dictionary(grouping: testFiles, by: { sourceOf[$0] ?? "?" })
        XCTAssertEqual(testSources.count, 3)
        XCTAssertTrue(testSources.values.allSatisfy { $0.count == 4 }, "\(testSources)")
        let html = try String(contentsOf: out.appendingPathComponent("final_report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("copies of one source photo kept together"), "the HTML report says so")
    }

    func testUnreadableGroupsFileIsRefusedBeforeAnyWork() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let photos = try makeDemoSlice(in: scratch, perClass: 2)
        let groups = scratch.appendingPathComponent("groups.csv")
        try Data("path,photo\na.png,b.png\n".utf8).write(to: groups)
        let out = scratch.appendingPathComponent("reports")
        let refused = try runTool(tool, ["run", "--images", photos.path, "--out", out.path, "--groups", groups.path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("no file and source columns"), refused.stderr)
        try Data("file,source\n\"a.png,b.png\n".utf8).write(to: groups)
        let open = try runTool(tool, ["run", "--images", photos.path, "--out", out.path, "--groups", groups.path])
        XCTAssertTrue(open.stderr.contains("line 2 ends inside a quoted field"), open.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("features").path))
    }
}
