import FeatureStore
import Foundation

/// How far one shard of a planned run is.
public enum ShardState: Sendable, Equatable {
    /// Its record and every recipe's store are there.
    case done
    /// A task started it and did not finish (an unfinished store, or stores without the record).
    case partial
    /// Nothing of it is there.
    case missing
    /// Its files are there but are not this plan's shard (the reason says how).
    case mismatched(String)
}

extension ShardedRun {
    /// How far shard `index` is, judged by its files: its record, and each recipe's store
    /// (`.partial` while a task writes it).
    /// - Parameter index: the shard.
    /// - Returns: its state.
    public func state(ofShard index: Int) -> ShardState {
        let recipes = (try? plan.featureRecipes(file: planFile.path)) ?? []
        let stores = recipes.map { shardStore($0, index: index) }
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        guard exists(shardRecord(index)) else {
            let started = stores.contains { exists($0) || exists(FeatureStoreWriter.partialURL(for: $0)) }
            return started ? .partial : .missing
        }
        guard let record = try? readRecord(index) else { return .mismatched("its record cannot be read") }
        guard record.fingerprint == plan.fingerprint, record.shard == index, record.shards == plan.shards else {
            return .mismatched("its record belongs to another plan")
        }
        return stores.allSatisfy(exists) ? .done : .partial
    }

    /// Reads shard `index`'s record.
    func readRecord(_ index: Int) throws -> ShardRecord {
        let url = shardRecord(index)
        guard FileManager.default.fileExists(atPath: url.path), let data = try? Data(contentsOf: url),
              let record = try? JSONDecoder().decode(ShardRecord.self, from: data) else {
            throw ShardedRunError.planUnreadable(path: url.path, reason: "the shard's record is missing or damaged")
        }
        return record
    }

    /// Checks that shard `index`'s store of `recipe` holds exactly the shard's images (its
    /// manifest rows less those it recorded as skipped), in order, with their labels, and says
    /// which recipe, plan and shard made it.
    /// - Returns: nil when it does, else what is wrong.
    func problem(ofShard index: Int, recipe: FeatureRecipe, record: ShardRecord) -> String? {
        let url = shardStore(recipe, index: index)
        let reader: FeatureStoreReader
        do { reader = try FeatureStoreReader(url: url) } catch { return "shard \(index): \(error)" }
        let attributes = reader.attributes
        guard attributes.string(FeatureStoreAttributes.Key.datasetFingerprint) == plan.fingerprint,
              attributes.string(StoreRecipe.shardKey) == "\(index) of \(plan.shards)",
              StoreRecipe.recipe(of: attributes) == recipe else {
            return "shard \(index): \(url.lastPathComponent) was made for another plan, shard or recipe"
        }
        guard reader.labelNames == plan.classes else { return "shard \(index): its classes are not the plan's" }
        let skipped = Set(record.skipped.map(\.path))
        let expected = manifest.entries[manifest.rows(ofShard: index, count: plan.shards)].filter { !skipped.contains($0.path) }
        guard reader.rowCount == expected.count else {
            return "shard \(index): \(reader.rowCount) rows where \(expected.count) were expected"
        }
        guard let paths = try? reader.paths(0..<reader.rowCount), let labels = try? reader.labels(),
              paths == expected.map(\.path), labels == expected.map(\.label) else {
            return "shard \(index): its rows are not the shard's images in manifest order"
        }
        return nil
    }
}
