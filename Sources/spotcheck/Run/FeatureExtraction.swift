import Extractor
import FeatureStore
import Foundation
import LinearAlgebra

/// Extracts extractors' features (a backbone in one or more layouts) for a dataset into their
/// feature stores, reusing a complete store made from the same inputs and resuming an
/// interrupted one.
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

    /// A store being written: its extractor, writer and the first sample it still needs.
    private struct PendingStore {
        var spec: ExtractorSpec
        var url: URL
        var writer: FeatureStoreWriter
        var firstSample: Int
        var resumed: Bool
    }

    /// Extracts (or reuses) the stores of extractors that share one backbone and fit, running
    /// the network once per image for all of their layouts. Images that fail to decode are
    /// reported on stderr and left out of the stores (the report lists them with their reasons).
    /// - Parameter specs: extractors with the same backbone and fit.
    /// - Returns: the report's record of each extraction, in the order of `specs`.
    /// - Throws: `BackboneError` for missing weights, `FeatureStoreError` for store failures.
    func run(_ specs: [ExtractorSpec]) throws -> [SpotcheckReport.Extraction] {
        guard let first = specs.first else { return [] }
        precondition(specs.allSatisfy { $0.backbone == first.backbone && $0.fit == first.fit },
                     "one pass serves one backbone and fit")
        let start = Date()
        let descriptor = try BackboneRegistry.descriptor(named: first.backbone)
        let preprocessing = descriptor.preprocessing.fitting(first.fit)
        let weightsURL = BackboneRegistry.weightsURL(for: descriptor)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw BackboneError.missingWeights(path: weightsURL.path)
        }
        let sha = try SHA256.hexDigest(of: weightsURL)
        func record(_ spec: ExtractorSpec, url: URL, dimension: Int, rows: Int, cached: Bool, resumed: Bool,
                    imagesPerSecond: Double?) -> SpotcheckReport.Extraction {
            SpotcheckReport.Extraction(
                extractor: spec.name, featureFile: url.path, dimension: dimension, rows: rows, cached: cached,
                resumed: resumed, seconds: Date().timeIntervalSince(start), imagesPerSecond: imagesPerSecond,
                weightsSHA256: sha, layout: spec.layout.name, preprocessing: preprocessing.name)
        }

        var records = [ExtractorSpec: SpotcheckReport.Extraction]()
        var toExtract = [ExtractorSpec]()
        for spec in specs {
            let url = storeURL(for: spec)
            let expected = expectedAttributes(spec, preprocessing: preprocessing, weightsSHA256: sha)
            guard FileManager.default.fileExists(atPath: url.path) else {
                toExtract.append(spec)
                continue
            }
            // Only a store spotcheck made may be replaced; anything else in its place is the user's.
            let reader: FeatureStoreReader
            do { reader = try FeatureStoreReader(url: url) } catch {
                throw RunError.storeInTheWay(path: url.path, reason: "\(error)")
            }
            guard reader.attributes.toolVersion != nil else {
                throw RunError.storeInTheWay(path: url.path, reason: "it has no spotcheck attributes")
            }
            if matches(reader.attributes, expected) {
                Terminal.note("\(spec.name): reusing \(url.path) (dataset unchanged)")
                records[spec] = record(spec, url: url, dimension: reader.dimension, rows: reader.rowCount,
                                       cached: true, resumed: false, imagesPerSecond: nil)
            } else {
                Terminal.note("\(spec.name): the dataset, weights, preprocessing or layout changed since \(url.lastPathComponent) was made; extracting again")
                toExtract.append(spec)
            }
        }
        if !toExtract.isEmpty {
            let backbone = try BackboneRegistry.load(first.backbone, threads: threads)
            var pending = try toExtract.map { try openStore($0, backbone: backbone, preprocessing: preprocessing, sha: sha) }
            let rate = try extract(into: &pending, backbone: backbone, preprocessing: preprocessing)
            for store in pending {
                let rows = store.writer.rowCount
                _ = try store.writer.finish()
                records[store.spec] = record(store.spec, url: store.url, dimension: store.writer.dimension, rows: rows,
                                             cached: false, resumed: store.resumed, imagesPerSecond: rate)
            }
        }
        return specs.compactMap { records[$0] }
    }

    /// Resumes an interrupted store of the same inputs, else creates the store afresh.
    private func openStore(_ spec: ExtractorSpec, backbone: Backbone, preprocessing: Preprocessing,
                           sha: String) throws -> PendingStore {
        let url = storeURL(for: spec)
        let expected = expectedAttributes(spec, preprocessing: preprocessing, weightsSHA256: sha)
        if let point = try? FeatureStoreWriter.resumePoint(for: url), matches(point.attributes, expected),
           point.rowCount > 0, let last = point.paths.last,
           let index = dataset.samples.firstIndex(where: { relativePath($0.url) == last }) {
            Terminal.note("\(spec.name): resuming an interrupted extraction after \(point.rowCount) images")
            return PendingStore(spec: spec, url: url,
                                writer: try FeatureStoreWriter(resuming: url, bufferRows: batchSize * 2, overwrite: true),
                                firstSample: index + 1, resumed: true)
        }
        var attributes = FeatureStoreAttributes()
        for (key, value) in expected { attributes.values[key] = .string(value) }
        attributes.values[FeatureStoreAttributes.Key.inputSize] = .integer(backbone.descriptor.inputSize)
        attributes.values["feature_map_shape"] = .string(backbone.featureMapShape.description)
        attributes.values[FeatureStoreAttributes.Key.toolVersion] = .string(SpotcheckVersion.current)
        attributes.values[FeatureStoreAttributes.Key.createdAt] = .string(ISO8601DateFormatter().string(from: Date()))
        attributes.values["dataset_root"] = .string(dataset.root.path)
        let writer = try FeatureStoreWriter(creating: url, dimension: spec.layout.dimension(for: backbone.featureMapShape),
                                            labelNames: dataset.classes, attributes: attributes,
                                            bufferRows: batchSize * 2, overwrite: true)
        return PendingStore(spec: spec, url: url, writer: writer, firstSample: 0, resumed: false)
    }

    /// Decodes the samples the stores still need and appends each store's rows, one network
    /// pass per batch for every layout.
    /// - Returns: images per second of the pass.
    private func extract(into stores: inout [PendingStore], backbone: Backbone,
                         preprocessing: Preprocessing) throws -> Double? {
        let firstSample = stores.map(\.firstSample).min() ?? 0
        let samples = Array(dataset.samples[firstSample...])
        let label = stores.count == 1 ? stores[0].spec.name
            : "\(backbone.name) (\(stores.map(\.spec.layout.name).joined(separator: ", ")))"
        let progress = ProgressReporter(label, total: samples.count, unit: "img")
        let pool = try DecoderPool(urls: samples.map(\.url), preset: preprocessing, batchSize: batchSize, threads: threads)
        let start = Date()
        for batch in pool {
            if batch.images.count > 0 {
                let features = try backbone.features(batch: batch.images, layouts: stores.map(\.spec.layout))
                for index in stores.indices {
                    // A resumed store already holds the samples before its first one.
                    let needed = stores[index].firstSample - firstSample
                    let rows = batch.sampleIndices.indices.filter { batch.sampleIndices[$0] >= needed }
                    guard !rows.isEmpty else { continue }
                    let sampleOf = rows.map { samples[batch.sampleIndices[$0]] }
                    try stores[index].writer.append(
                        features: rows.count == batch.sampleIndices.count ? features[index] : features[index].rows(at: rows),
                        labels: sampleOf.map(\.label), paths: sampleOf.map { relativePath($0.url) })
                }
            }
            for failure in batch.failures {
                Terminal.note("skipped \(failure.description)")
            }
            progress.advance(by: batch.sampleIndices.count + batch.failures.count)
        }
        progress.finish()
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(samples.count) / elapsed : nil
    }

    /// `url` relative to the dataset root, as stored in the `paths` dataset.
    func relativePath(_ url: URL) -> String {
        let root = dataset.root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
