import Extractor
import Foundation

/// How one feature store is made: a backbone, the layout its last feature map is stored in, and
/// how images are made square. Each recipe is one extractor of the spot-check, with its own name
/// in the report and its own store.
public struct FeatureRecipe: Hashable, Sendable, CustomStringConvertible {
    /// The backbone, e.g. `mobilenet_v2`.
    public var backbone: String
    /// How the feature map becomes a row.
    public var layout: FeatureLayout
    /// How images are made square.
    public var fit: Preprocessing.Fit

    /// A recipe; the backbone is not looked up here (see ``expand(_:layouts:fit:)``).
    /// - Parameters:
    ///   - backbone: the backbone's name.
    ///   - layout: how the feature map becomes a row (default: global average).
    ///   - fit: how images are made square (default: centre crop).
    public init(backbone: String, layout: FeatureLayout = .average, fit: Preprocessing.Fit = .crop) {
        self.backbone = backbone
        self.layout = layout
        self.fit = fit
    }

    /// The extractor's name in reports: the backbone alone for the default `avg` layout, else
    /// `backbone:layout`, e.g. `mobilenet_v2:flat`. (The fit is named by the store, not here.)
    public var name: String { layout == .average ? backbone : "\(backbone):\(layout.name)" }

    /// Same as ``name``.
    public var description: String { name }

    /// The store's file name: `mobilenet_v2.h5`, `mobilenet_v2-grid2.h5`, `mobilenet_v2-flat-pad.h5`,
    /// so stores of different layouts or fits never share a file.
    public var storeFileName: String { storeName + ".h5" }

    /// ``storeFileName`` without `.h5`: `mobilenet_v2`, `mobilenet_v2-flat-pad`.
    public var storeName: String {
        [backbone, layout == .average ? nil : layout.name, fit == .crop ? nil : fit.rawValue]
            .compactMap { $0 }.joined(separator: "-")
    }

    /// The recipes grouped into network passes: one per backbone and fit, serving all of its
    /// layouts, in the order the recipes first name them.
    /// - Parameter recipes: the recipes.
    /// - Returns: the passes, each non-empty.
    public static func passes(_ recipes: [FeatureRecipe]) -> [[FeatureRecipe]] {
        var passes = [[FeatureRecipe]]()
        for recipe in recipes {
            if let index = passes.firstIndex(where: { $0[0].backbone == recipe.backbone && $0[0].fit == recipe.fit }) {
                passes[index].append(recipe)
            } else {
                passes.append([recipe])
            }
        }
        return passes
    }

    /// The recipes of a list of extractor entries × layouts: an entry written `backbone:layout`
    /// keeps its own layout, a bare backbone gets each of `layouts`; duplicates are dropped. A
    /// weights file named as `backbone=PATH` (or `backbone:layout=PATH`) is not part of the
    /// recipe (see ``weightsFiles(in:)``), but its framework can choose the backbone (see
    /// ``ExtractorEntry``).
    /// - Parameters:
    ///   - entries: backbone names, each optionally with `:layout` and `=PATH`.
    ///   - layouts: the layouts for bare names.
    ///   - fit: how images are made square, for all of them.
    /// - Returns: the recipes in the order given.
    /// - Throws: as ``ExtractorEntry/init(parsing:)``.
    public static func expand(_ entries: [String], layouts: [FeatureLayout],
                              fit: Preprocessing.Fit) throws -> [FeatureRecipe] {
        expand(try entries.map(ExtractorEntry.init(parsing:)), layouts: layouts, fit: fit)
    }

    /// The recipes of parsed extractor entries × layouts, as the entries' text form above.
    /// - Parameters:
    ///   - entries: the entries.
    ///   - layouts: the layouts for entries without their own.
    ///   - fit: how images are made square, for all of them.
    /// - Returns: the recipes in the order given.
    public static func expand(_ entries: [ExtractorEntry], layouts: [FeatureLayout],
                              fit: Preprocessing.Fit) -> [FeatureRecipe] {
        var recipes = [FeatureRecipe]()
        for entry in entries {
            for layout in entry.layout.map({ [$0] }) ?? layouts {
                let recipe = FeatureRecipe(backbone: entry.backbone, layout: layout, fit: fit)
                if !recipes.contains(recipe) { recipes.append(recipe) }
            }
        }
        return recipes
    }

    /// The weights files named in extractor entries written `backbone=PATH` or
    /// `backbone:layout=PATH`, by the backbone that runs them (see ``ExtractorEntry``).
    /// - Parameter entries: extractor entries as ``expand(_:layouts:fit:)`` takes them.
    /// - Returns: each named backbone's file.
    /// - Throws: as ``ExtractorEntry/init(parsing:)``; `SpotcheckError.conflictingWeights` when one
    ///   backbone is given an empty path or two different files.
    public static func weightsFiles(in entries: [String]) throws -> [String: URL] {
        try weightsFiles(in: entries.map(ExtractorEntry.init(parsing:)))
    }

    /// The weights files of parsed extractor entries, as the entries' text form above.
    /// - Parameter entries: the entries.
    /// - Returns: each named backbone's file.
    /// - Throws: `SpotcheckError.conflictingWeights` when one backbone is given an empty path or
    ///   two different files.
    public static func weightsFiles(in entries: [ExtractorEntry]) throws -> [String: URL] {
        var files = [String: URL]()
        for entry in entries where entry.path != nil {
            guard let file = entry.file, files[entry.backbone].map({ $0 == file }) ?? true else {
                throw SpotcheckError.conflictingWeights(backbone: entry.backbone, entries: entries
                    .filter { $0.backbone == entry.backbone }.map(\.text))
            }
            files[entry.backbone] = file
        }
        return files
    }
}
