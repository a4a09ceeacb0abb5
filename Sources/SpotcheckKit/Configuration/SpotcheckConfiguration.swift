import ClassicML
import Extractor
import Foundation

/// Everything a spot-check needs to know before it starts: where the features come from, which
/// recipes and classifiers, how to split, and where the outputs go.
public struct SpotcheckConfiguration: Sendable {
    /// Where the features come from.
    public enum Source: Sendable, Equatable {
        /// A labelled image folder (`DIR/<class>/*` or the cookbook's `DIR/images/<class>/*`).
        case images(URL)
        /// Feature files made earlier, by spotcheck or by the cookbook's h5py code.
        case featureFiles([URL])
    }

    /// Where the features come from.
    public var source: Source
    /// The recipes run over an image folder (ignored for feature files).
    public var recipes: [FeatureRecipe]
    /// Weights files named for backbones, by backbone name (see `FeatureRecipe.weightsFiles(in:)`);
    /// the other backbones' weights are looked up where they are kept.
    public var weightsFiles: [String: URL] = [:]
    /// The classifiers scored on every extractor.
    public var classifiers: [ClassifierSpec]
    /// The split.
    public var split: SplitOptions
    /// A CSV naming each image's source photo (`file`, `source` columns); nil: `DIR/sources.csv`
    /// when the image folder has one.
    public var groupsFile: URL?
    /// Where the reports and the saved winner go.
    public var outputFolder: URL
    /// Where the feature stores go (nil: `outputFolder/features`).
    public var storeFolder: URL?
    /// Images per network batch.
    public var batchSize: Int
    /// Threads for decoding and the networks.
    public var threads: Int
    /// The command line recorded in the report.
    public var command: [String]

    /// A configuration with spotcheck's defaults: every backbone `scripts/setup` fetches, with the `avg` layout and a
    /// centre crop, the default classifier grid, an 80/20 split with seed 42, outputs in
    /// `reports/`.
    /// - Parameter source: where the features come from.
    public init(_ source: Source) {
        self.source = source
        recipes = BackboneRegistry.defaultNames.map { FeatureRecipe(backbone: $0) }
        classifiers = ClassifierGrid.default.specs
        split = SplitOptions()
        outputFolder = URL(fileURLWithPath: "reports")
        batchSize = 16
        threads = ProcessInfo.processInfo.activeProcessorCount
        command = []
    }

    /// The folder the feature stores go to.
    public var resolvedStoreFolder: URL { storeFolder ?? outputFolder.appendingPathComponent("features") }
}
