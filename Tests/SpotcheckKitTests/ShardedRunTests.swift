import ClassicML
import Extractor
import FeatureStore
import FileSafety
import Foundation
import SpotcheckKit
import SpotcheckTestSupport
import XCTest

/// A planned run, step by step in-process on a slice of the real demo photos: shards extracted
/// one by one and merged hold exactly the rows a whole extraction holds; every shard that is
/// missing, unfinished or foreign is refused by name; the status is read from the files.
///
/// MobileNetV2 is used because its features do not depend on how images are batched (shards
/// cut batches differently); SqueezeNet's differ by about one ulp in batches of one or two.
final class ShardedRunTests: XCTestCase {
    /// A slice (3 classes × 6 photos + one text file posing as a JPEG) planned as `shards` shards.
    private func planned(shards: Int, in scratch: URL) throws -> (run: ShardedRun, dataset: URL, configuration: SpotcheckConfiguration) {
        let dataset = try makeDemoSlice(in: scratch)
        let configuration = try SpotcheckConfiguration.images(dataset, extractors: ["mobilenet_v2"],
                                                              classifiers: ["NearestCentroid", "LogisticRegression"],
                                                              out: scratch.appendingPathComponent("whole"), testFraction: 0.34)
        let run = try ShardedRun.plan(configuration, shards: shards, folder: scratch.appendingPathComponent("run"), threads: 2)
        return (run, dataset, configuration)
    }

    private func extractAll(_ run: ShardedRun) throws -> [ShardRecord] {
        try (0..<run.plan.shards).map { try run.extract(shard: $0, batchSize: 4, threads: 2) }
    }

    func testShardsMergedHoldExactlyTheWholeExtractionsRowsAndSplit() throws {
        let scratch = try scratchDirectory(self)
        let (run, dataset, configuration) = try planned(shards: 4, in: scratch)
        // The manifest lists the images in store order with their sizes and digests (sha256sum's).
        XCTAssertEqual(run.manifest.entries.count, 19)
        XCTAssertEqual(run.plan.pairs.map(\.name), configuration.classifiers.map { "mobilenet_v2+\($0.description)" })
        let broken = try XCTUnwrap(run.manifest.entries.first { $0.path == "fruit/broken.jpg" })
        XCTAssertEqual(broken.size, 13)
        let sha = try runTool("/usr/bin/sha256sum", [dataset.appendingPathComponent("fruit/broken.jpg").path])
        XCTAssertEqual(broken.sha256, String(sha.stdout.prefix(64)))
        XCTAssertEqual((0..<4).map { run.manifest.rows(ofShard: $0, count: 4) }, [0..<4, 4..<9, 9..<14, 14..<19])

        let records = try extractAll(run)
        XCTAssertEqual(records.map(\.images), [4, 5, 5, 5])
        XCTAssertEqual(records.flatMap(\.skipped).map(\.path), ["fruit/broken.jpg"])
        XCTAssertTrue(records.flatMap(\.skipped)[0].reason.contains("not a JPEG or PNG"), "\(records.flatMap(\.skipped))")
        let merged = try run.merge()
        XCTAssertEqual(merged.map(\.rows), [18])

        // The whole extraction, as `run --images` makes it.
        let whole = try SpotcheckRun(configuration)
        let stores = try whole.extractStores()
        let expected = try FeatureStoreReader(url: URL(fileURLWithPath: stores.extractions[0].featureFile))
        let reader = try FeatureStoreReader(url: merged[0].file)
        XCTAssertEqual(reader.virtualSources.count, 4)
        XCTAssertEqual(try reader.paths(0..<18), try expected.paths(0..<18))
        XCTAssertEqual(try reader.labels(), try expected.labels())
        XCTAssertEqual(try reader.readRows(0..<18).features.values.map(\.bitPattern),
                       try expected.readRows(0..<18).features.values.map(\.bitPattern))
        XCTAssertEqual(reader.attributes.integer("shard_count"), 4)
        XCTAssertEqual(reader.attributes.string("plan_fingerprint"), run.plan.fingerprint)
        XCTAssertNil(reader.attributes.string("shard"))
        // The split every fit task reads is the whole run's.
        let split = try JSONDecoder().decode(RunSplit.self, from: Data(contentsOf: run.splitFile))
        XCTAssertEqual(split, try whole.split(stores))

        // A copy holds the same rows in one real file.
        let copied = try run.merge(copy: true)
        let copy = try FeatureStoreReader(url: copied[0].file)
        XCTAssertEqual(copy.virtualSources, [])
        XCTAssertEqual(try copy.readRows(0..<18).features.values.map(\.bitPattern),
                       try expected.readRows(0..<18).features.values.map(\.bitPattern))
    }

