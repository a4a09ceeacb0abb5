import Extractor
import FeatureStore
import Foundation

/// What a saved model records about its inputs, so that `predict` can make them from images:
/// the classifier's name, the store it was trained on and — only when one of spotcheck's
/// backbones made that store — the backbone, the layout and the fit.
///
/// Model files keep these as the string map `metadata` (see `docs/model-file.md`); this type is
/// the one place that knows the keys and the defaults of older files (layout `avg`, fit `crop`).
public struct ModelMetadata: Codable, Sendable, Equatable {
    /// The classifier's name, e.g. `LinearSVC-0.01`.
    public var classifier: String
    /// The feature store the classifier was trained on, when known.
    public var featureStore: String?
    /// The width of a feature row, when recorded.
    public var featureDimension: Int?
    /// The backbone that made the features; nil for features from another tool.
    public var backbone: String?
    /// How the feature map became a row.
    public var layout: FeatureLayout
    /// How images were made square.
    public var fit: Preprocessing.Fit

    private enum CodingKeys: String, CodingKey {
        case classifier, backbone, layout, fit
        case featureStore = "feature_store", featureDimension = "feature_dimension"
    }

    /// Metadata given field by field.
    /// - Parameters:
    ///   - classifier: the classifier's name.
    ///   - featureStore: the store it was trained on.
    ///   - featureDimension: the width of a feature row.
    ///   - recipe: the recipe that made the store, when spotcheck's backbone made it.
    public init(classifier: String, featureStore: String?, featureDimension: Int?, recipe: FeatureRecipe?) {
        self.classifier = classifier
        self.featureStore = featureStore
        self.featureDimension = featureDimension
        backbone = recipe?.backbone
        layout = recipe?.layout ?? .average
        fit = recipe?.fit ?? .crop
    }

    /// The metadata of a classifier trained on `store`, read from the store's attributes.
    /// - Parameters:
    ///   - classifier: the classifier's name.
    ///   - store: the feature store it was trained on.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    public init(classifier: String, store: URL) throws {
        let reader = try FeatureStoreReader(url: store)
        self.init(classifier: classifier, featureStore: store.path, featureDimension: reader.dimension,
                  recipe: StoreRecipe.recipe(of: reader.attributes))
    }

    /// The recipe that made the training features, when spotcheck's backbone made them.
    public var recipe: FeatureRecipe? {
        backbone.map { FeatureRecipe(backbone: $0, layout: layout, fit: fit) }
    }

    /// Decodes the fields; a file written before layouts and fits existed means `avg` and `crop`.
    /// - Throws: `DecodingError` for a missing classifier or an unknown layout, fit or width.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classifier = try container.decode(String.self, forKey: .classifier)
        featureStore = try container.decodeIfPresent(String.self, forKey: .featureStore)
        backbone = try container.decodeIfPresent(String.self, forKey: .backbone)
        if let text = try container.decodeIfPresent(String.self, forKey: .featureDimension) {
            guard let width = Int(text), width > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .featureDimension, in: container,
                                                       debugDescription: "feature_dimension \(text) is not a positive whole number")
            }
            featureDimension = width
        }
        let layoutName = try container.decodeIfPresent(String.self, forKey: .layout) ?? FeatureLayout.average.name
        do { layout = try FeatureLayout(parsing: layoutName) } catch {
            throw DecodingError.dataCorruptedError(forKey: .layout, in: container, debugDescription: error.description)
        }
        let fitName = try container.decodeIfPresent(String.self, forKey: .fit) ?? Preprocessing.Fit.crop.rawValue
        guard let fit = Preprocessing.Fit(rawValue: fitName) else {
            throw DecodingError.dataCorruptedError(forKey: .fit, in: container,
                                                   debugDescription: "unknown fit \(fitName); expected crop, squash or pad")
        }
        self.fit = fit
    }

    /// Encodes every field as a string, the model file's `metadata` form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(classifier, forKey: .classifier)
        try container.encodeIfPresent(featureStore, forKey: .featureStore)
        try container.encodeIfPresent(featureDimension.map(String.init), forKey: .featureDimension)
        try container.encodeIfPresent(backbone, forKey: .backbone)
        try container.encode(layout.name, forKey: .layout)
        try container.encode(fit.rawValue, forKey: .fit)
    }

    /// Reads the model file's `metadata` map.
    /// - Parameter metadata: the string map of a `SavedModel`.
    /// - Throws: `DecodingError` as ``init(from:)``.
    public init(_ metadata: [String: String]) throws {
        self = try JSONDecoder().decode(ModelMetadata.self, from: JSONEncoder().encode(metadata))
    }

    /// The model file's `metadata` map.
    public var dictionary: [String: String] {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? ["classifier": classifier]
    }
}
