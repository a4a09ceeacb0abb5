import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// Copies of one photo stay on one side of the split: a run on an all-angles orientation set.
final class RunGroupsTests: XCTestCase {
    /// The rotated demo slice, one source named with a comma (so sources.csv quotes it).
    private func rotatedSlice(_ scratch: URL) throws -> URL {
        let photos = try makeDemoSlice(in: scratch, perClass: 5)
        try FileManager.default.removeItem(at: photos.appendingPathComponent("fruit/broken.jpg"))
        let bird = try FileManager.default.contentsOfDirectory(atPath: photos.appendingPathComponent("birds").path).sorted()[0]
        try FileManager.default.moveItem(at: photos.appendingPathComponent("birds/\(bird)"),
                                         to: photos.appendingPathComponent("birds/with, comma.png"))
        let rotated = scratch.appendingPathComponent("rotated")
        XCTAssertEqual(try RotatedDataset(source: photos, output: rotated, allAngles: true).write().copies, 60)
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
        let scratch = try scratchDirectory(self)
        let rotated = try rotatedSlice(scratch)
        let sourceOf = try sources(rotated)
        XCTAssertEqual(sourceOf.count, 60)
        XCTAssertTrue(sourceOf.values.contains("birds/with, comma.png"))
        var configuration = try SpotcheckConfiguration.images(rotated, extractors: ["squeezenet1_1"],
                                                              classifiers: ["NearestCentroid", "RidgeClf-1"],
                                                              out: scratch.appendingPathComponent("reports"), folds: 3)
        configuration.recipes = [FeatureRecipe(backbone: "squeezenet1_1", layout: .grid(2))]
        let observer = RecordingObserver()
        let result = try SpotcheckRun(configuration, observer: observer).execute()
        XCTAssertTrue(observer.messages.contains { $0.contains("15 source photos from sources.csv") }, "\(observer.messages)")
        let report = result.report
        XCTAssertEqual(report.split.groupedBy, rotated.appendingPathComponent("sources.csv").path)
        XCTAssertEqual(report.split.groups, 15)
        XCTAssertEqual(report.split.testRows, 12, "3 of 15 photos (one per class), four copies each")
        XCTAssertTrue(report.dataset.skipped.isEmpty, "sources.csv is read, not skipped: \(report.dataset.skipped)")
        XCTAssertTrue(report.results.allSatisfy { $0.cvMean != nil }, "grouped 3-fold CV ran: \(report.results)")

        // Every test photo's four copies, and nothing else of it, are in the test set.
        let testFiles = try XCTUnwrap(report.best?.testPredictions).map(\.path)
        let testSources = Dictionary(grouping: testFiles, by: { sourceOf[$0] ?? "?" })
        XCTAssertEqual(testSources.count, 3)
        XCTAssertTrue(testSources.values.allSatisfy { $0.count == 4 }, "\(testSources)")
        XCTAssertTrue(ReportHTML.render(report).contains("copies of one source photo kept together"), "the HTML report says so")
    }

    func testAnUnreadableGroupsFileIsRefusedBeforeAnyWork() throws {
        let scratch = try scratchDirectory(self)
        let photos = try makeDemoSlice(in: scratch, perClass: 2)
        let groups = scratch.appendingPathComponent("groups.csv")
        let out = scratch.appendingPathComponent("reports")
        var configuration = try SpotcheckConfiguration.images(photos, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"], out: out)
        configuration.groupsFile = groups
        try Data("path,photo\na.png,b.png\n".utf8).write(to: groups)
        XCTAssertThrowsError(try SpotcheckRun(configuration)) { error in
            XCTAssertTrue("\(error)".contains("no file and source columns"), "\(error)")
        }
        try Data("file,source\n\"a.png,b.png\n".utf8).write(to: groups)
        XCTAssertThrowsError(try SpotcheckRun(configuration)) { error in
            XCTAssertTrue("\(error)".contains("line 2 ends inside a quoted field"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("features").path))
    }
}
