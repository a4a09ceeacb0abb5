import FeatureStore
import Foundation

/// One recipe's merged store.
public struct MergedStore: Sendable, Equatable {
    /// The extractor's name.
    public var extractor: String
    /// `RUN/features/<store>.h5`.
    public var file: URL
    /// Its rows.
    public var rows: Int
    /// Whether it is a virtual dataset over the shards (else a copy).
    public var isVirtual: Bool
}

extension ShardedRun {
    /// Above this many shards a virtual store reads slowly (each read opens every shard) and
    /// nears common open-file limits; a copy is then the better merge.
    public static let virtualShardWarning = 1000

    /// Joins each recipe's shards into `RUN/features/<store>.h5` — an HDF5 virtual dataset over
    /// the shard files (which must stay where they are) or, with `copy`, one real file — after
    /// checking every shard: finished, recorded, of this plan, holding exactly its images in
    /// manifest order. Then writes the split every `fit` task uses, `RUN/split.json`. The run
    /// folder's lock is held while they are written.
    /// - Parameters:
    ///   - copy: copy the rows into one real file instead of mapping them.
    ///   - observer: told the progress; warned above ``virtualShardWarning`` shards.
    /// - Returns: the merged stores, in recipe order.
    /// - Throws: `ShardedRunError.shardsIncomplete` listing every shard that is missing,
    ///   unfinished, short or mismatched (nothing is written then); `FeatureStoreError` when
    ///   joining fails; `FileSafetyError` when a merged store or the split would be an input;
    ///   `SpotcheckError.classTooSmall` and split errors.
    public func merge(copy: Bool = false, observer: any SpotcheckObserver = SilentObserver()) throws -> [MergedStore] {
        let recipes = try plan.featureRecipes(file: planFile.path)
        var records = [Int: ShardRecord]()
        var problems = [String]()
        for index in 0..<plan.shards {
            switch state(ofShard: index) {
            case .done: records[index] = try readRecord(index)
            case .partial: problems.append("shard \(index) is unfinished")
            case .missing: problems.append("shard \(index) is missing")
            case .mismatched(let why): problems.append("shard \(index): \(why)")
            }
        }
        for (recipe, entry) in zip(recipes, plan.recipes) {
            var storeProblems = problems
            for (index, record) in records.sorted(by: { $0.key < $1.key }) {
                if let problem = problem(ofShard: index, recipe: recipe, record: record) { storeProblems.append(problem) }
            }
            guard storeProblems.isEmpty else { throw ShardedRunError.shardsIncomplete(store: entry.store, problems: storeProblems) }
        }
        let shards = recipes.flatMap { recipe in (0..<plan.shards).map { shardStore(recipe, index: $0) } }
        return try Self.writing(plan.recipes.map { mergedStore($0) } + [splitFile],
                                inputs: planFiles + shards + (0..<plan.shards).map { shardRecord($0) }, lock: folder, observer: observer) {
            let merged = try zip(recipes, plan.recipes).map { recipe, entry in
                try join(recipe, into: entry, copy: copy, observer: observer)
            }
            try writeSplit(merged.map(\.file), observer: observer)
            return merged
        }
    }

    /// Joins the checked shards of `recipe` into its merged store.
    private func join(_ recipe: FeatureRecipe, into entry: RunPlan.Recipe, copy: Bool,
                      observer: any SpotcheckObserver) throws -> MergedStore {
        let shards = (0..<plan.shards).map { shardStore(recipe, index: $0) }
        if !copy, plan.shards > Self.virtualShardWarning {
            observer.observe(.warning("\(entry.store): \(plan.shards) shards in a virtual store — every read opens all of them; a copy reads faster"))
        }
        var attributes = try FeatureStoreReader(url: shards[0]).attributes
        attributes[StoreRecipe.shardKey] = nil
        attributes["shard_count"] = .integer(plan.shards)
        attributes["plan_fingerprint"] = .string(plan.fingerprint)
        let url = mergedStore(entry)
        let rows = try FeatureStoreJoin.join(shards, into: url, attributes: attributes, method: copy ? .copy : .virtual,
                                             overwrite: true)
        observer.observe(.note("\(url.path): \(rows) rows from \(plan.shards) shard(s)\(copy ? ", copied" : ", virtual")"))
        return MergedStore(extractor: entry.name, file: url, rows: rows, isVirtual: !copy)
    }

    /// Splits the rows every merged store holds, as ``SpotcheckRun/split(_:)`` does, and writes
    /// `RUN/split.json` (left as it is when it already holds this split).
    private func writeSplit(_ stores: [URL], observer: any SpotcheckObserver) throws {
        let rows = try RunStores.open(featureFiles: stores).commonRows
        try SpotcheckError.checkClassSizes(labels: rows.map(\.label), classes: plan.classes)
        let groups = try plan.groupsFile.map { try SourceGroups(contentsOf: folder.appendingPathComponent($0)) }
        let split = try RunSplit(rows: rows, groups: groups, testFraction: plan.testFraction, seed: plan.seed,
                                 observer: observer)
        let data = try Self.encoder.encode(split)
        if (try? Data(contentsOf: splitFile)) != data { try Self.write(data, to: splitFile) }
        observer.observe(.note("\(splitFile.path): \(split.trainKeys.count) training / \(split.testKeys.count) test rows"))
    }
}
