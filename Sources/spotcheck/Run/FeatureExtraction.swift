import Extractor
import FeatureStore
import Foundation
import LinearAlgebra

/// Extracts one extractor's features (a backbone in a layout) for a dataset into its feature
/// store, reusing a complete store made from the same inputs and resuming an interrupted one.
///
/// A store is "the same" when its attributes record the same extractor, weights sha256,
/// preprocessing, layout and dataset fingerprint; anything else is re-extracted.
struct FeatureExtraction {
    let dataset: Dataset
    let storeFolder: URL
    let batchSize: Int
    let threads: Int

    /// The store attribute naming how images were made square (`crop`, `squash`, `pad`).
    static let fitAttribute = "fit"

    /// The store file of `spec`.
    func storeURL(for spec: ExtractorSpec) -> URL {
        storeFolder.appendingPathComponent(spec.storeFileName)
    }

    /// The attributes a store for `spec` must carry to be reused for this dataset.
    func expectedAttributes(_ spec: ExtractorSpec, preprocessing: Preprocessing,
                            weightsSHA256: String) -> [String: String] {
        [
            FeatureStoreAttributes.Key.extractor: spec.backbone,
            FeatureStoreAttributes.Key.weightsSHA256: weightsSHA256,
            FeatureStoreAttributes.Key.preprocessing: preprocessing.name,
            FeatureStoreAttributes.Key.layout: spec.layout.name,
            Self.fitAttribute: spec.fit.rawValue,
            "dataset_fingerprint": dataset.fingerprint,
        ]
    }

    private func matches(_ attributes: FeatureStoreAttributes, _ expected: [String: String]) -> Bool {
        expected.allSatisfy { attributes.string($0.key) == $0.value }
    }

    /// Extracts (or reuses) the store for `extractor`. Images that fail to decode are reported
    /// on stderr and left out of the store (the report lists them with their reasons).
    /// - Returns: the report's record of the extraction.
    /// - Throws: `BackboneError` for missing weights, `FeatureStoreError` for store failures.
    func run(_ spec: ExtractorSpec) throws -> SpotcheckReport.Extraction {
        let start = Date()
        let extractor = spec.name
        let descriptor = try BackboneRegistry.descriptor(named: spec.backbone)
        let preprocessing = descriptor.preprocessing.fitting(spec.fit)
        let weightsURL = BackboneRegistry.weightsURL(for: descriptor)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw BackboneError.missingWeights(path: weightsURL.path)
        }
        let sha = try SHA256.hexDigest(of: weightsURL)
        let expected = expectedAttributes(spec, preprocessing: preprocessing, weightsSHA256: sha)
        let url = storeURL(for: spec)

        if FileManager.default.fileExists(atPath: url.path) {
            let reader = try FeatureStoreReader(url: url)
            if matches(reader.attributes, expected) {
                Terminal.note("\(extractor): reusing \(url.path) (dataset unchanged)")
                return SpotcheckReport.Extraction(
                    extractor: extractor, featureFile: url.path, dimension: reader.dimension, rows: reader.rowCount,
                    cached: true, resumed: false, seconds: Date().timeIntervalSince(start), imagesPerSecond: nil,
                    weightsSHA256: sha, layout: spec.layout.name, preprocessing: preprocessing.name)
            }
            Terminal.note("\(extractor): the dataset, weights, preprocessing or layout changed since \(url.lastPathComponent) was made; extracting again")
        }

        let backbone = try BackboneRegistry.load(spec.backbone, threads: threads)
        let dimension = spec.layout.dimension(for: backbone.featureMapShape)

        // Resume an interrupted extraction of the same inputs, else start afresh.
        var writer: FeatureStoreWriter
        var firstSample = 0
        var resumed = false
        if let point = try? FeatureStoreWriter.resumePoint(for: url), matches(point.attributes, expected),
           point.rowCount > 0, let last = point.paths.last,
           let index = dataset.samples.firstIndex(where: { relativePath($0.url) == last }) {
            writer = try FeatureStoreWriter(resuming: url, bufferRows: batchSize * 2, overwrite: true)
            firstSample = index + 1
            resumed = true
            Terminal.note("\(extractor): resuming an interrupted extraction after \(point.rowCount) images")
        } else {
            var attributes = FeatureStoreAttributes()
            for (key, value) in expected { attributes.values[key] = .string(value) }
            attributes.values[FeatureStoreAttributes.Key.inputSize] = .integer(descriptor.inputSize)
            attributes.values["feature_map_shape"] = .string(backbone.featureMapShape.description)
            attributes.values[FeatureStoreAttributes.Key.toolVersion] = .string(SpotcheckVersion.current)
            attributes.values[FeatureStoreAttributes.Key.createdAt] = .string(ISO8601DateFormatter().string(from: Date()))
            attributes.values["dataset_root"] = .string(dataset.root.path)
            writer = try FeatureStoreWriter(creating: url, dimension: dimension,
                                            labelNames: dataset.classes, attributes: attributes,
                                            bufferRows: batchSize * 2, overwrite: true)
        }

        let samples = Array(dataset.samples[firstSample...])
        let progress = ProgressReporter(extractor, total: samples.count, unit: "img")
        let pool = try DecoderPool(urls: samples.map(\.url), preset: preprocessing,
                                   batchSize: batchSize, threads: threads)
        let extractStart = Date()
        for batch in pool {
            if batch.images.count > 0 {
                let features = try backbone.features(batch: batch.images, layout: spec.layout)
                try writer.append(features: features, labels: batch.sampleIndices.map { samples[$0].label },
                                  paths: batch.sampleIndices.map { relativePath(samples[$0].url) })
            }
            for failure in batch.failures {
                Terminal.note("skipped \(failure.description)")
            }
            progress.advance(by: batch.sampleIndices.count + batch.failures.count)
        }
        progress.finish()
        let rows = writer.rowCount
        _ = try writer.finish()
        let elapsed = Date().timeIntervalSince(extractStart)
        return SpotcheckReport.Extraction(
            extractor: extractor, featureFile: url.path, dimension: dimension, rows: rows,
            cached: false, resumed: resumed, seconds: Date().timeIntervalSince(start),
            imagesPerSecond: elapsed > 0 ? Double(samples.count) / elapsed : nil, weightsSHA256: sha,
            layout: spec.layout.name, preprocessing: preprocessing.name)
    }

    /// `url` relative to the dataset root, as stored in the `paths` dataset.
    func relativePath(_ url: URL) -> String {
        let root = dataset.root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
