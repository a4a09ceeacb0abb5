import ArgumentParser
import ClassicML
import Extractor
import Foundation
import SpotcheckKit

/// `spotcheck run`: extract → store → spot-check → report, end to end.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Spot-check every backbone × classifier pair on a folder of labelled images.",
        discussion: """
        DIR holds one sub-folder of images per class (or the cookbook's DIR/images/<class>/). \
        Features go to one HDF5 store per backbone and layout (reused while the dataset is unchanged, \
        resumed after an interruption); every classifier is scored on the same seeded, stratified split, \
        which keeps the copies of one photo together when DIR/sources.csv (or --groups) names them; \
        the answer goes to OUT/final_report.json and OUT/final_report.html, and the winner to \
        OUT/best_model.json for `spotcheck predict` (the previous run's files move to OUT/previous/).
        """)

    @Option(name: .long, help: "The dataset folder.")
    var images: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: "Spot-check existing feature files (ours or the cookbook's h5py files) instead of images.")
    var features: [String] = []

    @OptionGroup var spotcheck: RecipeOptionGroup

    @Option(name: .long, help: "Pairs shown in the table on stdout (the report has all of them).")
    var top: Int = 15

    @Flag(name: .long, help: "Print only the verdict, not the table.")
    var quiet = false

    @Option(name: .long, help: "Folder for the reports and the saved winner.")
    var out: String = "reports"

    @Option(name: .long, help: "Folder for the feature stores (default: OUT/features).")
    var cache: String?

    @OptionGroup var compute: ComputeOptionGroup

    @Flag(name: .long, help: "Print every pair's score as it is measured.")
    var verbose = false

    @Flag(name: .long, help: "List the backbones, layouts, grids and classifier families with their parameters, then exit.")
    var list = false

    func validate() throws {
        guard list || (images != nil) != !features.isEmpty else {
            throw ValidationError("give either the dataset folder with --images DIR or feature files with --features A.h5 …")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        if list {
            print("Backbones:   " + BackboneRegistry.names.joined(separator: ", "))
            print("Layouts:     avg, grid (2×2), gridS (S×S, S in 1…16), flat")
            ClassifierListing.lines().forEach { print($0) }
            return
        }
        let observer = TerminalObserver(verbose: verbose)
        let result = try Advice.adding(for: .run) {
            try SpotcheckRun(try configuration(), observer: observer).execute()
        }
        if quiet {
            ResultTable.printVerdict(result.report)
        } else {
            ResultTable.print(result.report, top: top)
        }
        print("Reports: \(result.reportFile.path), \(result.pageFile.path)"
              + (result.modelFile.map { "; model: \($0.path)" } ?? ""))
    }

    /// The library configuration these options describe.
    private func configuration() throws -> SpotcheckConfiguration {
        var configuration = try spotcheck.configuration(
            features.isEmpty ? .images(URL(fileURLWithPath: images ?? ".")) : .featureFiles(features.map { URL(fileURLWithPath: $0) }))
        configuration.outputFolder = URL(fileURLWithPath: out)
        configuration.storeFolder = cache.map { URL(fileURLWithPath: $0) }
        configuration.batchSize = compute.batch
        configuration.threads = compute.threads
        return configuration
    }
}
