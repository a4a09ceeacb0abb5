import ClassicML
import Extractor
import Foundation

/// A saved model (`best_model.json`, or `train --save`) together with the backbone that makes
/// its inputs: it labels image files the way the model was trained — same backbone, layout,
/// fit, scaler and classifier.
public final class ImageModel {
    /// The classifier, its scaler and class names.
    public let model: SavedModel
    /// What the model records about its inputs.
    public let metadata: ModelMetadata
    private let backbone: Backbone
    private let preprocessing: Preprocessing

    /// Loads a model file and its backbone.
    /// - Parameters:
    ///   - url: the model file.
    ///   - threads: threads for the network.
    /// - Throws: `ClassicMLError.modelFile` for an unreadable model, `SpotcheckError.modelUnusable`
    ///   when it was trained on features spotcheck cannot make or its metadata disagrees with its
    ///   backbone, `BackboneError` when the weights are missing.
    public init(contentsOf url: URL, threads: Int) throws {
        model = try ModelFile.load(from: url)
        do { metadata = try ModelMetadata(model.metadata) } catch {
            throw SpotcheckError.modelUnusable(path: url.path, reason: "its metadata is damaged (\(error))")
        }
        guard let recipe = metadata.recipe else {
            throw SpotcheckError.modelUnusable(
                path: url.path, reason: "it records no backbone — it was trained on features from another tool, so its inputs cannot be made from images")
        }
        backbone = try BackboneRegistry.load(recipe.backbone, threads: threads)
        let width = recipe.layout.dimension(for: backbone.featureMapShape)
        if let recorded = metadata.featureDimension, recorded != width {
            throw SpotcheckError.modelUnusable(
                path: url.path, reason: "it was trained on \(recorded) features, but \(recipe.backbone) in layout \(recipe.layout.name) gives \(width); its metadata does not describe its store — train it again")
        }
        preprocessing = backbone.descriptor.preprocessing.fitting(recipe.fit)
    }

    /// One image's label.
    public struct Prediction: Sendable {
        /// The image.
        public var file: URL
        /// The predicted class's name.
        public var className: String
        /// The predicted label.
        public var label: Int
        /// The classifier's probability of that class, when it estimates one.
        public var probability: Double?
    }

    /// Labels `files`, in order, batch by batch; unreadable images are reported, not fatal.
    /// - Parameters:
    ///   - files: image files.
    ///   - batchSize: images per network batch.
    ///   - threads: decoder threads.
    ///   - each: receives every prediction, in the order of `files`.
    ///   - failed: receives every image that could not be read.
    /// - Throws: an error `each` throws, or a network or scaler error.
    public func predict(_ files: [URL], batchSize: Int, threads: Int, each: (Prediction) throws -> Void,
                        failed: (SkippedFile) -> Void) throws {
        let pool = try DecoderPool(urls: files, preset: preprocessing, batchSize: batchSize, threads: threads)
        let classifier = model.classifier
        for decoded in pool {
            for failure in decoded.failures { failed(SkippedFile(path: files[failure.sampleIndex].path, reason: failure.description)) }
            guard decoded.images.count > 0 else { continue }
            let x = try model.prepared(try backbone.features(batch: decoded.images, layout: metadata.layout))
            let labels = classifier.predict(x)
            let probabilities = (classifier as? any ProbabilisticClassifier)?.predictProba(x)
            for (row, index) in decoded.sampleIndices.enumerated() {
                let label = labels[row]
                let probability = probabilities.flatMap { matrix in
                    classifier.classes.firstIndex(of: label).map { Double(matrix[row, $0]) }
                }
                try each(Prediction(file: files[index], className: model.classNames.indices.contains(label)
                                        ? model.classNames[label] : String(label),
                                    label: label, probability: probability))
            }
        }
    }
}
