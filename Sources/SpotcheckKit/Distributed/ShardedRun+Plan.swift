import Foundation

extension ShardedRun {
    /// Plans a run: discovers the images once (with every check ``SpotcheckRun`` makes before it
    /// starts), hashes them, and writes `RUN/manifest.tsv`, a copy of the source-groups CSV when
    /// there is one, and `RUN/plan.json` last, holding the run folder's lock.
    /// - Parameters:
    ///   - configuration: an image folder, recipes, classifiers and split; its output and store
    ///     folders are replaced by `folder` and `folder/features`.
    ///   - shards: how many shards to cut the images into.
    ///   - folder: the run folder (created if needed); it must be reachable from every task.
    ///   - threads: files hashed at once.
    ///   - observer: told about the dataset.
    /// - Returns: the planned run.
    /// - Throws: what ``SpotcheckRun/init(_:observer:)`` throws; `ShardedRunError.notImages`,
    ///   `.shardCount`, `.unplannableName`, `.notWritable`, `.namedWeights`; `FileSafetyError` when an output is the
    ///   groups file.
    public static func plan(_ configuration: SpotcheckConfiguration, shards: Int, folder: URL, threads: Int,
                            observer: any SpotcheckObserver = SilentObserver()) throws -> ShardedRun {
        guard case .images(let imageFolder) = configuration.source else { throw ShardedRunError.notImages }
        guard configuration.weightsFiles.isEmpty else { throw ShardedRunError.namedWeights(backbones: configuration.weightsFiles.keys.sorted()) }
        let start = Date()
        var configuration = configuration
        configuration.outputFolder = folder
        configuration.storeFolder = folder.appendingPathComponent("features")
        let run = try SpotcheckRun(configuration, observer: observer)
        guard let dataset = run.dataset else { throw ShardedRunError.notImages }
        guard (1...dataset.samples.count).contains(shards) else {
            throw ShardedRunError.shardCount(shards: shards, images: dataset.samples.count)
        }
        observer.observe(.note("hashing \(dataset.samples.count) images for the manifest"))
        // Listed in the order `run` writes its stores: shards are blocks of it, so the merged
        // stores hold the rows in the same order.
        let order = FeatureExtraction(dataset: dataset, storeFolder: folder, batchSize: 1, threads: 1,
                                      seed: configuration.split.seed).rowOrder(seed: configuration.split.seed)
        let manifest = try ImageManifest.make(dataset, order: order, threads: threads)
        let manifestFile = folder.appendingPathComponent(manifestName), planFile = folder.appendingPathComponent(planName)
        let groupsCopy = folder.appendingPathComponent(SourceGroups.defaultName)
        // A groups file already in the run folder is the plan's as it is.
        let copyGroups = run.sourceGroups.map { $0.file.standardizedFileURL.path != groupsCopy.standardizedFileURL.path } ?? false
        let recipes = RunPlan.entries(configuration.recipes)
        let classifiers = configuration.classifiers.map(\.description)
        let cookbook = dataset.root.standardizedFileURL.path != imageFolder.standardizedFileURL.path
        let groupsPath = run.sourceGroups?.file.standardizedFileURL.path
        let plan = RunPlan(
            format: RunPlan.currentFormat, toolVersion: SpotcheckVersion.current,
            createdAt: ISO8601DateFormatter().string(from: Date()), imageFolder: dataset.root.standardizedFileURL.path,
            datasetLayout: cookbook ? "DIR/images/<class>/<file>" : "DIR/<class>/<file>", classes: dataset.classes,
            images: dataset.samples.count, shards: shards, fingerprint: manifest.fingerprint(classes: dataset.classes),
            recipes: recipes, classifiers: classifiers, pairs: RunPlan.pairs(recipes, classifiers: classifiers),
            testFraction: configuration.split.testFraction, seed: configuration.split.seed, folds: configuration.split.folds,
            repeats: configuration.split.repeats,
            groupsFile: run.sourceGroups == nil ? nil : SourceGroups.defaultName,
            skipped: dataset.skipped.filter { $0.url.standardizedFileURL.path != groupsPath }
                .map { SkippedFile(path: $0.url.path, reason: $0.reason) },
            warnings: dataset.warnings, planningSeconds: Date().timeIntervalSince(start))
        // The plan goes last: a run folder with a plan has its manifest.
        try writing([manifestFile] + (copyGroups ? [groupsCopy] : []) + [planFile],
                    inputs: run.sourceGroups.map { [$0.file] } ?? [], lock: folder, observer: observer) {
            try write(Data(manifest.text(classes: dataset.classes).utf8), to: manifestFile)
            if copyGroups, let groups = run.sourceGroups { try write(try Data(contentsOf: groups.file), to: groupsCopy) }
            try write(try encoder.encode(plan), to: planFile)
        }
        observer.observe(.note("planned \(plan.images) images in \(shards) shard(s) × \(recipes.count) recipe(s), \(plan.pairs.count) pair(s); fingerprint \(plan.fingerprint.prefix(12))"))
        return ShardedRun(folder: folder, plan: plan, manifest: manifest)
    }
}
