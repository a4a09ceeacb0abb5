import Foundation

/// The Slurm side of a planned run, in `RUN/slurm/`: one batch script per step
/// (`extract.sbatch` and `fit.sbatch` are job arrays), and `submit.sh`, which submits them as a
/// chain — extract array → merge (`afterok`, `--kill-on-invalid-dep=yes`) → fit array → report —
/// splitting an array into several jobs where it has more tasks than Slurm's `MaxArraySize`
/// (each job then adds its offset, `SPOTCHECK_INDEX_OFFSET`, to its array index).
public struct SlurmScripts: Sendable {
    /// The spotcheck executable the tasks run (a task may override it with `$SPOTCHECK`).
    public var executable: String
    /// CPUs (threads) per extract and fit task.
    public var threads: Int
    /// Slurm's `MaxArraySize`: array indices must stay below it (default 1001).
    public var maxArraySize: Int
    /// Merge by copying the shards into one file instead of a virtual dataset.
    public var copy: Bool

    /// Scripts for a cluster.
    /// - Parameters:
    ///   - executable: the spotcheck executable, by a path every node can reach.
    ///   - threads: CPUs per extract and fit task.
    ///   - maxArraySize: the cluster's `MaxArraySize` (`scontrol show config`).
    ///   - copy: merge into one real file.
    public init(executable: String, threads: Int, maxArraySize: Int = 1001, copy: Bool = false) {
        self.executable = executable
        self.threads = max(1, threads)
        self.maxArraySize = max(1, maxArraySize)
        self.copy = copy
    }

    /// `RUN/slurm`.
    public static func folder(of run: ShardedRun) -> URL { run.folder.appendingPathComponent("slurm") }

