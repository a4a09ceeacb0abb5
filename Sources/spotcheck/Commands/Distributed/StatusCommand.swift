import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck status`: which steps of a planned run are done, and the commands that finish it.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show which shards and pairs of a planned run are done, and how to finish it.",
        discussion: """
        The files are the record (Slurm forgets finished jobs). When RUN/slurm/ exists, prints the \
        sbatch commands that submit just what is missing, each step after the one before; with \
        --emit slurm prints only those commands, as a script: `spotcheck status --plan P --emit slurm | bash`.
        """)

    @OptionGroup var plan: PlanOptionGroup

    @Option(name: .long, help: "Print only the script that finishes the run on this scheduler (slurm).")
    var emit: PlanCommand.Scheduler?

    func run() throws {
        let run = try plan.run()
        let progress = run.status()
        if emit == .slurm {
            return print(run.remainingSubmission(progress) ?? "# the run is complete\n", terminator: "")
        }
        func list(_ indices: [Int]) -> String { indices.isEmpty ? "" : " (" + SlurmScripts.rangeList(indices) + ")" }
        let mismatched = progress.mismatchedShards
        print("plan     \(run.planFile.path): \(run.plan.images) images, \(run.plan.shards) shards, \(run.plan.pairs.count) pairs")
        print("extract  \(run.plan.shards - progress.unfinishedShards.count) done, "
              + "\(progress.partialShards.count) partial\(list(progress.partialShards)), "
              + "\(progress.missingShards.count) missing\(list(progress.missingShards))"
              + (mismatched.isEmpty ? "" : ", \(mismatched.count) of another plan\(list(mismatched))"))
        print("merge    \(progress.merged.filter { $0 }.count) of \(progress.merged.count) stores, split \(progress.splitWritten ? "written" : "missing")")
        print("fit      \(run.plan.pairs.count - progress.unfinishedPairs.count) of \(run.plan.pairs.count) pairs done\(list(progress.unfinishedPairs))")
        print("report   \(progress.reportWritten ? "written" : "missing")")
        guard let stage = progress.nextStage else { return print("The run is complete.") }
        if FileManager.default.fileExists(atPath: SlurmScripts.folder(of: run).path) {
            let jobs = run.remainingJobs(progress).filter { $0.stage == stage }
            print("\nNext: \(stage.rawValue). Just the missing part: " + jobs.map(\.commandLine).joined(separator: "; "))
            print("It and every later step, each after the one before:\n  spotcheck status --plan \(run.planFile.path) --emit slurm | bash")
        } else if FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("parallel.sh").path) {
            print("\nNext: \(stage.rawValue). Run \(run.folder.appendingPathComponent("parallel.sh").path) again: it skips what is done.")
        } else {
            print("\nNext: spotcheck \(stage.rawValue) --plan \(run.planFile.path)" + (stage == .extract ? " --shard I" : stage == .fit ? " --pair K" : ""))
        }
    }
}
