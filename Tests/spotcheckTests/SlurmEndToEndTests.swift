import Foundation
import SpotcheckTestSupport
import XCTest

/// The planned run on a real Slurm cluster: `scripts/slurm-local` starts slurmctld, slurmd and
/// munged on localhost (MaxArraySize 3, so the four shards are submitted as two arrays), the
/// script `plan --emit slurm` wrote is submitted for the demo set, one extract task is cancelled
/// before it runs — the merge, fits and report after it are then cancelled by Slurm
/// (`--kill-on-invalid-dep=yes`) — and the commands `status` prints finish the run. The report
/// equals the one `spotcheck run` makes on one machine.
final class SlurmEndToEndTests: XCTestCase {
    private let classifiers = "LogisticRegression,KNeighborsClf-3,NearestCentroid,RidgeClf-1"
    private var conf = ""

    override func setUpWithError() throws {
        // Registered first: whatever part of the cluster started is stopped, by its PIDs.
        addTeardownBlock { [repositoryRoot] in
            _ = try? runTool(repositoryRoot.appendingPathComponent("scripts/slurm-local").path, ["stop"])
        }
        let start = try runTool("/bin/bash", ["-c", "SLURM_LOCAL_MAX_ARRAY_SIZE=3 exec \"$0\" start",
                                              repositoryRoot.appendingPathComponent("scripts/slurm-local").path])
        XCTAssertEqual(start.status, 0, "scripts/slurm-local start:\n\(start.stderr)")
        conf = try XCTUnwrap(start.stdout.split(separator: "\n").last { $0.hasPrefix("export SLURM_CONF=") }
            .map { String($0.dropFirst("export SLURM_CONF=".count)) }, start.stdout + start.stderr)
    }

    /// Runs `command` in bash with the cluster's configuration.
    private func slurm(_ command: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runTool("/bin/bash", ["-c", "export SLURM_CONF=\"$0\"; " + command, conf])
        XCTAssertEqual(result.status, 0, "\(command):\n\(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// Waits until Slurm's queue is empty.
    private func waitForTheQueue(seconds: Double = 900) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try slurm("squeue -h -o %i").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            Thread.sleep(forTimeInterval: 1)
        }
        let queue = try slurm("squeue")
        XCTFail("jobs still queued after \(seconds) s:\n" + queue)
    }

    func testEmittedScriptRunsTheDemoSetAndStatusFinishesACancelledShard() throws {
        let tool = try spotcheckExecutable()
        let demo = try demoFolder()
        let scratch = try scratchDirectory(self)
        let run = scratch.appendingPathComponent("run"), plan = run.appendingPathComponent("plan.json")
        let planned = try runTool(tool, ["plan", "--images", demo.path, "--shards", "4", "--out", run.path, "--extractors", "mobilenet_v2",
                                         "--classifiers", classifiers, "--emit", "slurm", "--threads", "1", "--max-array-size", "3"])
        XCTAssertEqual(planned.status, 0, planned.stderr)

        // Submitted while the partition is down, so that shard 2's task can be cancelled before it runs.
        _ = try slurm("scontrol update PartitionName=debug State=DOWN")
        let submitted = try slurm("bash '\(run.path)/slurm/submit.sh'")
        let jobs = submitted.split(whereSeparator: \.isWhitespace).map(String.init).filter { Int($0) != nil }
        XCTAssertEqual(jobs.count, 6, "extract ×2, merge, fit ×2, report: \(submitted)")
        _ = try slurm("scancel \(jobs[0])_2")
        _ = try slurm("scontrol update PartitionName=debug State=UP")
        try waitForTheQueue()

        var status = try runTool(tool, ["status", "--plan", plan.path]).stdout
        XCTAssertTrue(status.contains("extract  3 done, 0 partial, 1 missing (2)"), status)
        XCTAssertTrue(status.contains("merge    0 of 1 stores"), "the merge was cancelled with its dependency:\n\(status)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("final_report.json").path))
        XCTAssertTrue(status.contains("sbatch --array=2 --export=ALL,SPOTCHECK_INDEX_OFFSET=0 '\(run.path)/slurm/extract.sbatch'"), status)

        _ = try slurm("'\(tool)' status --plan '\(plan.path)' --emit slurm | bash")
        try waitForTheQueue()
        status = try runTool(tool, ["status", "--plan", plan.path]).stdout
        let logs = try slurm("tail -n 20 '\(run.path)'/logs/*.out")
        XCTAssertTrue(status.contains("The run is complete."), status + logs)

        let single = scratch.appendingPathComponent("single")
        let whole = try runTool(tool, ["run", "--images", demo.path, "--out", single.path, "--extractors", "mobilenet_v2",
                                       "--classifiers", classifiers])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let reports = try [single, run].map { try runReport($0) }
        func ranking(_ report: [String: Any]) -> [String] {
            ((report["results"] as? [[String: Any]]) ?? []).map { result in
                ["rank", "extractor", "classifier", "accuracy", "cv_scores", "tied_with_best", "p_value_vs_best"]
                    .map { "\(result[$0] ?? "-")" }.joined(separator: " ")
            }
        }
        XCTAssertEqual(ranking(reports[1]), ranking(reports[0]))
        XCTAssertEqual(ranking(reports[0]).count, 4)
        for key in ["best_model", "best_accuracy"] {
            XCTAssertEqual("\(reports[1][key] ?? "")", "\(reports[0][key] ?? "")", key)
        }
        /// A JSON value as text with sorted keys, for comparing objects.
        func canonical(_ value: Any?) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed]),
                   as: UTF8.self)
        }
        let dataset = reports.map { ($0["dataset"] as? [String: Any]) ?? [:] }
        for key in ["images", "counts_per_class", "skipped", "classes", "root"] {
            XCTAssertEqual(try canonical(dataset[1][key]), try canonical(dataset[0][key]), key)
        }
        let best = reports.map { ($0["best"] as? [String: Any]) ?? [:] }
        for key in ["classifier", "extractor", "accuracy", "confusion_matrix", "per_class", "test_predictions"] {
            XCTAssertEqual(try canonical(best[1][key]), try canonical(best[0][key]), key)
        }
        XCTAssertEqual(try canonical(reports[1]["selection"]), try canonical(reports[0]["selection"]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("best_model.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("final_report.html").path))
    }
}
