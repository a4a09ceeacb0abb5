import Extractor
import FeatureStore
import Foundation

/// The metadata a saved model carries so that `spotcheck predict` can make its inputs from
/// images: the classifier's name, the store it was trained on and — only when one of our
/// backbones made that store — the backbone, the layout and the fit, from the store's attributes.
enum ModelMetadata {
    /// The metadata for a classifier trained on `store`.
    /// - Parameters:
    ///   - classifier: the grid name of the classifier.
    ///   - store: the feature store it was trained on.
    /// - Returns: `classifier`, `feature_store`, `feature_dimension`, `layout`, `fit` and, for our
    ///   backbones, `backbone`.
    /// - Throws: `FeatureStoreError` when the store cannot be read.
    static func describing(classifier: String, store: URL) throws -> [String: String] {
        let reader = try FeatureStoreReader(url: store)
        let attributes = reader.attributes
        var metadata = ["classifier": classifier, "feature_store": store.path, "layout": attributes.layout ?? "avg",
                        "feature_dimension": String(reader.dimension),
                        "fit": attributes.string(FeatureExtraction.fitAttribute) ?? Preprocessing.Fit.crop.rawValue]
        if let backbone = attributes.extractor, BackboneRegistry.names.contains(backbone) {
            metadata["backbone"] = backbone
        }
        return metadata
    }
}
