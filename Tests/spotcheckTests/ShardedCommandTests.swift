import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// `spotcheck plan | extract | merge | status` without a scheduler, end to end.
final class ShardedCommandTests: XCTestCase {
    private let classifiers = "LogisticRegression,KNeighborsClf-3,NearestCentroid,RidgeClf-1"

    private func succeed(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runTool(try spotcheckExecutable(), arguments)
        XCTAssertEqual(result.status, 0, "spotcheck \(arguments.joined(separator: " ")):\n\(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// The proof without a scheduler, on the whole demo set: four shards extracted one by one and
    /// merged give exactly the store `run --images` makes (same rows, same order, same numbers),
    /// and `run --features merged.h5` the same scores as `run --images`.
    func testFourShardsMergedThenRunFeaturesEqualsRunImagesOnTheDemoSet() throws {
        let demo = try demoFolder()
        let scratch = try scratchDirectory(self)
        let run = scratch.appendingPathComponent("run"), plan = run.appendingPathComponent("plan.json")
        _ = try succeed(["plan", "--images", demo.path, "--shards", "4", "--out", run.path, "--extractors", "mobilenet_v2",
                         "--classifiers", classifiers, "--threads", "2"])
        for shard in 0..<4 {
            let out = try succeed(["extract", "--plan", plan.path, "--shard", "\(shard)", "--threads", "2"])
            XCTAssertTrue(out.contains("Shard \(shard) of 4: 41 images") || out.contains("Shard \(shard) of 4: 42 images"), out)
        }
        XCTAssertTrue(try succeed(["merge", "--plan", plan.path]).contains("mobilenet_v2: 165 rows"))
        let merged = run.appendingPathComponent("features/mobilenet_v2.h5")

        let whole = scratch.appendingPathComponent("whole"), fromMerged = scratch.appendingPathComponent("from-merged")
        _ = try succeed(["run", "--images", demo.path, "--out", whole.path, "--extractors", "mobilenet_v2", "--classifiers", classifiers])
        _ = try succeed(["run", "--features", merged.path, "--out", fromMerged.path, "--classifiers", classifiers])

        let expected = try FeatureStoreReader(url: whole.appendingPathComponent("features/mobilenet_v2.h5"))
        let reader = try FeatureStoreReader(url: merged)
        XCTAssertEqual(reader.virtualSources.count, 4)
        XCTAssertEqual(reader.rowCount, 165)
        XCTAssertEqual(try reader.paths(0..<165), try expected.paths(0..<165))
        XCTAssertEqual(try reader.labels(), try expected.labels())
        XCTAssertEqual(try reader.readRows(0..<165).features.values.map(\.bitPattern),
                       try expected.readRows(0..<165).features.values.map(\.bitPattern))

        let reports = try [whole, fromMerged].map { try runReport($0) }
        func scores(_ report: [String: Any]) -> [String] {
            ((report["results"] as? [[String: Any]]) ?? []).map { "\($0["extractor"] ?? "") \($0["classifier"] ?? "") \($0["accuracy"] ?? "")" }
        }
        XCTAssertEqual(scores(reports[1]), scores(reports[0]))
        XCTAssertEqual(scores(reports[0]).count, 4)
        XCTAssertEqual(reports[1]["best_model"] as? String, reports[0]["best_model"] as? String)
        XCTAssertEqual(reports[1]["best_accuracy"] as? Double, reports[0]["best_accuracy"] as? Double)
        let splits = reports.map { $0["split"] as? [String: Any] ?? [:] }
        XCTAssertEqual(splits.map { $0["test_rows"] as? Int }, [33, 33])
    }

    /// A virtual store over more shards than the process may open fails loudly — while h5py,
    /// under the same limit, silently reads NaN — and reads in full once the limit allows.
    func testTooManyShardsForTheOpenFileLimitFailRatherThanReadNaN() throws {
        let scratch = try scratchDirectory(self)
        let parts = 150
        var generator = SeededGenerator(seed: 3)
        let urls = try (0..<parts).map { index in
            let url = scratch.appendingPathComponent("parts/part-\(index).h5")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let writer = try FeatureStoreWriter(creating: url, dimension: 4, labelNames: ["a", "b"])
            try writer.append(features: (0..<4).map { _ in Float.random(in: -1...1, using: &generator) }, label: index % 2,
                              path: "\(index % 2 == 0 ? "a" : "b")/\(index).png")
            try writer.finish()
            return url
        }
        let store = scratch.appendingPathComponent("merged.h5")
        try FeatureStoreJoin.join(urls, into: store, attributes: FeatureStoreAttributes(), method: .virtual, overwrite: false)
        let tool = try spotcheckExecutable()
        let limited = try runTool("/bin/bash", ["-c", "ulimit -n 100 && exec \"$0\" inspect \"$1\"", tool, store.path])
        XCTAssertNotEqual(limited.status, 0)
        XCTAssertTrue(limited.stderr.contains("virtual store over 150 source files, more than the 100 files"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("merge --copy"), limited.stderr)
        let h5py = try runTool("/bin/bash", ["-c", """
            ulimit -n 100 && exec "$0" -c 'import sys, h5py, numpy as np; x = h5py.File(sys.argv[1])["features"][:]; print(int(np.isnan(x).any(axis=1).sum()))' "$1"
            """, try testPython(), store.path])
        XCTAssertEqual(h5py.status, 0, h5py.stderr)
        XCTAssertGreaterThan(Int(h5py.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 0,
                             "h5py reads NaN rows past the limit (what the reader guards against)")
        let enough = try runTool("/bin/bash", ["-c", "ulimit -n 400 && exec \"$0\" inspect \"$1\"", tool, store.path])
        XCTAssertEqual(enough.status, 0, enough.stderr)
        XCTAssertTrue(enough.stdout.contains("150 × 4"), enough.stdout)
    }

    /// `status` reads the files and prints the sbatch commands that finish the run — just the
    /// missing shards, arrays split past MaxArraySize — and `--emit slurm` the script itself.
    func testStatusPrintsTheCommandsThatSubmitJustWhatIsMissing() throws {
        let scratch = try scratchDirectory(self)
        let dataset = try makeDemoSlice(in: scratch, perClass: 3)
        let run = scratch.appendingPathComponent("run"), plan = run.appendingPathComponent("plan.json")
        let planned = try succeed(["plan", "--images", dataset.path, "--shards", "5", "--out", run.path, "--extractors", "squeezenet1_1",
                                   "--classifiers", "NearestCentroid,RidgeClf-1", "--emit", "slurm", "--threads", "1",
                                   "--max-array-size", "3"])
        XCTAssertTrue(planned.contains("10 images, 5 shards, 1 recipes, 2 pairs"), planned)
        for shard in [0, 2] { _ = try succeed(["extract", "--plan", plan.path, "--shard", "\(shard)", "--batch", "2"]) }
        let status = try succeed(["status", "--plan", plan.path])
        XCTAssertTrue(status.contains("extract  2 done, 0 partial, 3 missing (1,3-4)"), status)
        let slurm = run.appendingPathComponent("slurm").path
        XCTAssertTrue(status.contains("sbatch --array=1 --export=ALL,SPOTCHECK_INDEX_OFFSET=0 '\(slurm)/extract.sbatch'; "
                                      + "sbatch --array=0-1 --export=ALL,SPOTCHECK_INDEX_OFFSET=3 '\(slurm)/extract.sbatch'"), status)
        let script = try succeed(["status", "--plan", plan.path, "--emit", "slurm"])
        XCTAssertTrue(script.hasPrefix("#!/bin/bash\n"), script)
        for line in [
            "extract_0=$(job --array=1 --export=ALL,SPOTCHECK_INDEX_OFFSET=0 '\(slurm)/extract.sbatch')",
            "extract_1=$(job --array=0-1 --export=ALL,SPOTCHECK_INDEX_OFFSET=3 '\(slurm)/extract.sbatch')",
            "merge=$(job --dependency=afterok:$extract_0:$extract_1 --kill-on-invalid-dep=yes '\(slurm)/merge.sbatch')",
            "fit_0=$(job --array=0-1 --export=ALL,SPOTCHECK_INDEX_OFFSET=0 --dependency=afterok:$merge --kill-on-invalid-dep=yes '\(slurm)/fit.sbatch')",
            "report=$(job --dependency=afterok:$fit_0 --kill-on-invalid-dep=yes '\(slurm)/report.sbatch')",
        ] {
            XCTAssertTrue(script.contains(line + "\n"), "missing \(line) in\n\(script)")
        }
        let syntax = try runTool("/bin/bash", ["-n", run.appendingPathComponent("slurm/submit.sh").path])
        XCTAssertEqual(syntax.status, 0, syntax.stderr)
        // Merging now is refused, naming the shards.
        let merge = try runTool(try spotcheckExecutable(), ["merge", "--plan", plan.path])
        XCTAssertNotEqual(merge.status, 0)
        XCTAssertTrue(merge.stderr.contains("shard 1 is missing; shard 3 is missing; shard 4 is missing"), merge.stderr)
        XCTAssertTrue(merge.stderr.contains("spotcheck status --plan"), merge.stderr)
    }
}
