import ClassicML
import Extractor
import Foundation

/// A spot-check planned to run as separate processes — the tasks of a cluster's job array, or
/// jobs of GNU parallel on one big machine — as `RUN/plan.json`: the images (listed in
/// `RUN/manifest.tsv`, with the fingerprint of that list), how many shards they are cut into,
/// the recipes and classifiers and every extractor × classifier pair, and the split. Every later
/// step reads it, so every task works on the same plan.
public struct RunPlan: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning or disappears.
    public static let currentFormat = 1

    /// One recipe: its name in reports, what makes it, and its store's name.
    public struct Recipe: Codable, Sendable, Equatable {
        /// The extractor's name in reports, e.g. `mobilenet_v2:grid2`.
        public var name: String
        /// The backbone.
        public var backbone: String
        /// The layout's name (`avg`, `grid2`, `flat`).
        public var layout: String
        /// How images are made square (`crop`, `squash`, `pad`).
        public var fit: String
        /// The store's name without `.h5`.
        public var store: String
    }

    /// One extractor × classifier pair: one `fit` task.
    public struct Pair: Codable, Sendable, Equatable {
        /// The result's name, `<store>+<classifier>`.
        public var name: String
        /// The extractor's name.
        public var extractor: String
        /// The classifier's name.
        public var classifier: String
    }

    /// The format of this file.
    public var format: Int
    /// The spotcheck version that made the plan.
    public var toolVersion: String
    /// When the plan was made (ISO 8601).
    public var createdAt: String
    /// The dataset root at plan time; a task may be given its own copy instead.
    public var imageFolder: String
    /// How the folder was laid out (`DIR/<class>/<file>` or the cookbook's).
    public var datasetLayout: String
    /// Class names, by label.
    public var classes: [String]
    /// Images in the manifest.
    public var images: Int
    /// The number of shards.
    public var shards: Int
    /// The SHA-256 of the manifest: what the images are, whatever their modification times.
    public var fingerprint: String
    /// The recipes, in report order.
    public var recipes: [Recipe]
    /// The classifiers, in report order.
    public var classifiers: [String]
    /// Every recipe × classifier, recipe-major: pair `k` is `fit` task `k`.
    public var pairs: [Pair]
    /// Share of each class held out for testing.
    public var testFraction: Double
    /// Seed of the split, the folds and randomised classifiers.
    public var seed: UInt64
    /// Cross-validation folds on the training rows that rank the pairs (0: none).
    public var folds: Int
    /// Repeats of the cross-validation.
    public var repeats: Int
    /// The copy of the source-groups CSV in the run folder, when the split is grouped.
    public var groupsFile: String?
    /// Files left out when the images were discovered, with their reasons.
    public var skipped: [SkippedFile]
    /// Problems found when the images were discovered.
    public var warnings: [String]
    /// Seconds spent discovering and hashing the images.
    public var planningSeconds: Double

    enum CodingKeys: String, CodingKey {
        case format, classes, images, shards, fingerprint, recipes, classifiers, pairs, seed, folds, repeats, skipped, warnings
        case toolVersion = "tool_version", createdAt = "created_at", imageFolder = "image_folder"
        case datasetLayout = "dataset_layout", testFraction = "test_fraction", groupsFile = "groups_file"
        case planningSeconds = "planning_seconds"
    }

    /// The recipes as the extraction takes them.
    /// - Throws: `ShardedRunError.planUnreadable` for a recipe spotcheck cannot make.
    public func featureRecipes(file: String) throws -> [FeatureRecipe] {
        try recipes.map { recipe in
            guard let fit = Preprocessing.Fit(rawValue: recipe.fit), let layout = try? FeatureLayout(parsing: recipe.layout),
                  BackboneRegistry.names.contains(recipe.backbone) else {
                throw ShardedRunError.planUnreadable(path: file, reason: "the recipe \(recipe.name) is not one spotcheck can make")
            }
            return FeatureRecipe(backbone: recipe.backbone, layout: layout, fit: fit)
        }
    }

    /// The plan's recipe entries for `recipes`.
    static func entries(_ recipes: [FeatureRecipe]) -> [Recipe] {
        recipes.map { Recipe(name: $0.name, backbone: $0.backbone, layout: $0.layout.name, fit: $0.fit.rawValue, store: $0.storeName) }
    }

    /// Every recipe × classifier, recipe-major.
    static func pairs(_ recipes: [Recipe], classifiers: [String]) -> [Pair] {
        recipes.flatMap { recipe in
            classifiers.map { Pair(name: "\(recipe.store)+\($0)", extractor: recipe.name, classifier: $0) }
        }
    }

    /// The split options of the plan, as ``SpotcheckRun`` takes them.
    public var splitOptions: SplitOptions {
        SplitOptions(testFraction: testFraction, seed: seed, folds: folds, repeats: repeats)
    }

    /// Checks what a damaged or hand-edited plan could get wrong before anything uses it.
    /// - Throws: `ShardedRunError.planUnreadable` saying what is wrong.
    func validate(file: String) throws {
        func bad(_ reason: String) -> ShardedRunError { .planUnreadable(path: file, reason: reason) }
        guard format == Self.currentFormat else { throw bad("it is in format \(format); this spotcheck reads format \(Self.currentFormat)") }
        guard classes.count >= 2, Set(classes).count == classes.count else { throw bad("it needs two or more distinct classes") }
        guard images >= 1, (1...images).contains(shards) else { throw bad("it cuts \(images) images into \(shards) shards") }
        guard !recipes.isEmpty, !classifiers.isEmpty else { throw bad("it has no recipes or no classifiers") }
        guard Self.entries(try featureRecipes(file: file)) == recipes else { throw bad("its recipes' names do not match what they make") }
        guard pairs == Self.pairs(recipes, classifiers: classifiers) else { throw bad("its pairs are not every recipe × classifier") }
        guard testFraction > 0, testFraction < 1, folds == 0 || folds >= 2, repeats >= 1 else {
            throw bad("its split settings are out of range")
        }
        for name in classifiers { _ = try ClassifierSpec(parsing: name) }
        if let groupsFile, groupsFile.contains("/") { throw bad("its groups file must sit in the run folder") }
    }
}
