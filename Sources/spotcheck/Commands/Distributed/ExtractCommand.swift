import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck extract`: one shard of a planned run.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract one shard of a planned run (one job-array task).",
        discussion: """
        Shard I holds rows [n·I/N, n·(I+1)/N) of RUN/manifest.tsv; its stores go to \
        RUN/features/<store>.shards/shard-IIIII-of-NNNNN.h5 and its record to RUN/shards/. Without --shard \
        the index comes from SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX (Kubernetes Indexed Job). \
        A finished shard is kept, an interrupted one resumed: resubmitting is harmless. Images that \
        cannot be decoded are recorded, not a failure.
        """)

    @OptionGroup var plan: PlanOptionGroup

    @Option(name: .long, help: "The shard (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX).")
    var shard: Int?

    @Option(name: .long, help: "This machine's copy of the dataset folder (default: the plan's).")
    var images: String?

    @OptionGroup var compute: ComputeOptionGroup

    func run() throws {
        let observer = TerminalObserver()
        let record = try Advice.adding(for: .extract) {
            let run = try plan.run()
            let index = try ShardedRun.taskIndex(given: shard, what: "shard")
            return try run.extract(shard: index, imageFolder: images.map { URL(fileURLWithPath: $0) },
                                   batchSize: compute.batch, threads: compute.threads, observer: observer)
        }
        for extraction in record.extractions {
            let how = extraction.cached ? "kept" : extraction.resumed ? "resumed" : "extracted"
            print("\(extraction.extractor): \(extraction.rows) rows \(how) → \(extraction.featureFile)")
        }
        print(String(format: "Shard %d of %d: %d images, %d skipped, %.1f s", record.shard, record.shards, record.images,
                     record.skipped.count, record.seconds))
    }
}
