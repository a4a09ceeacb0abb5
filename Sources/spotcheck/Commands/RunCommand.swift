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

    @Option(name: .long, help: "Comma-separated backbones (default: the five scripts/setup fetches; see `spotcheck models`), each optionally with its own layout and weights file, e.g. mobilenet_v2:flat or resnet50=~/resnet50.pth.")
    var extractors: String?

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated feature layouts: avg (global average), grid (2×2 average grid; gridS for S×S) or flat (the whole last map).",
        discussion: "Each backbone × layout is one extractor in the grid and the report, e.g. mobilenet_v2:flat, with its own feature store."))
    var layouts: String = "avg"

    @Option(name: .long, help: "How images are made square: crop (resize and centre-crop; default), squash (resize to the square, ignoring aspect) or pad (letterbox on the mean colour).")
    var fit: Preprocessing.Fit = .crop

    @Option(name: .long, help: "CSV with file and source columns naming the source photo of each image, so copies of one photo stay on one side of every split (default: DIR/sources.csv when present, as `spotcheck rotations` writes it).")
    var groups: String?

    @Option(name: .long, help: "Comma-separated classifiers (default: the whole grid; see --list).")
    var classifiers: String?

    @OptionGroup var split: SplitOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "Cross-validation folds on the training rows that rank the pairs (0: rank by the test split alone).",
        discussion: "The winner is the best cross-validated mean; its accuracy on the untouched test split is the honest estimate. A class too small for K folds gets the largest K that works."))
    var folds: Int = 5

    @Option(name: .long, help: "Repeats of the K-fold cross-validation, each with its own seed (steadier rankings on small sets).")
    var repeats: Int = 1

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

    @Flag(name: .long, help: "List the backbones, layouts and classifiers, then exit.")
    var list = false

    func validate() throws {
        guard list || (images != nil) != !features.isEmpty else {
            throw ValidationError("give either the dataset folder with --images DIR or feature files with --features A.h5 …")
        }
        guard folds == 0 || (2...100).contains(folds) else { throw ValidationError("--folds must be 0 or between 2 and 100, got \(folds)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100, got \(repeats)") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        _ = try layoutList()
    }

    func run() throws {
        if list {
            print("Backbones:   " + BackboneRegistry.names.joined(separator: ", "))
            print("Layouts:     avg, grid (2×2), gridS (S×S, S in 1…16), flat")
            print("Classifiers: " + ClassifierGrid.defaultEntries(seed: split.seed).map(\.name).joined(separator: ", "))
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
        var configuration = SpotcheckConfiguration(
            features.isEmpty ? .images(URL(fileURLWithPath: images ?? ".")) : .featureFiles(features.map { URL(fileURLWithPath: $0) }))
        if features.isEmpty {
            let names = extractors.map(Self.list) ?? BackboneRegistry.defaultNames
            configuration.recipes = try FeatureRecipe.expand(names, layouts: try layoutList(), fit: fit)
            configuration.weightsFiles = try FeatureRecipe.weightsFiles(in: names)
        }
        if let classifiers {
            configuration.classifiers = try ClassifierGrid.entries(named: Self.list(classifiers), seed: split.seed)
        } else {
            configuration.classifiers = ClassifierGrid.defaultEntries(seed: split.seed)
        }
        configuration.split = split.options(folds: folds, repeats: repeats)
        configuration.groupsFile = groups.map { URL(fileURLWithPath: $0) }
        configuration.outputFolder = URL(fileURLWithPath: out)
        configuration.storeFolder = cache.map { URL(fileURLWithPath: $0) }
        configuration.batchSize = compute.batch
        configuration.threads = compute.threads
        configuration.command = CommandLine.arguments
        return configuration
    }

    private func layoutList() throws -> [FeatureLayout] {
        do { return try Self.list(layouts).map { try FeatureLayout(parsing: $0) } } catch let error as FeatureLayoutError {
            throw ValidationError(error.description)
        }
    }

    /// `a, b,c` → `["a", "b", "c"]`.
    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Preprocessing.Fit: ExpressibleByArgument {}