    /// Writes the batch scripts and `submit.sh` (and creates `RUN/logs` for the tasks' output).
    /// - Parameter run: the planned run.
    /// - Returns: `RUN/slurm/submit.sh`.
    /// - Throws: `ShardedRunError.notWritable`, or `.unplannableName` for a run folder whose path
    ///   has whitespace (which `#SBATCH` lines cannot hold).
    @discardableResult
    public func write(for run: ShardedRun) throws -> URL {
        let folder = Self.folder(of: run)
        let logs = run.folder.appendingPathComponent("logs").path
        guard !(run.folder.path + executable).contains(where: \.isWhitespace) else {
            throw ShardedRunError.unplannableName(path: run.folder.path, reason: "Slurm's #SBATCH lines cannot hold whitespace in paths")
        }
        let plan = ShellScript.quoted(run.planFile.path)
        let index = "$(( ${SPOTCHECK_INDEX_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))"
        let steps: [(RunStage, String, String)] = [
            (.extract, "%A_%a", "extract --plan \(plan) --shard \(index) --threads \"${SLURM_CPUS_PER_TASK:-\(threads)}\""),
            (.merge, "%j", "merge --plan \(plan)" + (copy ? " --copy" : "")),
            (.fit, "%A_%a", "fit --plan \(plan) --pair \(index)"),
            (.report, "%j", "report --plan \(plan)"),
        ]
        for (stage, output, command) in steps {
            let perTask = stage == .extract || stage == .fit
            let text = """
                #!/bin/bash
                #SBATCH --job-name=spotcheck-\(stage.rawValue)
                #SBATCH --output=\(logs)/\(stage.rawValue)-\(output).out
                #SBATCH --cpus-per-task=\(perTask ? threads : 1)
                # The \(stage.rawValue) step of the planned run \(run.folder.path)\(perTask ? "; task = SPOTCHECK_INDEX_OFFSET + SLURM_ARRAY_TASK_ID" : "").
                # Written by `spotcheck plan --emit slurm`; submit.sh submits it.
                set -euo pipefail
                export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-\(perTask ? threads : 1)}}
                exec "${SPOTCHECK:-\(executable)}" \(command)

                """
            try ShellScript.write(text, to: folder.appendingPathComponent("\(stage.rawValue).sbatch"))
        }
        do { try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true) } catch {
            throw ShardedRunError.notWritable(path: logs, reason: "\(error)")
        }
        try ShardedRun.write(Data("\(maxArraySize)\n".utf8), to: folder.appendingPathComponent("max-array-size"))
        let submit = folder.appendingPathComponent("submit.sh")
        try ShellScript.write(Self.submission(for: run, from: .extract, shards: Array(0..<run.plan.shards),
                                              pairs: Array(run.plan.pairs.indices), maxArraySize: maxArraySize), to: submit)
        return submit
    }

    /// The `MaxArraySize` the scripts of `run` were written for (1001 when none were).
    public static func maxArraySize(of run: ShardedRun) -> Int {
        let file = folder(of: run).appendingPathComponent("max-array-size")
        return (try? String(contentsOf: file, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1001
    }

    /// One `sbatch` of a submission: a step's batch script, as an array when the step has tasks.
    public struct Job: Sendable, Equatable {
        /// The shell variable holding its job id, e.g. `extract_0`.
        public var name: String
        /// Its step.
        public var stage: RunStage
        /// Its `--array` list and the offset its tasks add, for extract and fit.
        public var array: (list: String, offset: Int)?
        /// The jobs it waits for (`afterok`), by name.
        public var after: [String]
        /// The batch script.
        public var script: String

        /// The `sbatch` command line that submits it alone, without its dependency.
        public var commandLine: String { (["sbatch"] + arguments(dependencies: false)).joined(separator: " ") }

        /// The arguments of `sbatch`, with the dependency on the jobs named in `after` as shell variables.
        func arguments(dependencies: Bool) -> [String] {
            var arguments = [String]()
            if let array { arguments += ["--array=\(array.list)", "--export=ALL,SPOTCHECK_INDEX_OFFSET=\(array.offset)"] }
            if dependencies, !after.isEmpty {
                arguments += ["--dependency=afterok:" + after.map { "$\($0)" }.joined(separator: ":"), "--kill-on-invalid-dep=yes"]
            }
            return arguments + [ShellScript.quoted(script)]
        }

        public static func == (lhs: Job, rhs: Job) -> Bool {
            lhs.name == rhs.name && lhs.stage == rhs.stage && lhs.array?.list == rhs.array?.list
                && lhs.array?.offset == rhs.array?.offset && lhs.after == rhs.after && lhs.script == rhs.script
        }
    }

    /// The jobs that submit the run from `stage` on: the given shards (or pairs) of that stage,
    /// then every later stage, each after the one before succeeded.
    /// - Parameters:
    ///   - run: the planned run (its `RUN/slurm/*.sbatch` are submitted).
    ///   - stage: the first stage to submit.
    ///   - shards: the shards to extract, when `stage` is `.extract`.
    ///   - pairs: the pairs to fit, when `stage` is `.extract`, `.merge` or `.fit`.
    ///   - maxArraySize: Slurm's `MaxArraySize`.
    /// - Returns: the jobs, in submission order.
    public static func jobs(for run: ShardedRun, from stage: RunStage, shards: [Int], pairs: [Int],
                            maxArraySize: Int) -> [Job] {
        var jobs = [Job](), after = [String]()
        for step in RunStage.allCases.drop(while: { $0 != stage }) {
            let script = folder(of: run).appendingPathComponent("\(step.rawValue).sbatch").path
            var added = [Job]()
            switch step {
            case .extract, .fit:
                for (number, array) in arrays(step == .extract ? shards : pairs, maxArraySize: maxArraySize).enumerated() {
                    added.append(Job(name: "\(step.rawValue)_\(number)", stage: step, array: array, after: after, script: script))
                }
            case .merge, .report:
                added.append(Job(name: step.rawValue, stage: step, array: nil, after: after, script: script))
            }
            if !added.isEmpty { after = added.map(\.name) }
            jobs += added
        }
        return jobs
    }

    /// A bash script that submits ``jobs(for:from:shards:pairs:maxArraySize:)``.
    /// - Returns: the script's text.
    public static func submission(for run: ShardedRun, from stage: RunStage, shards: [Int], pairs: [Int],
                                  maxArraySize: Int) -> String {
        let jobs = jobs(for: run, from: stage, shards: shards, pairs: pairs, maxArraySize: maxArraySize)
        let stages = RunStage.allCases.drop(while: { $0 != stage }).map(\.rawValue).joined(separator: " → ")
        let lines = [
            "#!/bin/bash",
            "# Submits the planned run \(run.folder.path) to Slurm: \(stages),",
            "# each step after the one before succeeded (afterok); a failed task cancels the steps after it.",
            "# `spotcheck status --plan \(run.planFile.path)` says what is done and prints the commands that finish the rest.",
            "set -euo pipefail",
            "job() { local id; id=$(sbatch --parsable \"$@\"); echo \"${id%%;*}\"; }",
        ] + jobs.map { "\($0.name)=$(job \($0.arguments(dependencies: true).joined(separator: " ")))" }
            + ["echo \"submitted \(stages): jobs " + jobs.map { "$\($0.name)" }.joined(separator: " ") + "\""]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Job arrays for `indices`, each with indices below `maxArraySize`: the indices are grouped
    /// in blocks of `maxArraySize`, each block one array whose tasks add its offset.
    /// - Parameters:
    ///   - indices: shard or pair indices.
    ///   - maxArraySize: Slurm's `MaxArraySize`.
    /// - Returns: per array, its `--array` list (`0-3,7`) and offset, in index order.
    public static func arrays(_ indices: [Int], maxArraySize: Int) -> [(list: String, offset: Int)] {
        let size = max(1, maxArraySize)
        var blocks = [Int: [Int]]()
        for index in Set(indices) { blocks[index / size * size, default: []].append(index) }
        return blocks.keys.sorted().map { offset in
            (rangeList((blocks[offset] ?? []).map { $0 - offset }), offset)
        }
    }

    /// Indices as Slurm's `--array` writes them: `0-3,7,9-10`.
    /// - Parameter indices: the indices.
    /// - Returns: the list, in increasing order.
    public static func rangeList(_ indices: [Int]) -> String {
        var ranges = [String]()
        var run: (start: Int, end: Int)?
        for value in Set(indices).sorted() {
            if let current = run, value == current.end + 1 { run = (current.start, value); continue }
            if let current = run { ranges.append(current.start == current.end ? "\(current.start)" : "\(current.start)-\(current.end)") }
            run = (value, value)
        }
        if let current = run { ranges.append(current.start == current.end ? "\(current.start)" : "\(current.start)-\(current.end)") }
        return ranges.joined(separator: ",")
    }
}
