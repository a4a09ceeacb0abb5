import Foundation
import SpotcheckTestSupport
import XCTest

/// `spotcheck run` and `spotcheck predict` end to end on a slice of the real demo photos.
final class RunCommandTests: XCTestCase {
    private let classifiers = "LogisticRegression,KNeighborsClf-3,NearestCentroid,RidgeClf-1"

    /// The main job end to end: the table and the winner on stdout, progress and skipped files on
    /// stderr, and `predict` labelling the test images as the report says the winner did.
    func testRunPrintsTheTableAndPredictReproducesTheWinner() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch)
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1,mobilenet_v2",
                                     "--classifiers", classifiers, "--test-fraction", "0.34", "--batch", "4"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").filter { $0.contains("broken.jpg") }.count, 1,
                       "the corrupt file is reported once: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("[2/2]"), "phases are counted: \(run.stderr)")
        let json = try runReport(out)
        let bestModel = try XCTUnwrap(json["best_model"] as? String)
        XCTAssertTrue(run.stdout.contains("Best: ") && run.stdout.contains(bestModel), run.stdout)
        // One table row per pair, ranked, the winner starred, and the verdict in words.
        let rows = run.stdout.split(separator: "\n").filter {
            $0.hasPrefix("  ") && ($0.contains(" squeezenet1_1 ") || $0.contains(" mobilenet_v2 "))
        }
        XCTAssertEqual(rows.count, 8, run.stdout)
        XCTAssertTrue(rows.first?.hasPrefix("  ★ ") == true && rows.first?.contains(bestModel) == true, run.stdout)
        XCTAssertTrue(run.stdout.contains("Chosen: ranked by 4-fold stratified cross-validation"), "four training photos in the smallest class: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("statistically tied with the best"), run.stdout)

        let best = try XCTUnwrap(json["best"] as? [String: Any])
        let predictions = try XCTUnwrap(best["test_predictions"] as? [[String: String]])
        let paths = predictions.compactMap { $0["path"] }.map { dataset.appendingPathComponent($0).path }
        let predicted = try runTool(tool, ["predict", "--model", out.appendingPathComponent("best_model.json").path] + paths)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let labels = predicted.stdout.split(separator: "\n").map { $0.split(separator: "\t")[1] }.map(String.init)
        XCTAssertEqual(labels, predictions.compactMap { $0["predicted"] })
    }

    /// kill -9 during extraction, then the same command: it resumes and the report equals an
    /// uninterrupted run's.
    func testResumeAfterKillEqualsUninterruptedRun() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        // Every photo of three classes, one image per batch: with the oneDNN engine a smaller
        // extraction can finish before the kill lands.
        let dataset = try makeDemoSlice(in: scratch, perClass: 40)
        func arguments(_ out: URL) -> [String] {
            ["run", "--images", dataset.path, "--out", out.path, "--extractors", "mobilenet_v2",
             "--classifiers", classifiers, "--batch", "1", "--threads", "1"]
        }
        let reference = scratch.appendingPathComponent("reference")
        XCTAssertEqual(try runTool(tool, arguments(reference)).status, 0)

        let killed = scratch.appendingPathComponent("killed")
        let partial = killed.appendingPathComponent("features/mobilenet_v2.h5.partial")
        var interrupted = false
        for delay in [0.3, 0.15, 0.6, 0.08, 1.2] where !interrupted {
            try? FileManager.default.removeItem(at: killed)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments(killed)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the store to start, give it time to make some rows durable, then SIGKILL.
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: partial.path), process.isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: delay)
            guard process.isRunning else { continue }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            interrupted = FileManager.default.fileExists(atPath: partial.path)
        }
        XCTAssertTrue(interrupted, "could not interrupt the extraction")
        XCTAssertFalse(FileManager.default.fileExists(atPath: killed.appendingPathComponent("features/mobilenet_v2.h5").path),
                       "no finished store may exist after a kill")
        let resumed = try runTool(tool, arguments(killed))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming an interrupted extraction"), resumed.stderr)
        func accuracies(_ folder: URL) throws -> [String] {
            try XCTUnwrap(try runReport(folder)["results"] as? [[String: Any]]).map {
                "\($0["classifier"] ?? "")=\($0["accuracy"] ?? "")"
            }
        }
        XCTAssertEqual(try accuracies(killed), try accuracies(reference))
        XCTAssertEqual(try runReport(killed)["best_model"] as? String, try runReport(reference)["best_model"] as? String)
    }

    /// Bad input is refused before any work, with a message that says what to fix.
    func testRefusals() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let missing = try runTool(tool, ["run", "--images", scratch.appendingPathComponent("nope").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)

        let one = scratch.appendingPathComponent("one/only")
        try FileManager.default.createDirectory(at: one, withIntermediateDirectories: true)
        let oneClass = try runTool(tool, ["run", "--images", one.deletingLastPathComponent().path])
        XCTAssertNotEqual(oneClass.status, 0)

        let dataset = try makeDemoSlice(in: scratch, perClass: 2)
        let tiny = dataset.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        let birds = try FileManager.default.contentsOfDirectory(atPath: dataset.appendingPathComponent("birds").path)[0]
        try FileManager.default.copyItem(at: dataset.appendingPathComponent("birds/\(birds)"), to: tiny.appendingPathComponent(birds))
        let small = try runTool(tool, ["run", "--images", dataset.path, "--out", scratch.appendingPathComponent("r").path])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.stderr.contains("class tiny has 1 image"), small.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("r/features").path))

        try FileManager.default.removeItem(at: tiny)
        let unknown = try runTool(tool, ["run", "--images", dataset.path, "--classifiers", "NoSuchClf"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown classifier NoSuchClf"), unknown.stderr)
    }
}

