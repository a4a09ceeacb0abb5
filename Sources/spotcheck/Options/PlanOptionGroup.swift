import ArgumentParser
import Foundation
import SpotcheckKit

/// `--plan RUN/plan.json`, shared by the steps of a planned run.
struct PlanOptionGroup: ParsableArguments {
    @Option(name: .long, help: "The plan written by `spotcheck plan` (RUN/plan.json).")
    var plan: String

    /// Opens the planned run.
    func run() throws -> ShardedRun {
        try ShardedRun(planFile: URL(fileURLWithPath: plan))
    }
}
