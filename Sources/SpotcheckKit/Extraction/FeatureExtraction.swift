import Extractor
import FeatureStore
import Foundation
import LinearAlgebra

/// Extracts recipes' features for a dataset into their feature stores, reusing a complete store
/// made from the same inputs and resuming an interrupted one.
///
/// A store is "the same" when its attributes record the same backbone, weights sha256,
/// preprocessing, layout, fit and dataset fingerprint (`StoreRecipe.identity`); anything else is
/// extracted again. Only a store spotcheck made is ever replaced.
///
/// Rows go into a store in a seeded random order (recorded as its `row_order_seed`), as the
/// cookbook's extractor shuffled its paths: code that splits a store head/tail, or learns from
/// it row by row, never sees one class after another. The order is fixed by the dataset and the
/// seed, so a resumed store continues in its own order; a store of another seed is still reused.
public struct FeatureExtraction: Sendable {
    /// The images.
    public let dataset: Dataset
    /// Where the stores go.
    public let storeFolder: URL
    /// Images per network batch.
    public let batchSize: Int
    /// Threads for decoding and the network.
    public let threads: Int
    /// The seed of the row order of new stores.
    public let seed: UInt64
    /// Whether the dataset is a whole dataset or one shard of a planned run.
    public let part: Part

    /// What the dataset is, which decides the stores' names and row order.
    public enum Part: Sendable, Equatable {
        /// A whole dataset: `FOLDER/<recipe>.h5` (`FeatureRecipe.storeFileName`), rows in the
        /// seeded random order.
        case whole
        /// Shard `index` of `count` of a planned run, whose images come already in the run's
        /// row order: `FOLDER/<recipe>.shards/shard-IIIII-of-NNNNN.h5`, rows in the given order,
        /// recording which shard it is.
        case shard(index: Int, count: Int)
    }
    /// Weights files named for backbones (by backbone name); the others are looked up where
    /// they are kept (see `BackboneRegistry.locateWeights`).
    public let weightsFiles: [String: URL]

    /// An extraction of `dataset` into `storeFolder`.
    /// - Parameters:
    ///   - dataset: the images.
    ///   - storeFolder: where the stores go (one file per recipe).
    ///   - batchSize: images per network batch.
    ///   - threads: threads for decoding and the network.
    ///   - seed: the seed of the row order of new stores.
    ///   - part: a whole dataset (default) or one shard of a planned run.
    ///   - weightsFiles: weights files named for backbones, by backbone name.
    public init(dataset: Dataset, storeFolder: URL, batchSize: Int, threads: Int, seed: UInt64, part: Part = .whole,
                weightsFiles: [String: URL] = [:]) {
        self.dataset = dataset
        self.storeFolder = storeFolder
        self.batchSize = max(1, min(batchSize, dataset.samples.count))
        self.threads = threads
        self.seed = seed
        self.part = part
        self.weightsFiles = weightsFiles
    }

    /// The order rows go into a store of `seed`: positions in `dataset.samples`, shuffled by
    /// the seeded generator (Fisher–Yates) — except for a shard, whose images come in the
    /// planned run's order already.
    /// - Parameter seed: the store's row-order seed.
    /// - Returns: a permutation of `dataset.samples.indices`.
    public func rowOrder(seed: UInt64) -> [Int] {
        if case .shard = part { return Array(dataset.samples.indices) }
        var generator = SeededGenerator(seed: seed)
        return Array(dataset.samples.indices).shuffled(using: &generator)
    }

    /// The store file of `recipe`.
    public func storeURL(for recipe: FeatureRecipe) -> URL {
        switch part {
        case .whole: return storeFolder.appendingPathComponent(recipe.storeFileName)
        case .shard(let index, let count): return Self.shardURL(recipe, index: index, count: count, in: storeFolder)
        }
    }

