import ArgumentParser
import SpotcheckKit

/// The `spotcheck` command: pretrained CNN features → HDF5 feature stores → a spot-check of
/// classic classifiers → `reports/final_report.json`. It parses arguments, calls SpotcheckKit
/// and prints; the work itself is the library's.
@main
struct Spotcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotcheck",
        abstract: "Find the best pretrained-CNN × classic-classifier pair for a folder of labelled images.",
        version: SpotcheckVersion.current,
        subcommands: [
            RunCommand.self,
            PredictCommand.self,
            TrainCommand.self,
            IncrementalCommand.self,
            RotationsCommand.self,
            InspectCommand.self,
            ExportCSVCommand.self,
            ModelsCommand.self,
            ClassifyCommand.self,
            PlanCommand.self,
            ExtractCommand.self,
            MergeCommand.self,
            FitCommand.self,
            ReportCommand.self,
            StatusCommand.self,
        ]
    )

    /// Runs the command, with the network's threads waiting passively (``OpenMPWaiting``).
    static func main() {
        OpenMPWaiting.restartWithPassiveWaitingUnlessChosen()
        main(nil)
    }
}