    /// One fit task per pair, then the report: the same ranking, scores, tie test, dataset
    /// section and saved winner as `run` on the same images.
    func testFitTasksAndReportEqualTheWholeRun() throws {
        let scratch = try scratchDirectory(self)
        let (run, _, configuration) = try planned(shards: 2, in: scratch)
        _ = try extractAll(run)
        _ = try run.merge()
        XCTAssertThrowsError(try run.report(command: ["report"])) { error in
            XCTAssertEqual(error as? ShardedRunError, .stepNotDone(step: "fit every pair", missing: run.plan.pairs.map(\.name)))
        }
        let records = try run.plan.pairs.indices.map { try run.fit(pair: $0) }
        XCTAssertEqual(records.map(\.name), run.plan.pairs.map(\.name))
        XCTAssertEqual(run.status().nextStage, .report)
        // A second fit keeps the current result.
        XCTAssertEqual(try run.fit(pair: 1).seconds, records[1].seconds)
        let distributed = try run.report(command: ["report"]).report
        XCTAssertNil(run.status().nextStage)

        let whole = try SpotcheckRun(configuration).execute()
        func ranking(_ report: SpotcheckReport) -> [String] {
            report.results.map { "\($0.rank ?? 0) \($0.extractor) \($0.classifier) \($0.accuracy ?? -1) \($0.cvScores ?? []) \($0.tiedWithBest.map(String.init) ?? "-") \($0.pValueVsBest ?? -1)" }
        }
        XCTAssertEqual(ranking(distributed), ranking(whole.report))
        XCTAssertEqual(distributed.best?.classifier, whole.report.best?.classifier)
        XCTAssertEqual(distributed.best?.confusionMatrix, whole.report.best?.confusionMatrix)
        XCTAssertEqual(distributed.best?.testPredictions?.map(\.path), whole.report.best?.testPredictions?.map(\.path))
        XCTAssertEqual(distributed.best?.testPredictions?.map(\.predictedClass), whole.report.best?.testPredictions?.map(\.predictedClass))
        XCTAssertEqual(distributed.selection.tied.map(\.classifier), whole.report.selection.tied.map(\.classifier))
        XCTAssertEqual(distributed.dataset.skipped, whole.report.dataset.skipped)
        XCTAssertEqual(distributed.dataset.countsPerClass, whole.report.dataset.countsPerClass)
        XCTAssertEqual(distributed.dataset.root, whole.report.dataset.root)
        XCTAssertEqual(distributed.split.trainRows, whole.report.split.trainRows)
        XCTAssertEqual(distributed.extractions.map(\.rows), whole.report.extractions.map(\.rows))
        // The winner as its fit task saved it, with the merged store in its metadata.
        let saved = try ModelFile.load(from: run.folder.appendingPathComponent(RunOutputs.modelName))
        let single = try ModelFile.load(from: try XCTUnwrap(whole.modelFile))
        XCTAssertEqual(try ModelFile.encode(SavedModel(classifier: saved.classifier, scaler: saved.scaler, classNames: saved.classNames)),
                       try ModelFile.encode(SavedModel(classifier: single.classifier, scaler: single.scaler, classNames: single.classNames)))
        XCTAssertEqual(saved.metadata["feature_store"], run.mergedStore(run.plan.recipes[0]).path)
    }

