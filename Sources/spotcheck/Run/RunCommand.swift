import ArgumentParser
import ClassicML
import Extractor
import FeatureStore
import Foundation

/// `spotcheck run`: extract → store → spot-check → report, end to end.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Spot-check every backbone × classifier pair on a folder of labelled images.",
        discussion: """
        DIR holds one sub-folder of images per class (or the cookbook's DIR/images/<class>/).
        Features go to one HDF5 store per backbone (reused while the dataset is unchanged, resumed
        after an interruption); every classifier is scored on the same seeded, stratified split;
        the answer goes to OUT/final_report.json and OUT/final_report.html, and the winner to
        OUT/best_model.json for `spotcheck predict`.
        """)

    @Option(name: .long, help: "The dataset folder.")
    var images: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: "Spot-check existing feature files (ours or the cookbook's h5py files) instead of images.")
    var features: [String] = []

    @Option(name: .long, help: "Comma-separated backbones (default: all; see `spotcheck models`).")
    var extractors: String?

    @Option(name: .long, help: "Comma-separated classifiers (default: the whole grid; see --list).")
    var classifiers: String?

    @Option(name: .long, help: "Share of each class held out for testing.")
    var testFraction: Double = 0.2

    @Option(name: .long, help: "Also report K-fold cross-validated accuracy.")
    var folds: Int?

    @Option(name: .long, help: "Seed of every random choice.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Folder for the reports and the saved winner.")
    var out: String = "reports"

    @Option(name: .long, help: "Folder for the feature stores (default: OUT/features).")
    var cache: String?

    @Option(name: .long, help: "Images per network batch.")
    var batch: Int = 16

    @Option(name: .long, help: "Threads for decoding and the networks.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "List the backbones and classifiers, then exit.")
    var list = false

    func validate() throws {
        guard list || (images != nil) != !features.isEmpty else {
            throw ValidationError("give either the dataset folder with --images DIR or feature files with --features A.h5 …")
        }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
        guard batch > 0, threads > 0 else { throw ValidationError("--batch and --threads must be positive") }
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2") }
    }

    func run() throws {
        if list {
            print("Backbones:   " + BackboneRegistry.names.joined(separator: ", "))
            print("Classifiers: " + ClassifierGrid.defaultEntries(seed: seed).map(\.name).joined(separator: ", "))
            return
        }
        let plan = try RunPlan(command: self)
        try plan.execute()
    }
}
