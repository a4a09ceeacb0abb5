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
        DIR holds one sub-folder of images per class (or the cookbook's DIR/images/<class>/). \
        Features go to one HDF5 store per backbone and layout (reused while the dataset is unchanged, \
        resumed after an interruption); every classifier is scored on the same seeded, stratified split, \
        which keeps the copies of one photo together when DIR/sources.csv (or --groups) names them; \
        the answer goes to OUT/final_report.json and OUT/final_report.html, and the winner to \
        OUT/best_model.json for `spotcheck predict`.
        """)

    @Option(name: .long, help: "The dataset folder.")
    var images: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: "Spot-check existing feature files (ours or the cookbook's h5py files) instead of images.")
    var features: [String] = []

    @Option(name: .long, help: "Comma-separated backbones (default: all; see `spotcheck models`), each optionally with its own layout, e.g. mobilenet_v2:flat.")
    var extractors: String?

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated feature layouts: avg (global average), grid (2×2 average grid; gridS for S×S) or flat (the whole last map).",
        discussion: "Each backbone × layout is one extractor in the grid and the report, e.g. mobilenet_v2:flat, with its own feature store."))
    var layouts: String = "avg"

    @Option(name: .long, help: "How images are made square: crop (resize and centre-crop; default), squash (resize to the square, ignoring aspect) or pad (letterbox on the mean colour).",
            transform: { text in
                guard let fit = Preprocessing.Fit(rawValue: text) else {
                    throw ValidationError("--fit must be crop, squash or pad, got \(text)")
                }
                return fit
            })
    var fit: Preprocessing.Fit = .crop

    @Option(name: .long, help: "CSV with file and source columns naming the source photo of each image, so copies of one photo stay on one side of every split (default: DIR/sources.csv when present, as `spotcheck rotations` writes it).")
    var groups: String?

    @Option(name: .long, help: "Comma-separated classifiers, each NAME, NAME-<value> or NAME:param=value,… (e.g. SVC:C=10,gamma=0.001); default: the whole grid (see --list).")
    var classifiers: String?

    @Option(name: .long, help: "The classifier grid when --classifiers is not given: default (every family, fast), cookbook (the cookbook's 40 entries) or full (both).")
    var grid: String = ClassifierGrid.default.rawValue

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

    @Flag(name: .long, help: "List the backbones, layouts and classifiers, then exit.")
    var list = false

    func validate() throws {
        guard list || (images != nil) != !features.isEmpty else {
            throw ValidationError("give either the dataset folder with --images DIR or feature files with --features A.h5 …")
        }
        guard testFraction > 0, testFraction < 1 else { throw ValidationError("--test-fraction must be between 0 and 1") }
        guard batch > 0, threads > 0 else { throw ValidationError("--batch and --threads must be positive") }
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2") }
        do { _ = try ClassifierGrid(parsing: grid) } catch { throw ValidationError("--grid: \(error)") }
        for name in layouts.split(separator: ",") {
            do { _ = try FeatureLayout(parsing: name.trimmingCharacters(in: .whitespaces)) } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() throws {
        if list {
            print("Backbones:   " + BackboneRegistry.names.joined(separator: ", "))
            print("Layouts:     avg, grid (2×2), gridS (S×S, S in 1…16), flat")
            print("Grids:       " + ClassifierGrid.allCases.map { "\($0.rawValue) (\($0.specs.count))" }.joined(separator: ", "))
            print("Classifiers: NAME, NAME-<value> or NAME:param=value,… (input standardised where marked *)")
            for family in ClassifierFamily.allCases {
                print("  " + (family.usage + (family.standardized ? " *" : "")).padding(toLength: 34, withPad: " ", startingAt: 0)
                      + family.summary)
                if !family.parameters.isEmpty {
                    print(String(repeating: " ", count: 36)
                          + family.parameters.map { "\($0.name)=\($0.defaultValue) (\($0.kind.accepted))" }.joined(separator: ", "))
                }
            }
            return
        }
        let plan = try RunPlan(command: self)
        try plan.execute()
    }
}
