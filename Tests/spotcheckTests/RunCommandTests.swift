import Foundation
import XCTest

/// `spotcheck run` and `spotcheck predict` end to end on a slice of the real demo photos.
final class RunCommandTests: XCTestCase {
    private let classifiers = "LogisticRegression,KNeighborsClf-3,NearestCentroid,RidgeClf-1"

    func testRunReportIsValidConsistentCachedAndReproducedByPredict() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch)
        let out = scratch.appendingPathComponent("reports")
        let arguments = ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1,mobilenet_v2",
                         "--classifiers", classifiers, "--test-fraction", "0.34", "--batch", "4"]
        let first = try runTool(tool, arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("broken.jpg"), "the corrupt file is reported on stderr")

        // Valid against the committed JSON Schema (checked by the jsonschema package).
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/final_report.schema.json")
        let check = try runTool(try testPython(), ["-c", """
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            """, out.appendingPathComponent("final_report.json").path, schema.path])
        XCTAssertEqual(check.status, 0, check.stderr)

        // The best entry agrees with the table and with the per-file objects (the cookbook's keys).
        let json = try runReport(out)
        let results = try XCTUnwrap(json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 8)
        let top = results.compactMap { $0["accuracy"] as? Double }.max()
        let bestAccuracy = try XCTUnwrap(json["best_accuracy"] as? Double)
        XCTAssertEqual(bestAccuracy, top)
        let bestModel = try XCTUnwrap(json["best_model"] as? String)
        let bestFeatures = try XCTUnwrap(json["best_features"] as? String)
        let perFile = try XCTUnwrap(json[bestFeatures] as? [String: Any])
        XCTAssertEqual(perFile[bestModel] as? Double, bestAccuracy)
        XCTAssertTrue(first.stdout.contains("Best:"), first.stdout)
        let skipped = try XCTUnwrap((json["dataset"] as? [String: Any])?["skipped"] as? [[String: Any]])
        XCTAssertTrue(skipped.contains { ($0["path"] as? String)?.hasSuffix("broken.jpg") == true
                                         && ($0["reason"] as? String)?.contains("not a JPEG or PNG") == true }, "\(skipped)")
        let html = try String(contentsOf: out.appendingPathComponent("final_report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Confusion matrix") && html.contains(bestModel))

        // A second run on the unchanged dataset extracts nothing and scores the same.
        let second = try runTool(tool, arguments)
        XCTAssertEqual(second.status, 0, second.stderr)
        let extractions = try XCTUnwrap(try runReport(out)["extractions"] as? [[String: Any]])
        XCTAssertEqual(extractions.map { $0["cached"] as? Bool }, [true, true])
        XCTAssertEqual(try runReport(out)["best_accuracy"] as? Double, bestAccuracy)

        // predict with the saved winner reproduces the report's test-set predictions.
        let best = try XCTUnwrap(json["best"] as? [String: Any])
        let predictions = try XCTUnwrap(best["test_predictions"] as? [[String: String]])
        let paths = predictions.compactMap { $0["path"] }.map { dataset.appendingPathComponent($0).path }
        let predicted = try runTool(tool, ["predict", "--model", out.appendingPathComponent("best_model.json").path] + paths)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let labels = predicted.stdout.split(separator: "\n").map { $0.split(separator: "\t")[1] }.map(String.init)
        XCTAssertEqual(labels, predictions.compactMap { $0["predicted"] })
    }

    /// A changed dataset is detected and re-extracted.
    func testChangedDatasetIsExtractedAgain() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let out = scratch.appendingPathComponent("reports")
        let arguments = ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1",
                         "--classifiers", "NearestCentroid", "--test-fraction", "0.5"]
        XCTAssertEqual(try runTool(tool, arguments).status, 0)
        try FileManager.default.removeItem(at: dataset.appendingPathComponent("fruit/broken.jpg"))
        let demoBird = try FileManager.default.contentsOfDirectory(atPath: dataset.appendingPathComponent("birds").path)[0]
        try FileManager.default.copyItem(at: dataset.appendingPathComponent("birds/\(demoBird)"),
                                         to: dataset.appendingPathComponent("birds/copy-\(demoBird)"))
        let again = try runTool(tool, arguments)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("extracting again"), again.stderr)
        let rows = try XCTUnwrap((try runReport(out)["extractions"] as? [[String: Any]])?.first?["rows"] as? Int)
        XCTAssertEqual(rows, 13)
    }

    /// kill -9 during extraction, then the same command: it resumes and the report equals an
    /// uninterrupted run's.
    func testResumeAfterKillEqualsUninterruptedRun() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 14)
        func arguments(_ out: URL) -> [String] {
            ["run", "--images", dataset.path, "--out", out.path, "--extractors", "mobilenet_v2",
             "--classifiers", classifiers, "--batch", "2", "--threads", "1"]
        }
        let reference = scratch.appendingPathComponent("reference")
        XCTAssertEqual(try runTool(tool, arguments(reference)).status, 0)

        let killed = scratch.appendingPathComponent("killed")
        let partial = killed.appendingPathComponent("features/mobilenet_v2.h5.partial")
        var interrupted = false
        for delay in [1.5, 0.8, 3.0, 0.4] where !interrupted {
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

/// A file spotcheck did not make, where a feature store goes, is never replaced.
final class RunStoreSafetyTests: XCTestCase {
    func testForeignFilesInTheStoreFolderAreLeftAlone() throws {
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 2)
        let out = scratch.appendingPathComponent("reports")
        let store = out.appendingPathComponent("features/squeezenet1_1.h5")
        try FileManager.default.createDirectory(at: store.deletingLastPathComponent(), withIntermediateDirectories: true)
        let foreign = [try Data(contentsOf: fixtureURL("cookbook_train.h5")), Data("my notes\n".utf8)]
        for original in foreign {
            try original.write(to: store)
            let run = try runTool(tool, ["run", "--images", dataset.path, "--out", out.path, "--extractors", "squeezenet1_1",
                                         "--classifiers", "NearestCentroid", "--test-fraction", "0.5"])
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.stderr.contains("spotcheck did not make it") && run.stderr.contains("--cache"), run.stderr)
            XCTAssertEqual(try Data(contentsOf: store), original, "the user's file is untouched")
        }
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

/// `spotcheck run --features`: existing stores, including the cookbook's h5py files, taken as given.
final class RunFeatureFilesTests: XCTestCase {
    func testCookbookFilesWrittenByH5pyAreSpotChecked() throws {
        guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"] else {
            throw XCTSkip("SPOTCHECK_TEST_PYTHON is not set (scripts/test sets it to the venv with h5py)")
        }
        let tool = try spotcheckExecutable()
        let scratch = try scratchDirectory(self)
        // Two cookbook-layout files (float64 features, no paths, no attributes) over the same rows:
        // one informative, one pure noise.
        let made = try runTool(python, ["-c", """
            import sys, h5py, numpy as np
            rng = np.random.default_rng(7)
            labels = np.repeat(np.arange(3), 12)
            centres = rng.normal(0, 3, (3, 6))
            for name, signal in (("good", 1.0), ("noise", 0.0)):
                x = signal * centres[labels] + rng.normal(0, 1, (len(labels), 6))
                with h5py.File(sys.argv[1] + "/" + name + ".hdf5", "w") as db:
                    db.create_dataset("features", data=x.astype(np.float64))
                    db.create_dataset("labels", data=labels.astype(np.int64))
                    db.create_dataset("label_names", data=["cat", "dog", "émeu"], dtype=h5py.string_dtype())
            """, scratch.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let out = scratch.appendingPathComponent("reports")
        let run = try runTool(tool, ["run", "--features", scratch.appendingPathComponent("good.hdf5").path,
                                     scratch.appendingPathComponent("noise.hdf5").path, "--out", out.path,
                                     "--classifiers", "LogisticRegression,NearestCentroid", "--test-fraction", "0.25"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let data = try Data(contentsOf: out.appendingPathComponent("final_report.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["best_features"] as? String, scratch.appendingPathComponent("good.hdf5").path)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(json["best_accuracy"] as? Double), 0.8)
        let extractions = try XCTUnwrap(json["extractions"] as? [[String: Any]])
        XCTAssertEqual(extractions.compactMap { $0["extractor"] as? String }, ["good", "noise"])
        XCTAssertEqual((json["dataset"] as? [String: Any])?["classes"] as? [String], ["cat", "dog", "émeu"])
        XCTAssertEqual((json["split"] as? [String: Any])?["test_rows"] as? Int, 9)
        // A model from features of another tool cannot label images: the file records no backbone.
        let model = try String(contentsOf: out.appendingPathComponent("best_model.json"), encoding: .utf8)
        XCTAssertFalse(model.contains("\"backbone\""))
    }
}
