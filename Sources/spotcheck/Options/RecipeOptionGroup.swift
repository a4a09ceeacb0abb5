import ArgumentParser
import ClassicML
import Extractor
import Foundation
import SpotcheckKit

/// What a spot-check runs — `--extractors`, `--layouts`, `--fit`, `--classifiers` or `--grid`, `--groups`,
/// the split, `--folds` and `--repeats` — shared by `run` and `plan`, and the library
/// configuration they make.
struct RecipeOptionGroup: ParsableArguments {
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

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated classifiers instead of a grid, each NAME, NAME-<value> or NAME:param=value,… (see `spotcheck run --list`).",
        discussion: "E.g. SVC:C=10,gamma=0.001,KNeighborsClf:k=9,weights=distance,LinearSVC-0.01."))
    var classifiers: String?

    @Option(name: .long, help: "The classifier grid: default (every family once, fast), cookbook (the cookbook's 40 entries, its names) or full (both).")
    var grid: ClassifierGrid?

    @OptionGroup var split: SplitOptionGroup

    @Option(name: .long, help: ArgumentHelp(
        "Cross-validation folds on the training rows that rank the pairs (0: rank by the test split alone).",
        discussion: "The winner is the best cross-validated mean; its accuracy on the untouched test split is the honest estimate. A class too small for K folds gets the largest K that works."))
    var folds: Int = 5

    @Option(name: .long, help: "Repeats of the K-fold cross-validation, each with its own seed (steadier rankings on small sets).")
    var repeats: Int = 1

    func validate() throws {
        guard folds == 0 || (2...100).contains(folds) else { throw ValidationError("--folds must be 0 or between 2 and 100, got \(folds)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100, got \(repeats)") }
        _ = try layoutList()
        guard grid == nil || classifiers == nil else { throw ValidationError("give either --grid or --classifiers, not both") }
        if let classifiers {
            do { _ = try ClassifierSpec.list(parsing: classifiers) } catch { throw ValidationError("--classifiers: \(error)") }
        }
    }

    /// The configuration of a spot-check of `source` (recipes only for an image folder).
    func configuration(_ source: SpotcheckConfiguration.Source) throws -> SpotcheckConfiguration {
        var configuration = SpotcheckConfiguration(source)
        if case .images = source {
            let names = extractors.map(Self.list) ?? BackboneRegistry.defaultNames
            // Parsed once: an entry with a file reads the file's first bytes to learn its framework.
            let entries = try names.map(ExtractorEntry.init(parsing:))
            configuration.recipes = FeatureRecipe.expand(entries, layouts: try layoutList(), fit: fit)
            configuration.weightsFiles = try FeatureRecipe.weightsFiles(in: entries)
            for entry in entries where entry.backbone != entry.requestedBackbone {
                Terminal.note("note: \(entry.path ?? "") is another framework's file than \(entry.requestedBackbone)'s: "
                              + "running \(entry.backbone), that framework's network, with its own preprocessing")
            }
        }
        configuration.classifiers = try classifiers.map(ClassifierSpec.list(parsing:)) ?? (grid ?? .default).specs
        configuration.split = split.options(folds: folds, repeats: repeats)
        configuration.groupsFile = groups.map { URL(fileURLWithPath: $0) }
        configuration.command = CommandLine.arguments
        return configuration
    }

    private func layoutList() throws -> [FeatureLayout] {
        do { return try Self.list(layouts).map { try FeatureLayout(parsing: $0) } } catch let error as FeatureLayoutError {
            throw ValidationError(error.description)
        }
    }

    /// `a, b,c` → `["a", "b", "c"]`.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension Preprocessing.Fit: ExpressibleByArgument {}
