import ArgumentParser

/// `spotcheck-bench …`: throughput measurements behind the figures in BENCHMARKS.md, kept apart
/// from the shipped tool. Each subcommand measures one hot path next to its ceiling, as medians
/// of repeated runs.
@main
struct SpotcheckBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotcheck-bench",
        abstract: "Measure throughput of a hot path (results as medians; see BENCHMARKS.md).",
        subcommands: [
            BenchModelCommand.self,
            DecodeBench.self,
            StoreBench.self,
            WeightsBench.self,
            ClassifierBench.self,
            IncrementalBench.self,
        ]
    )
}