    /// Where shard `index` of `count` of `recipe`'s store goes under `folder`.
    /// - Parameters:
    ///   - recipe: the recipe.
    ///   - index: the shard, from 0.
    ///   - count: the number of shards.
    ///   - folder: the store folder.
    /// - Returns: `folder/<recipe>.shards/shard-IIIII-of-NNNNN.h5`.
    public static func shardURL(_ recipe: FeatureRecipe, index: Int, count: Int, in folder: URL) -> URL {
        folder.appendingPathComponent(recipe.storeName + ".shards").appendingPathComponent(shardName(index, of: count) + ".h5")
    }

    /// The name of shard `index` of `count`, numbers padded to five digits: `shard-00002-of-00004`.
    /// - Parameters:
    ///   - index: the shard, from 0.
    ///   - count: the number of shards.
    /// - Returns: the name, without extension.
    public static func shardName(_ index: Int, of count: Int) -> String {
        func number(_ value: Int) -> String { String(repeating: "0", count: max(0, 5 - String(value).count)) + String(value) }
        return "shard-\(number(index))-of-\(number(count))"
    }

    /// A store being written: its recipe, writer and the first position of the row order it
    /// still needs.
    private struct PendingStore {
        var recipe: FeatureRecipe
        var url: URL
        var writer: FeatureStoreWriter
        var firstPosition: Int
        var resumed: Bool
    }

    /// What one network pass needs to know about its backbone.
    private struct Pass {
        var preprocessing: Preprocessing
        var weightsSHA256: String
        var start: Date

        func identity(_ recipe: FeatureRecipe, dataset: Dataset, part: Part) -> [String: String] {
            var identity = StoreRecipe.identity(of: recipe, preprocessing: preprocessing, weightsSHA256: weightsSHA256,
                                                datasetFingerprint: dataset.fingerprint)
            if case .shard(let index, let count) = part { identity[StoreRecipe.shardKey] = "\(index) of \(count)" }
            return identity
        }
    }

    /// Extracts (or reuses) the stores of recipes that share one backbone and fit, running the
    /// network once per image for all of their layouts. Images that fail to decode are left out
    /// of the stores and returned with their reasons.
    /// - Parameters:
    ///   - recipes: recipes with the same backbone and fit.
    ///   - observer: receives notes and progress.
    /// - Returns: the record of each recipe's store, in the order of `recipes`, and the images
    ///   that could not be decoded.
    /// - Throws: `BackboneError` for missing weights, `FeatureStoreError` for store failures,
    ///   `SpotcheckError.storeInTheWay` when a file spotcheck did not make is where a store goes.
    public func run(_ recipes: [FeatureRecipe], observer: any SpotcheckObserver = SilentObserver()) throws
        -> (records: [ExtractionRecord], failures: [SkippedFile]) {
        guard let first = recipes.first else { return ([], []) }
        precondition(recipes.allSatisfy { $0.backbone == first.backbone && $0.fit == first.fit },
                     "one pass serves one backbone and fit")
        let descriptor = try BackboneRegistry.descriptor(named: first.backbone)
        // The published digest (checked) or the file's own: what the stores record.
        let weights = try BackboneRegistry.resolveWeights(for: descriptor, file: weightsFiles[first.backbone])
        let pass = Pass(preprocessing: descriptor.preprocessing.fitting(first.fit),
                        weightsSHA256: weights.sha256, start: Date())

        var records = [FeatureRecipe: ExtractionRecord]()
        var toExtract = [FeatureRecipe]()
        for recipe in recipes {
            let url = storeURL(for: recipe)
            if let reusable = try reusableStore(at: url, identity: pass.identity(recipe, dataset: dataset, part: part), observer: observer) {
                observer.observe(.note("\(recipe.name): reusing \(url.path) (dataset unchanged)"))
                records[recipe] = record(recipe, pass, url: url, dimension: reusable.dimension, rows: reusable.rowCount,
                                         cached: true, resumed: false, rate: nil)
            } else {
                toExtract.append(recipe)
            }
        }
        var failures = [SkippedFile]()
        if !toExtract.isEmpty {
            let backbone = try BackboneRegistry.load(descriptor, weights: weights, threads: threads)
            // One pass writes every store in one order: an interrupted store's, else this run's.
            let resumable = toExtract.compactMap { resumePoint($0, pass: pass) }
            let passSeed = resumable.first?.seed ?? seed
            let order = rowOrder(seed: passSeed)
            var pending = try toExtract.map { recipe in
                try openStore(recipe, backbone: backbone, pass: pass, order: order, seed: passSeed,
                              resume: resumable.first { $0.recipe == recipe && $0.seed == passSeed }, observer: observer)
            }
            let outcome = try extract(into: &pending, order: order, backbone: backbone, preprocessing: pass.preprocessing,
                                      observer: observer)
            failures = outcome.failures
            for store in pending {
                let rows = store.writer.rowCount
                try store.writer.finish()
                records[store.recipe] = record(store.recipe, pass, url: store.url, dimension: store.writer.dimension,
                                               rows: rows, cached: false, resumed: store.resumed, rate: outcome.rate)
            }
        }
        return (recipes.compactMap { records[$0] }, failures)
    }

