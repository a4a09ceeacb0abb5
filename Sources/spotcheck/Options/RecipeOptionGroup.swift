import ArgumentParser
import ClassicML
import Extractor
import Foundation
import SpotcheckKit

/// What a spot-check runs over an image folder — `--extractors`, `--layouts`, `--fit`,
/// `--classifiers`, `--groups`, the split and `--folds` — and the library configuration they make.
struct RecipeOptionGroup: ParsableArguments {
    @Option(name: .long, help: "Comma-separated backbones (default: all; see `spotcheck models`), each optionally with its own layout, e.g. mobilenet_v2:flat.")
    var extractors: String?

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated feature layouts: avg (global average), grid (2×2 average grid; gridS for S×S) or flat (the whole last map).",
        discussion: "Each backbone × layout is one extractor in the grid and the report, e.g. mobilenet_v2:flat, with its own feature store."))
    var layouts: String = "avg"

    @Option(name: .long, help: "How images are made square: crop (resize and centre-crop; default), squash (resize to the square, ignoring aspect) or pad (letterbox on the mean colour).")
    var fit: Preprocessing.Fit = .crop

    @Option(name: .long, help: "CSV with file and source columns naming the source photo of each image, so copies of one photo stay on one side of every split (default: DIR/sources.csv when present, as `spotcheck rotations` writes it).")
    var groups: String?

    @Option(name: .long, help: "Comma-separated classifiers (default: the whole grid; see `spotcheck run --list`).")
    var classifiers: String?

    @OptionGroup var split: SplitOptionGroup

    @Option(name: .long, help: "Also report K-fold cross-validated accuracy.")
    var folds: Int?

    func validate() throws {
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2") }
        _ = try layoutList()
    }

    /// The configuration of a spot-check of the image folder `images`.
    func configuration(images: String) throws -> SpotcheckConfiguration {
        var configuration = SpotcheckConfiguration(.images(URL(fileURLWithPath: images)))
        let names = extractors.map(Self.list) ?? BackboneRegistry.names
        configuration.recipes = try FeatureRecipe.expand(names, layouts: try layoutList(), fit: fit)
        configuration.classifiers = try classifiers.map { try ClassifierGrid.entries(named: Self.list($0), seed: split.seed) }
            ?? ClassifierGrid.defaultEntries(seed: split.seed)
        configuration.split = split.options(folds: folds)
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
