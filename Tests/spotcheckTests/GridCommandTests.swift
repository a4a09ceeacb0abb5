import ClassicML
import Foundation
import SpotcheckTestSupport
import XCTest

/// Grids by name, hyper-parameters on the command line and `run --list`, end to end.
final class GridCommandTests: XCTestCase {
    /// The 40 classifier names of the cookbook's own `final_report.json`, per feature file.
    private static let cookbookNames = [
        "AdaBoostClf-100", "BaggingClf-100", "DecisionTreeClf", "ExtraTreeClf", "ExtraTreesClf-100",
        "GradientBoostingClf-100",
    ] + (3...24).map { "KNeighborsClf-\($0)" } + [
        "LinearSVC-0.001", "LinearSVC-0.01", "LinearSVC-1", "LinearSVC-10", "LogisticRegression", "PAClf",
        "RandomForestClf-100", "RidgeClf-0.001", "RidgeClf-0.01", "RidgeClf-1", "RidgeClf-10", "SGDClf",
    ]

    /// `--grid cookbook` on a cookbook h5py file reports exactly the cookbook's 40 names for it.
    func testTheCookbookGridReportsTheCookbooksFortyNames() throws {
        XCTAssertEqual(Self.cookbookNames.count, 40)
        let scratch = try scratchDirectory(self)
        let store = scratch.appendingPathComponent("features.h5")
        let made = try runTool(try testPython(), ["-c", """
            import sys, h5py, numpy as np
            rng = np.random.default_rng(3)
            labels = np.repeat(np.arange(3), 40)
            centres = rng.normal(0, 2, (3, 6))
            features = centres[labels] + rng.normal(0, 1, (120, 6))
            with h5py.File(sys.argv[1], "w") as db:
                db["features"] = features.astype("float32")
                db["labels"] = labels
                db["label_names"] = np.array([b"a", b"b", b"c"])
            """, store.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(try spotcheckExecutable(), ["run", "--features", store.path, "--grid", "cookbook",
                                                         "--folds", "2", "--quiet", "--out", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("final_report.json"))) as? [String: Any])
        // The cookbook's classifier → accuracy object, beside which spotcheck names the extractor.
        var perFile = try XCTUnwrap(report[store.path] as? [String: Any], "\(report.keys)")
        XCTAssertNotNil(perFile.removeValue(forKey: "extractor"))
        XCTAssertEqual(perFile.keys.sorted(), Self.cookbookNames.sorted())
        XCTAssertTrue(perFile.values.allSatisfy { ($0 as? Double).map { (0...1).contains($0) } ?? false })
    }

    /// Hyper-parameters given as `NAME:param=value` reach the classifier and its name; bad ones
    /// and a grid together with a classifier list are refused before any work.
    func testParametersOnTheCommandLine() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let both = try runTool(tool, ["run", "--features", scratch.appendingPathComponent("x.h5").path,
                                      "--grid", "cookbook", "--classifiers", "SVC"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("--grid"), both.stderr)
        let bad = try runTool(tool, ["run", "--features", scratch.appendingPathComponent("x.h5").path,
                                     "--classifiers", "SVC:C=-1"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("C"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("does not exist"), "arguments are checked before the files: \(bad.stderr)")
        let spec = try ClassifierSpec(parsing: "SVC:C=10,gamma=0.001")
        XCTAssertEqual(try ClassifierSpec(parsing: spec.description), spec, "the name round-trips")
    }

    /// `run --list` names every family with its parameters, and the three grids.
    func testListNamesEveryFamilyAndGrid() throws {
        let list = try runTool(try spotcheckExecutable(), ["run", "--list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        for family in ClassifierFamily.allCases {
            XCTAssertTrue(list.stdout.contains(family.name), "\(family.name) missing from:\n\(list.stdout)")
        }
        for grid in ["default", "cookbook", "full"] {
            XCTAssertTrue(list.stdout.contains(grid), "grid \(grid) missing")
        }
    }
}
