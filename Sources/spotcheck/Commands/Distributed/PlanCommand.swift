import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck plan`: fixes the images, shards and pairs of a run that other processes carry out.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a spot-check as shards and pairs for a cluster (Slurm, Kubernetes) or GNU parallel.",
        discussion: """
        Discovers the images once and writes RUN/manifest.tsv (path, class, size, SHA-256 of every image, \
        in store order) and RUN/plan.json (classes, recipes, shards, classifiers, pairs, and the manifest's \
        fingerprint, which holds on machines with their own copy of the images). Then: `spotcheck extract \
        --plan RUN/plan.json --shard I` for every shard, `merge`, `fit --pair K` for every pair, `report`. \
        --emit slurm writes RUN/slurm/ (run RUN/slurm/submit.sh on the cluster); --emit parallel writes \
        RUN/parallel.sh for one big machine. RUN must be on a filesystem every task can reach.
        """)

    enum Scheduler: String, ExpressibleByArgument, CaseIterable { case slurm, parallel }

    @Option(name: .long, help: "The dataset folder.")
    var images: String

    @Option(name: .long, help: "How many shards to cut the images into (thousands of images each suit a cluster).")
    var shards: Int

    @Option(name: .long, help: "The run folder, reachable from every task.")
    var out: String

    @OptionGroup var recipes: RecipeOptionGroup

    @Option(name: .long, help: "Also write the scripts that run the plan: slurm (RUN/slurm/submit.sh) or parallel (RUN/parallel.sh).")
    var emit: Scheduler?

    @Option(name: .long, help: "CPUs (threads) per extract and fit task in the emitted scripts; also threads for hashing now.")
    var threads: Int = 4

    @Option(name: .long, help: "Slurm's MaxArraySize (`scontrol show config`): larger arrays are submitted as several jobs.")
    var maxArraySize: Int = 1001

    @Flag(name: .long, help: "Have the emitted scripts merge by copying the shards into one file (for more than ~1,000 shards).")
    var copy = false

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard maxArraySize >= 1 else { throw ValidationError("--max-array-size must be at least 1") }
    }

    func run() throws {
        let observer = TerminalObserver()
        let run = try Advice.adding(for: .plan) {
            try ShardedRun.plan(try recipes.configuration(.images(URL(fileURLWithPath: images))), shards: shards,
                                folder: URL(fileURLWithPath: out), threads: threads, observer: observer)
        }
        print("Plan: \(run.planFile.path) (\(run.plan.images) images, \(run.plan.shards) shards, \(run.plan.recipes.count) recipes, \(run.plan.pairs.count) pairs)")
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        switch emit {
        case .slurm?:
            let submit = try SlurmScripts(executable: executable, threads: threads, maxArraySize: maxArraySize, copy: copy)
                .write(for: run)
            print("Slurm: run \(submit.path) on the cluster; `spotcheck status --plan \(run.planFile.path)` follows it")
        case .parallel?:
            let script = try ParallelScript.write(for: run, executable: executable, threads: threads, copy: copy)
            print("GNU parallel: run \(script.path) (JOBS=n sets the tasks at once)")
        case nil:
            print("Next: spotcheck extract --plan \(run.planFile.path) --shard I, for I = 0 … \(run.plan.shards - 1)")
        }
    }
}