    func testExtractingAgainKeepsOrResumesAndStatusFollowsTheFiles() throws {
        let scratch = try scratchDirectory(self)
        let (run, _, _) = try planned(shards: 3, in: scratch)
        XCTAssertEqual(run.status().nextStage, .extract)
        XCTAssertEqual(run.status().missingShards, [0, 1, 2])
        _ = try run.extract(shard: 1, batchSize: 4, threads: 2)
        XCTAssertEqual(try run.extract(shard: 1, batchSize: 4, threads: 2).extractions.map(\.cached), [true])

        // A task killed after writing its store and before its record: partial, and finished again.
        let recipe = FeatureRecipe(backbone: "mobilenet_v2")
        let store = run.shardStore(recipe, index: 1)
        try FileManager.default.moveItem(at: store, to: FeatureStoreWriter.partialURL(for: store))
        try FileManager.default.removeItem(at: run.shardRecord(1))
        let progress = run.status()
        XCTAssertEqual(progress.shards, [.missing, .partial, .missing])
        XCTAssertEqual(progress.unfinishedShards, [0, 1, 2])
        let jobs = run.remainingJobs(progress)
        XCTAssertEqual(jobs.map(\.name), ["extract_0", "merge", "fit_0", "report"])
        XCTAssertEqual(jobs[0].commandLine, "sbatch --array=0-2 --export=ALL,SPOTCHECK_INDEX_OFFSET=0 '\(run.folder.path)/slurm/extract.sbatch'")
        let resumed = try run.extract(shard: 1, batchSize: 4, threads: 2)
        XCTAssertEqual(resumed.extractions.map(\.resumed), [true])
        XCTAssertEqual(run.status().shards, [.missing, .done, .missing])
        XCTAssertThrowsError(try run.extract(shard: 3, batchSize: 4, threads: 2)) { error in
            XCTAssertEqual(error as? ShardedRunError, .indexOutOfRange(what: "shard", index: 3, count: 3))
        }
    }

    func testMergeRefusesMissingUnfinishedAndForeignShardsAndTheReaderADeletedOne() throws {
        let scratch = try scratchDirectory(self)
        let (run, _, _) = try planned(shards: 3, in: scratch)
        _ = try extractAll(run)
        let recipe = FeatureRecipe(backbone: "mobilenet_v2")
        let shard2 = run.shardStore(recipe, index: 2)
        let saved = scratch.appendingPathComponent("saved.h5")
        try FileManager.default.copyItem(at: shard2, to: saved)

        try FileManager.default.removeItem(at: shard2)
        XCTAssertThrowsError(try run.merge()) { error in
            XCTAssertEqual(error as? ShardedRunError, .shardsIncomplete(store: "mobilenet_v2", problems: ["shard 2 is unfinished"]))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.mergedStore(run.plan.recipes[0]).path))
        // Shard 1's store in shard 2's place: its rows and its attributes say it is another shard.
        try FileManager.default.copyItem(at: run.shardStore(recipe, index: 1), to: shard2)
        XCTAssertThrowsError(try run.merge()) { error in
            guard case .shardsIncomplete(_, let problems)? = error as? ShardedRunError else { return XCTFail("\(error)") }
            XCTAssertEqual(problems, ["shard 2: shard-00002-of-00003.h5 was made for another plan, shard or recipe"])
        }
        try FileManager.default.removeItem(at: shard2)
        try FileManager.default.copyItem(at: saved, to: shard2)
        let merged = try run.merge()
        XCTAssertEqual(run.status().nextStage, .fit)

