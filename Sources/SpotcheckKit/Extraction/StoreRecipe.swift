import Extractor
import FeatureStore

/// The attributes that tie a feature store to the recipe and images it was made from: what a
/// store must record to be reused, and how to read a recipe back from a store.
enum StoreRecipe {
    /// The attributes a store of `recipe` must carry to be reused for a dataset: backbone, weights
    /// digest, preprocessing (fit included), layout, fit and the dataset's fingerprint.
    static func identity(of recipe: FeatureRecipe, preprocessing: Preprocessing, weightsSHA256: String,
                         datasetFingerprint: String) -> [String: String] {
        typealias Key = FeatureStoreAttributes.Key
        return [
            Key.extractor: recipe.backbone,
            Key.weightsSHA256: weightsSHA256,
            Key.preprocessing: preprocessing.name,
            Key.layout: recipe.layout.name,
            Key.fit: recipe.fit.rawValue,
            Key.datasetFingerprint: datasetFingerprint,
        ]
    }

    /// Whether `attributes` hold every value of `identity`.
    static func matches(_ attributes: FeatureStoreAttributes, _ identity: [String: String]) -> Bool {
        identity.allSatisfy { attributes.string($0.key) == $0.value }
    }

    /// The recipe that made a store, when one of spotcheck's backbones made it (stores written
    /// before layouts and fits existed mean `avg` and `crop`); nil for other tools' files.
    static func recipe(of attributes: FeatureStoreAttributes) -> FeatureRecipe? {
        guard let backbone = attributes.extractor, BackboneRegistry.names.contains(backbone),
              let layout = try? FeatureLayout(parsing: attributes.layout ?? FeatureLayout.average.name),
              let fit = Preprocessing.Fit(rawValue: attributes.string(FeatureStoreAttributes.Key.fit) ?? "crop")
        else { return nil }
        return FeatureRecipe(backbone: backbone, layout: layout, fit: fit)
    }

    /// The extractor name of a store: its recipe's name when spotcheck made it, else `fallback`.
    static func extractorName(of attributes: FeatureStoreAttributes, fallback: String) -> String {
        guard let backbone = attributes.extractor else { return fallback }
        return attributes.layout.map { $0 == FeatureLayout.average.name ? backbone : "\(backbone):\($0)" } ?? backbone
    }
}