/// The command line adds its flags to the library's refusals.
final class RunAdviceTests: XCTestCase {
    func testAStoreInTheWayNamesTheCacheFlag() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 2)
        let out = scratch.appendingPathComponent("reports")
        let store = out.appendingPathComponent("features/squeezenet1_1.h5")
        try FileManager.default.createDirectory(at: store.deletingLastPathComponent(), withIntermediateDirectories: true)
        let original = try Data(contentsOf: fixtureURL("cookbook_train.h5"))
        try original.write(to: store)
        let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1",
                                     "--classifiers", "NearestCentroid", "--test-fraction", "0.5"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("spotcheck did not make it") && run.stderr.contains("--cache"), run.stderr)
        XCTAssertEqual(try Data(contentsOf: store), original, "the user's file is untouched")
    }

    func testNumericArgumentsAreCheckedBeforeAnyWork() throws {
        let tool = try spotcheckExecutable()
        for arguments in [["run", "--images", ".", "--batch", "0"], ["run", "--images", ".", "--batch", "100000000"],
                          ["predict", "--model", "m.json", "x.png", "--threads", "0"], ["run", "--images", ".", "--folds", "1"],
                          ["run", "--images", ".", "--test-fraction", "1"]] {
            let refused = try runTool(tool, arguments)
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("must be"), refused.stderr)
        }
        let nothing = try runTool(tool, ["run", "--images", ".", "--classifiers", ""])
        XCTAssertNotEqual(nothing.status, 0)
    }
}

/// The HTML report renders in a real headless browser (Debian's chromium, installed by scripts/setup).
final class ReportRenderingTests: XCTestCase {
    func testReportRendersInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            throw XCTSkip("chromium is not installed (scripts/setup installs it)")
        }
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let demo = try demoFolder()
        let run = try runTool(tool, ["run", "--images", demo.path, "--out", scratch.path, "--extractors", "squeezenet1_1",
                                     "--classifiers", "NearestCentroid,KNeighborsClf-3"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = scratch.appendingPathComponent("final_report.html")
        let dom = try runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html.path])
        XCTAssertEqual(dom.status, 0, dom.stderr)
        XCTAssertTrue(dom.stdout.contains("Confusion matrix") && dom.stdout.contains("<table"), dom.stdout)
        let png = scratch.appendingPathComponent("report.png")
        let shot = try runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,1400",
                                          "--screenshot=\(png.path)", html.path])
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertGreaterThan(bytes.count, 20_000, "a rendered page with tables and colours is not a blank image")
    }
}
