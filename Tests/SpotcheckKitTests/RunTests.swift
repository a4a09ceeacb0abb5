import ClassicML
import Extractor
import FeatureStore
import FileSafety
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// A spot-check run in-process on a slice of the real demo photos, step by step and end to end.
final class RunTests: XCTestCase {
    private let classifiers = ["LogisticRegression", "KNeighborsClf-3", "NearestCentroid", "RidgeClf-1"]

    func testReportIsConsistentCachedCommittedAndReproducedByTheSavedModel() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch)
        let out = scratch.appendingPathComponent("reports")
        let configuration = try SpotcheckConfiguration.images(dataset, extractors: ["squeezenet1_1", "mobilenet_v2"],
                                                              classifiers: classifiers, out: out, testFraction: 0.34)
        let observer = RecordingObserver()
        let first = try SpotcheckRun(configuration, observer: observer).execute()
        let report = first.report

        // Every pair is scored; the winner leads the cross-validation; the corrupt file is
        // skipped, reported once although two backbones read the folder.
        XCTAssertEqual(report.results.count, 8)
        XCTAssertEqual(report.results.first?.rank, 1)
        XCTAssertEqual(report.best?.cvMean, report.results.compactMap(\.cvMean).max())
        XCTAssertEqual(observer.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["broken.jpg"])
        XCTAssertTrue(report.dataset.skipped.contains { $0.path.hasSuffix("broken.jpg") && $0.reason.contains("not a JPEG or PNG") })
        XCTAssertEqual(report.dataset.images, 18)
        XCTAssertEqual(report.split.testRows + report.split.trainRows, 18)

        // The file on disk is the same report, with the cookbook's keys in agreement, and valid
        // against the committed JSON Schema (checked by the jsonschema package).
        let decoded = try JSONDecoder().decode(SpotcheckReport.self, from: Data(contentsOf: first.reportFile))
        XCTAssertEqual(decoded.results.map(\.accuracy), report.results.map(\.accuracy))
        let json = try runReport(out)
        let bestFeatures = try XCTUnwrap(json["best_features"] as? String)
        let perFile = try XCTUnwrap(json[bestFeatures] as? [String: Any])
        XCTAssertEqual(perFile[try XCTUnwrap(json["best_model"] as? String)] as? Double, json["best_accuracy"] as? Double)
        let schema = repositoryRoot.appendingPathComponent("docs/final_report.schema.json")
        let check = try runTool(try testPython(), ["-c", """
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            """, first.reportFile.path, schema.path])
        XCTAssertEqual(check.status, 0, check.stderr)

        let firstReport = try Data(contentsOf: first.reportFile)
        // A second run on the unchanged dataset extracts nothing, scores the same, and keeps the
        // first run's outputs in previous/.
        let second = try SpotcheckRun(configuration, observer: RecordingObserver()).execute()
        XCTAssertEqual(second.report.extractions.map(\.cached), [true, true])
        XCTAssertEqual(second.report.results.map(\.accuracy), report.results.map(\.accuracy))
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("previous/final_report.json")), firstReport)

        // The saved winner labels the test images as the report says it did.
        let best = try XCTUnwrap(report.best)
        let predictions = try XCTUnwrap(best.testPredictions)
        let model = try ImageModel(contentsOf: try XCTUnwrap(second.modelFile), threads: 2)
        var labels = [String]()
        try model.predict(predictions.map { dataset.appendingPathComponent($0.path) }, batchSize: 4, threads: 2,
                          each: { labels.append($0.className) }, failed: { XCTFail("\($0)") })
        XCTAssertEqual(labels, predictions.map(\.predictedClass))
    }

    func testAChangedDatasetIsExtractedAgain() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let configuration = try SpotcheckConfiguration.images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"],
                                                              out: scratch.appendingPathComponent("reports"), testFraction: 0.5)
        _ = try SpotcheckRun(configuration).execute()
        try FileManager.default.removeItem(at: dataset.appendingPathComponent("fruit/broken.jpg"))
        let bird = try FileManager.default.contentsOfDirectory(atPath: dataset.appendingPathComponent("birds").path)[0]
        try FileManager.default.copyItem(at: dataset.appendingPathComponent("birds/\(bird)"),
                                         to: dataset.appendingPathComponent("birds/copy-\(bird)"))
        let observer = RecordingObserver()
        let again = try SpotcheckRun(configuration, observer: observer).execute()
        XCTAssertTrue(observer.messages.contains { $0.contains("extracting again") }, "\(observer.messages)")
        XCTAssertEqual(again.report.extractions.first?.rows, 13)
        XCTAssertEqual(again.report.extractions.first?.cached, false)
    }

    /// Every refusal comes before any work, and says what to fix.
    func testRefusalsComeBeforeAnyWork() throws {
        let scratch = try scratchDirectory(self)
        let out = scratch.appendingPathComponent("reports")
        func plan(_ folder: URL, classifiers: [String] = ["NearestCentroid"]) throws -> SpotcheckRun {
            try SpotcheckRun(try .images(folder, extractors: ["squeezenet1_1"], classifiers: classifiers, out: out))
        }
        XCTAssertThrowsError(try plan(scratch.appendingPathComponent("nope"))) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        let one = scratch.appendingPathComponent("one/only")
        try FileManager.default.createDirectory(at: one, withIntermediateDirectories: true)
        XCTAssertThrowsError(try plan(one.deletingLastPathComponent()))

        let dataset = try makeDemoSlice(in: scratch, perClass: 2)
        let tiny = dataset.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        let bird = try FileManager.default.contentsOfDirectory(atPath: dataset.appendingPathComponent("birds").path)[0]
        try FileManager.default.copyItem(at: dataset.appendingPathComponent("birds/\(bird)"), to: tiny.appendingPathComponent(bird))
        XCTAssertThrowsError(try plan(dataset)) { error in
            XCTAssertEqual(error as? SpotcheckError, .classTooSmall(name: "tiny", count: 1))
        }
        try FileManager.default.removeItem(at: tiny)
        XCTAssertThrowsError(try plan(dataset, classifiers: [])) { error in
            XCTAssertEqual(error as? SpotcheckError, .nothingEvaluated("no classifiers were given"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing was written")
    }

    /// A run in which every classifier fails writes nothing and leaves the previous outputs.
    func testARunWithNothingEvaluatedKeepsThePreviousOutputs() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let out = scratch.appendingPathComponent("reports")
        let good = try SpotcheckRun(try .images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"],
                                                out: out, testFraction: 0.5)).execute()
        let before = try Data(contentsOf: good.reportFile)
        // Nine training rows cannot give 20 neighbours.
        let failing = try SpotcheckRun(try .images(dataset, extractors: ["squeezenet1_1"], classifiers: ["KNeighborsClf-20"],
                                                   out: out, testFraction: 0.5))
        XCTAssertThrowsError(try failing.execute()) { error in
            guard case .nothingEvaluated(let reason)? = error as? SpotcheckError else { return XCTFail("\(error)") }
            XCTAssertFalse(reason.isEmpty)
        }
        XCTAssertEqual(try Data(contentsOf: good.reportFile), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("best_model.json").path))
    }

    /// A file spotcheck did not make, where a feature store goes, is never replaced.
    func testForeignFilesWhereAStoreGoesAreLeftAlone() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 2)
        let out = scratch.appendingPathComponent("reports")
        let store = out.appendingPathComponent("features/squeezenet1_1.h5")
        try FileManager.default.createDirectory(at: store.deletingLastPathComponent(), withIntermediateDirectories: true)
        let original = Data("my notes\n".utf8)
        try original.write(to: store)
        let run = try SpotcheckRun(try .images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"],
                                               out: out, testFraction: 0.5))
        XCTAssertThrowsError(try run.execute()) { error in
            guard case .storeInTheWay(let path, _)? = error as? SpotcheckError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, store.path)
        }
        XCTAssertEqual(try Data(contentsOf: store), original, "the user's file is untouched")
    }

    /// A run into a folder another run holds waits, says who holds it, and goes on once it is free;
    /// the next run reuses the stores the first one made.
    func testARunWaitsForTheRunHoldingItsFolder() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 4)
        let out = scratch.appendingPathComponent("reports")
        let configuration = try SpotcheckConfiguration.images(dataset, extractors: ["squeezenet1_1"], classifiers: ["NearestCentroid"],
                                                              out: out, testFraction: 0.5)
        let holder = try FolderLock(out)
        let observer = RecordingObserver()
        let outcome = OutcomeSlots(count: 1)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            outcome.set(0, Result { try SpotcheckRun(configuration, observer: observer).execute() })
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(60)
        while !observer.messages.contains(where: { $0.contains("waiting for spotcheck process pid \(getpid())") }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTAssertTrue(observer.messages.contains { $0.contains("waiting for spotcheck process pid \(getpid())") }, "\(observer.messages)")
        XCTAssertEqual(finished.wait(timeout: .now() + 0.5), .timedOut, "the run waits while the folder is held")
        holder.release()
        XCTAssertEqual(finished.wait(timeout: .now() + 300), .success)
        let first = try XCTUnwrap(outcome.values.first).get().report
        let second = try SpotcheckRun(configuration).execute().report
        XCTAssertEqual([first, second].map { $0.extractions.map(\.cached) }, [[false], [true]])
        XCTAssertEqual(first.results.map(\.accuracy), second.results.map(\.accuracy))
    }

    /// Cookbook files written by h5py (float64, no paths, no attributes) are spot-checked as given.
    func testCookbookFilesWrittenByH5pyAreSpotChecked() throws {
        let scratch = try scratchDirectory(self)
        let made = try runTool(try testPython(), ["-c", """
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
        let files = ["good", "noise"].map { scratch.appendingPathComponent("\($0).hdf5") }
        var configuration = SpotcheckConfiguration(.featureFiles(files))
        configuration.classifiers = [.logisticRegression(), .nearestCentroid]
        configuration.split = SplitOptions(testFraction: 0.25)
        configuration.outputFolder = scratch.appendingPathComponent("reports")
        let result = try SpotcheckRun(configuration).execute()
        XCTAssertEqual(result.report.best?.featureFile, files[0].path)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(result.report.best?.accuracy), 0.8)
        XCTAssertEqual(result.report.extractions.map(\.extractor), ["good", "noise"])
        XCTAssertEqual(result.report.dataset.classes, ["cat", "dog", "émeu"])
        XCTAssertEqual(result.report.split.testRows, 9)
        // A model from another tool's features cannot label images: it records no backbone.
        let saved = try ModelFile.load(from: try XCTUnwrap(result.modelFile))
        XCTAssertNil(try ModelMetadata(saved.metadata).backbone)
        XCTAssertThrowsError(try ImageModel(contentsOf: try XCTUnwrap(result.modelFile), threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("records no backbone"), "\(error)")
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class OutcomeSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<SpotcheckResult, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<SpotcheckResult, Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = value
    }

    var values: [Result<SpotcheckResult, Error>] {
        lock.lock(); defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