    private func record(_ recipe: FeatureRecipe, _ pass: Pass, url: URL, dimension: Int, rows: Int, cached: Bool,
                        resumed: Bool, rate: Double?) -> ExtractionRecord {
        ExtractionRecord(extractor: recipe.name, featureFile: url.path, dimension: dimension, rows: rows, cached: cached,
                         resumed: resumed, seconds: Date().timeIntervalSince(pass.start), imagesPerSecond: rate,
                         weightsSHA256: pass.weightsSHA256, layout: recipe.layout.name,
                         preprocessing: pass.preprocessing.name)
    }

    /// The complete store at `url` when it was made from the same inputs; nil when there is none
    /// or it is out of date (it will be made again).
    /// - Throws: `SpotcheckError.storeInTheWay` when the file there is not a store spotcheck made.
    private func reusableStore(at url: URL, identity: [String: String],
                               observer: any SpotcheckObserver) throws -> FeatureStoreReader? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let reader: FeatureStoreReader
        do { reader = try FeatureStoreReader(url: url) } catch {
            throw SpotcheckError.storeInTheWay(path: url.path, reason: "\(error)")
        }
        guard reader.attributes.toolVersion != nil else {
            throw SpotcheckError.storeInTheWay(path: url.path, reason: "it has no spotcheck attributes")
        }
        guard StoreRecipe.matches(reader.attributes, identity) else { return nil }
        // A store whose bytes were damaged since it was made is made again, not trusted.
        do { try reader.verifyChecksums() } catch {
            observer.observe(.warning("\(url.path) is damaged (\(error)); extracting again"))
            return nil
        }
        return reader
    }

    /// An interrupted store of `recipe` made from the same inputs, and its row-order seed.
    private func resumePoint(_ recipe: FeatureRecipe, pass: Pass) -> (recipe: FeatureRecipe, seed: UInt64, point: FeatureStoreResumePoint)? {
        guard let point = try? FeatureStoreWriter.resumePoint(for: storeURL(for: recipe)),
              StoreRecipe.matches(point.attributes, pass.identity(recipe, dataset: dataset, part: part)), point.rowCount > 0,
              let seed = point.attributes.integer(FeatureStoreAttributes.Key.rowOrderSeed) else { return nil }
        return (recipe, UInt64(bitPattern: Int64(seed)), point)
    }

    /// Resumes an interrupted store whose rows so far follow `order`, else creates the store afresh.
    private func openStore(_ recipe: FeatureRecipe, backbone: Backbone, pass: Pass, order: [Int], seed: UInt64,
                           resume: (recipe: FeatureRecipe, seed: UInt64, point: FeatureStoreResumePoint)?,
                           observer: any SpotcheckObserver) throws -> PendingStore {
        let url = storeURL(for: recipe)
        if FileManager.default.fileExists(atPath: url.path) {
            observer.observe(.note("\(recipe.name): the dataset, weights, preprocessing or layout changed since \(url.lastPathComponent) was made; extracting again"))
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw SpotcheckError.outputNotWritable(path: url.deletingLastPathComponent().path, reason: "\(error)")
        }
        if let point = resume?.point, let last = point.paths.last,
           let position = order.firstIndex(where: { dataset.relativePath(of: dataset.samples[$0].url) == last }) {
            observer.observe(.note("\(recipe.name): resuming an interrupted extraction after \(point.rowCount) images"))
            return PendingStore(recipe: recipe, url: url,
                                writer: try FeatureStoreWriter(resuming: url, bufferRows: batchSize * 2, overwrite: true),
                                firstPosition: position + 1, resumed: true)
        }
        typealias Key = FeatureStoreAttributes.Key
        var attributes = FeatureStoreAttributes(pass.identity(recipe, dataset: dataset, part: part).mapValues { .string($0) })
        attributes[Key.inputSize] = .integer(backbone.descriptor.inputSize)
        attributes[Key.featureMapShape] = .string(backbone.featureMapShape.description)
        attributes[Key.rowOrderSeed] = .integer(Int(Int64(bitPattern: seed)))
        attributes[Key.toolVersion] = .string(SpotcheckVersion.current)
        attributes[Key.createdAt] = .string(ISO8601DateFormatter().string(from: Date()))
        attributes[Key.datasetRoot] = .string(dataset.root.path)
        let writer = try FeatureStoreWriter(creating: url, dimension: recipe.layout.dimension(for: backbone.featureMapShape),
                                            labelNames: dataset.classes, attributes: attributes,
                                            bufferRows: batchSize * 2, overwrite: true)
        return PendingStore(recipe: recipe, url: url, writer: writer, firstPosition: 0, resumed: false)
    }

    /// Decodes the samples the stores still need and appends each store's rows, one network
    /// pass per batch for every layout.
    /// - Returns: images per second of the pass, and the images that failed to decode.
    private func extract(into stores: inout [PendingStore], order: [Int], backbone: Backbone, preprocessing: Preprocessing,
                         observer: any SpotcheckObserver) throws -> (rate: Double?, failures: [SkippedFile]) {
        let firstPosition = stores.map(\.firstPosition).min() ?? 0
        let samples = order[firstPosition...].map { dataset.samples[$0] }
        let task = stores.count == 1 ? stores[0].recipe.name
            : "\(backbone.name) (\(stores.map(\.recipe.layout.name).joined(separator: ", ")))"
        let pool = try DecoderPool(urls: samples.map(\.url), preset: preprocessing, batchSize: batchSize, threads: threads)
        let start = Date()
        var done = 0
        var failures = [SkippedFile]()
        observer.observe(.progress(task: task, done: 0, total: samples.count, unit: "img"))
        for batch in pool {
            if batch.images.count > 0 {
                let features = try backbone.features(batch: batch.images, layouts: stores.map(\.recipe.layout))
                for index in stores.indices {
                    // A resumed store already holds the samples before its first one.
                    let needed = stores[index].firstPosition - firstPosition
                    let rows = batch.sampleIndices.indices.filter { batch.sampleIndices[$0] >= needed }
                    guard !rows.isEmpty else { continue }
                    let sampleOf = rows.map { samples[batch.sampleIndices[$0]] }
                    try stores[index].writer.append(
                        features: rows.count == batch.sampleIndices.count ? features[index] : features[index].rows(at: rows),
                        labels: sampleOf.map(\.label), paths: sampleOf.map { relativePath($0.url) })
                }
            }
            failures += batch.failures.map { SkippedFile(path: samples[$0.sampleIndex].url.path, reason: $0.description) }
            done += batch.sampleIndices.count + batch.failures.count
            observer.observe(.progress(task: task, done: done, total: samples.count, unit: "img"))
        }
        observer.observe(.finished(task: task))
        let elapsed = Date().timeIntervalSince(start)
        return (elapsed > 0 ? Double(samples.count) / elapsed : nil, failures)
    }

    /// `url` relative to the dataset root, as stored in the `paths` dataset.
    public func relativePath(_ url: URL) -> String {
        dataset.relativePath(of: url)
    }
}