        // After the merge, a deleted shard makes every reader of the merged store fail loudly.
        try FileManager.default.removeItem(at: shard2)
        XCTAssertThrowsError(try FeatureStoreReader(url: merged[0].file)) { error in
            guard case .sourceUnusable(_, let source, _)? = error as? FeatureStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(source, shard2.path)
        }
        var configuration = SpotcheckConfiguration(.featureFiles([merged[0].file]))
        configuration.outputFolder = scratch.appendingPathComponent("from-merged")
        XCTAssertThrowsError(try SpotcheckRun(configuration)) { error in
            XCTAssertTrue(error is FeatureStoreError, "\(error)")
        }
        XCTAssertEqual(run.status().shards, [.done, .done, .partial])
    }

    /// A step never writes over what it reads, whatever names the files go by, and waits while
    /// another process writes the run's shared files.
    func testOutputsThatAreInputsAreRefusedAndTheMergeWaitsForTheRunsLock() throws {
        let scratch = try scratchDirectory(self)
        let (run, _, _) = try planned(shards: 2, in: scratch)
        _ = try extractAll(run)
        let shard0 = run.shardStore(FeatureRecipe(backbone: "mobilenet_v2"), index: 0)
        let shardBytes = try Data(contentsOf: shard0)
        let merged = run.mergedStore(run.plan.recipes[0])
        try FileManager.default.createSymbolicLink(at: merged, withDestinationURL: shard0)
        XCTAssertThrowsError(try run.merge()) { error in
            XCTAssertEqual(error as? FileSafetyError, .outputIsInput(output: merged.path, input: shard0.path))
        }
        XCTAssertEqual(try Data(contentsOf: shard0), shardBytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.splitFile.path), "nothing was written")
        try FileManager.default.removeItem(at: merged)

        // A merge while another process holds the run folder waits for it.
        let holder = try FolderLock(run.folder)
        let observer = RecordingObserver()
        let waited = try assertWaits(for: holder, observer: observer) { try run.merge(observer: observer) }
        XCTAssertEqual(waited.map(\.rows), [18])

        // A pair's result that is a hard link to the split, and a report over a merged store.
        let result = run.resultFile(0)
        try FileManager.default.createDirectory(at: run.resultsFolder, withIntermediateDirectories: true)
        try FileManager.default.linkItem(at: run.splitFile, to: result)
        XCTAssertThrowsError(try run.fit(pair: 0)) { error in
            XCTAssertEqual(error as? FileSafetyError, .outputIsInput(output: result.path, input: run.splitFile.path))
        }
        try FileManager.default.removeItem(at: result)
        _ = try run.plan.pairs.indices.map { try run.fit(pair: $0) }
        let page = run.folder.appendingPathComponent(RunOutputs.pageName)
        try FileManager.default.createSymbolicLink(at: page, withDestinationURL: merged)
        XCTAssertThrowsError(try run.report(command: ["report"])) { error in
            XCTAssertEqual(error as? FileSafetyError, .outputIsInput(output: page.path, input: merged.path))
        }
        try FileManager.default.removeItem(at: page)
        XCTAssertEqual(try run.report(command: ["report"]).report.results.count, 2)
    }

    func testAChangedImageOrManifestIsRefused() throws {
        let scratch = try scratchDirectory(self)
        let (run, dataset, _) = try planned(shards: 2, in: scratch)
        // Another copy of the images, with other modification times, is accepted.
        let copy = scratch.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: dataset, to: copy)
        XCTAssertEqual(try run.extract(shard: 0, imageFolder: copy, batchSize: 4, threads: 2).images, 9)
        // One rewritten image in shard 1 is not.
        let changed = copy.appendingPathComponent(run.manifest.entries[12].path)
        try Data("changed".utf8).write(to: changed)
        XCTAssertThrowsError(try run.extract(shard: 1, imageFolder: copy, batchSize: 4, threads: 2)) { error in
            guard case .imageChanged(let path, _)? = error as? ShardedRunError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, changed.path)
        }
        // An edited manifest no longer has the plan's fingerprint.
        let manifest = run.folder.appendingPathComponent(ShardedRun.manifestName)
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\tbirds\t", with: "\tfruit\t").write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ShardedRun(planFile: run.planFile)) { error in
            guard case .planUnreadable(_, let reason)? = error as? ShardedRunError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("fingerprint"), reason)
        }
        try text.replacingOccurrences(of: "birds/", with: "../birds/").write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ShardedRun(planFile: run.planFile)) { error in
            guard case .planUnreadable(_, let reason)? = error as? ShardedRunError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("line 2 has the path '../birds/"), reason)
        }
    }

    func testTaskIndicesAndArraysSplitPastMaxArraySize() throws {
        XCTAssertEqual(try ShardedRun.taskIndex(given: 5, what: "shard", environment: ["SLURM_ARRAY_TASK_ID": "1"]), 5)
        XCTAssertEqual(try ShardedRun.taskIndex(given: nil, what: "shard",
                                                environment: ["SLURM_ARRAY_TASK_ID": "7", "JOB_COMPLETION_INDEX": "3"]), 7)
        XCTAssertEqual(try ShardedRun.taskIndex(given: nil, what: "pair", environment: ["JOB_COMPLETION_INDEX": "3"]), 3)
        XCTAssertThrowsError(try ShardedRun.taskIndex(given: nil, what: "shard", environment: [:])) { error in
            XCTAssertEqual(error as? ShardedRunError, .noIndex(what: "shard"))
        }
        XCTAssertThrowsError(try ShardedRun.taskIndex(given: nil, what: "shard", environment: ["SLURM_ARRAY_TASK_ID": "x"]))
        let arrays = SlurmScripts.arrays(Array(0..<2500), maxArraySize: 1001)
        XCTAssertEqual(arrays.map(\.list), ["0-1000", "0-1000", "0-497"])
        XCTAssertEqual(arrays.map(\.offset), [0, 1001, 2002])
        let gaps = SlurmScripts.arrays([2, 3, 4, 9, 1001, 1500, 1501], maxArraySize: 1001)
        XCTAssertEqual(gaps.map(\.list), ["2-4,9", "0,499-500"])
        XCTAssertEqual(gaps.map(\.offset), [0, 1001])
    }
}
