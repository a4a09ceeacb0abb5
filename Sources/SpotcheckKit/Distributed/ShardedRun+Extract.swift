import Extractor
import FeatureStore
import Foundation

/// What one extract task left behind: `RUN/shards/shard-IIIII-of-NNNNN.json`, written once every
/// store of the shard is finished — the record that the shard is done.
public struct ShardRecord: Codable, Sendable, Equatable {
    /// The shard, from 0.
    public var shard: Int
    /// The number of shards.
    public var shards: Int
    /// The plan's fingerprint.
    public var fingerprint: String
    /// The manifest rows of the shard.
    public var images: Int
    /// Images left out of the stores (paths relative to the dataset root), with the reason.
    public var skipped: [SkippedFile]
    /// Each recipe's shard store.
    public var extractions: [ExtractionRecord]
    /// The machine that ran the task.
    public var host: String
    /// Wall-clock seconds of the task, checks of the images included.
    public var seconds: Double
}

extension ShardedRun {
    /// Makes shard `shard`'s store of every recipe — manifest rows `[n·i/N, n·(i+1)/N)` — after
    /// checking that each of its images is the planned one (size and SHA-256). A finished store
    /// of the same plan and shard is kept and an interrupted one resumed, so running a task
    /// again is harmless (a second task of the same shard waits for the first); an image that
    /// cannot be decoded is left out and recorded, not a failure of the task.
    /// - Parameters:
    ///   - shard: the shard, from 0.
    ///   - imageFolder: this machine's copy of the dataset root (default: the plan's).
    ///   - batchSize: images per network batch.
    ///   - threads: threads for checking, decoding and the network.
    ///   - observer: told the progress.
    /// - Returns: the shard's record, also written to ``shardRecord(_:)``.
    /// - Throws: `ShardedRunError.indexOutOfRange`, `.imageChanged`; `FileSafetyError` when a
    ///   store or the record would be an input; what extraction throws.
    public func extract(shard: Int, imageFolder: URL? = nil, batchSize: Int, threads: Int,
                        observer: any SpotcheckObserver = SilentObserver()) throws -> ShardRecord {
        try Self.check(shard, of: plan.shards, what: "shard")
        let start = Date()
        let root = imageFolder ?? URL(fileURLWithPath: plan.imageFolder)
        let entries = Array(manifest.entries[manifest.rows(ofShard: shard, count: plan.shards)])
        observer.observe(.note("shard \(shard) of \(plan.shards): \(entries.count) images under \(root.path)"))
        let recipes = try plan.featureRecipes(file: planFile.path)
        let outputs = recipes.map { shardStore($0, index: shard) } + [shardRecord(shard)]
        return try Self.writing(outputs, inputs: planFiles + entries.map { root.appendingPathComponent($0.path) },
                                lock: taskLock(FeatureExtraction.shardName(shard, of: plan.shards)), observer: observer) {
            try extract(entries, shard: shard, root: root, recipes: recipes, batchSize: batchSize, threads: threads,
                        start: start, observer: observer)
        }
    }

    /// Extracts the images of shard `shard` into its stores and writes its record.
    private func extract(_ entries: [ImageManifest.Entry], shard: Int, root: URL, recipes: [FeatureRecipe], batchSize: Int,
                         threads: Int, start: Date, observer: any SpotcheckObserver) throws -> ShardRecord {
        try verify(entries, root: root, threads: threads)
        let dataset = Dataset(root: root, classes: plan.classes,
                              samples: entries.map { Dataset.Sample(url: root.appendingPathComponent($0.path), label: $0.label) },
                              fingerprint: plan.fingerprint)
        let extraction = FeatureExtraction(dataset: dataset, storeFolder: storeFolder, batchSize: batchSize, threads: threads,
                                           seed: plan.seed, part: .shard(index: shard, count: plan.shards))
        var records = [ExtractionRecord]()
        var failures = [String: SkippedFile]()
        let passes = FeatureRecipe.passes(recipes)
        for (step, pass) in passes.enumerated() {
            observer.observe(.phase("features of \(pass.map(\.name).joined(separator: ", "))", step: step + 1, of: passes.count))
            let outcome = try extraction.run(pass, observer: observer)
            records += outcome.records
            for failure in outcome.failures where failures[failure.path] == nil {
                failures[failure.path] = failure
                observer.observe(.skipped(failure))
            }
        }
        // Left out of some store: this task's failure, or decoded again for a store made earlier.
        var stored = [Set<String>]()
        for record in records {
            stored.append(Set(try RunStores.keys(of: FeatureStoreReader(url: URL(fileURLWithPath: record.featureFile)))))
        }
        let skipped = entries.filter { entry in !stored.allSatisfy { $0.contains(entry.path) } }.map { entry in
            let url = root.appendingPathComponent(entry.path)
            return SkippedFile(path: entry.path, reason: (failures[url.path] ?? SkippedFile(leftOut: url)).reason)
        }
        let record = ShardRecord(shard: shard, shards: plan.shards, fingerprint: plan.fingerprint, images: entries.count,
                                 skipped: skipped, extractions: records,
                                 host: ProcessInfo.processInfo.hostName, seconds: Date().timeIntervalSince(start))
        try Self.write(try Self.encoder.encode(record), to: shardRecord(shard))
        return record
    }

    /// Checks that every image is where the plan says, with its size and content.
    /// - Throws: `ShardedRunError.imageChanged` for the first that is not.
    private func verify(_ entries: [ImageManifest.Entry], root: URL, threads: Int) throws {
        _ = try concurrentMap(entries.count, threads: threads) { index in
            let entry = entries[index]
            let url = root.appendingPathComponent(entry.path)
            let digest = try ImageManifest.digest(of: url)
            if digest.size != entry.size {
                throw ShardedRunError.imageChanged(path: url.path, reason: "has \(digest.size) bytes, not the planned \(entry.size),")
            }
            if digest.sha256 != entry.sha256 { throw ShardedRunError.imageChanged(path: url.path, reason: "has other content") }
        }
    }
}
