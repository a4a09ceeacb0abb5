import Foundation

/// The one-big-machine way to run a planned run: `RUN/parallel.sh`, which runs the extract
/// tasks and then the fit tasks with GNU parallel, as many at once as the machine's cores allow
/// for the threads each uses, with the merge and the report between and after. Every step skips
/// what is already done, so running the script again finishes an interrupted run.
public enum ParallelScript {
    /// Writes `RUN/parallel.sh`.
    /// - Parameters:
    ///   - run: the planned run.
    ///   - executable: the spotcheck executable (the script's `$SPOTCHECK` overrides it).
    ///   - threads: threads per task; `$JOBS` tasks run at once (default: cores ÷ threads).
    ///   - copy: merge into one real file instead of a virtual dataset.
    /// - Returns: the script's URL.
    /// - Throws: `ShardedRunError.notWritable`.
    @discardableResult
    public static func write(for run: ShardedRun, executable: String, threads: Int, copy: Bool) throws -> URL {
        let plan = ShellScript.quoted(run.planFile.path)
        let logs = ShellScript.quoted(run.folder.appendingPathComponent("logs").path)
        let threads = max(1, threads)
        let each = "parallel --will-cite --quote --halt soon,fail=1 --jobs \"$JOBS\""
        let text = """
            #!/bin/bash
            # Runs the planned run \(run.folder.path) on this machine with GNU parallel: the \(run.plan.shards) extract
            # tasks, the merge, the \(run.plan.pairs.count) fit tasks and the report, $JOBS tasks of \(threads) thread(s) at once.
            # Every step skips what is done: run this script again to finish an interrupted run.
            # Written by `spotcheck plan --emit parallel`.
            set -euo pipefail
            SPOTCHECK=${SPOTCHECK:-\(ShellScript.quoted(executable))}
            JOBS=${JOBS:-$(( $(nproc) / \(threads) > 0 ? $(nproc) / \(threads) : 1 ))}
            mkdir -p \(logs)
            \(each) --joblog \(logs)/extract.joblog "$SPOTCHECK" extract --plan \(plan) --threads \(threads) --shard {} ::: $(seq 0 \(run.plan.shards - 1))
            "$SPOTCHECK" merge --plan \(plan)\(copy ? " --copy" : "")
            OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-\(threads)} \(each) --joblog \(logs)/fit.joblog "$SPOTCHECK" fit --plan \(plan) --pair {} ::: $(seq 0 \(run.plan.pairs.count - 1))
            "$SPOTCHECK" report --plan \(plan)

            """
        let url = run.folder.appendingPathComponent("parallel.sh")
        try ShellScript.write(text, to: url)
        return url
    }
}
