import FileSafety
import Foundation

/// A spot-check cut into tasks that run as separate processes, on as many machines as a
/// scheduler gives — the same steps as ``SpotcheckRun``, with the files in one run folder as the
/// record of what is done:
///
/// 1. ``plan(_:shards:folder:threads:observer:)`` discovers the images once and writes
///    `RUN/manifest.tsv` and `RUN/plan.json`;
/// 2. ``extract(shard:imageFolder:batchSize:threads:observer:)`` makes shard `i`'s store of every
///    recipe, `RUN/features/<store>.shards/shard-IIIII-of-NNNNN.h5` (idempotent: a finished
///    matching shard is kept), and its record `RUN/shards/shard-IIIII-of-NNNNN.json`;
/// 3. ``merge(copy:observer:)`` joins each recipe's shards into `RUN/features/<store>.h5` — an
///    HDF5 virtual dataset, or one real file — and writes the split, `RUN/split.json`;
/// 4. `fit` scores one extractor × classifier pair into `RUN/results/<pair>.json`;
/// 5. `report` assembles the outputs `spotcheck run` writes;
/// ``status()`` says at any time which shards and pairs are done.
public struct ShardedRun: Sendable {
    /// The run folder.
    public let folder: URL
    /// The plan.
    public let plan: RunPlan
    /// The images, in store order.
    public let manifest: ImageManifest

    /// The plan's file name in the run folder.
    public static let planName = "plan.json"
    /// The manifest's file name in the run folder.
    public static let manifestName = "manifest.tsv"
    /// The split's file name in the run folder.
    public static let splitName = "split.json"

    /// Opens a planned run: reads and checks the plan and its manifest.
    /// - Parameter planFile: `RUN/plan.json`.
    /// - Throws: `ShardedRunError.planUnreadable` when either is missing, damaged, or the manifest
    ///   no longer has the plan's fingerprint.
    public init(planFile: URL) throws {
        folder = planFile.deletingLastPathComponent()
        let plan = try JSONDecoder().decode(RunPlan.self, from: try Self.read(planFile))
        try plan.validate(file: planFile.path)
        let manifestFile = folder.appendingPathComponent(Self.manifestName)
        let text = String(decoding: try Self.read(manifestFile), as: UTF8.self)
        let manifest = try ImageManifest(parsing: text, classes: plan.classes, file: manifestFile.path)
        guard manifest.fingerprint(classes: plan.classes) == plan.fingerprint, manifest.entries.count == plan.images else {
            throw ShardedRunError.planUnreadable(path: manifestFile.path, reason: "it no longer has the fingerprint recorded in \(planFile.lastPathComponent)")
        }
        self.plan = plan
        self.manifest = manifest
    }

    /// A run made by ``plan(_:shards:folder:threads:observer:)``.
    init(folder: URL, plan: RunPlan, manifest: ImageManifest) {
        self.folder = folder
        self.plan = plan
        self.manifest = manifest
    }

    /// The contents of a plan file, read as untrusted: a regular file of at most 1 GiB.
    private static func read(_ url: URL) throws -> Data {
        let kind = FileKind(path: url.path)
        guard kind == .regular else {
            throw ShardedRunError.planUnreadable(path: url.path, reason: kind == .missing ? "it does not exist" : "it is \(kind)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size, size <= 1 << 30, let data = try? Data(contentsOf: url) else {
            throw ShardedRunError.planUnreadable(path: url.path, reason: "it cannot be read, or is larger than 1 GiB")
        }
        return data
    }

    // MARK: - Files of the run folder

    /// `RUN/plan.json`.
    public var planFile: URL { folder.appendingPathComponent(Self.planName) }
    /// `RUN/features`: the shards and the merged stores.
    public var storeFolder: URL { folder.appendingPathComponent("features") }
    /// `RUN/split.json`: the split every `fit` task uses.
    public var splitFile: URL { folder.appendingPathComponent(Self.splitName) }
    /// `RUN/results`: one file per scored pair.
    public var resultsFolder: URL { folder.appendingPathComponent("results") }

    /// The merged store of `recipe`: `RUN/features/<store>.h5`.
    public func mergedStore(_ recipe: RunPlan.Recipe) -> URL {
        storeFolder.appendingPathComponent(recipe.store + ".h5")
    }

    /// The store of shard `index` of `recipe`.
    public func shardStore(_ recipe: FeatureRecipe, index: Int) -> URL {
        FeatureExtraction.shardURL(recipe, index: index, count: plan.shards, in: storeFolder)
    }

    /// The record of shard `index`: `RUN/shards/shard-IIIII-of-NNNNN.json`, written when all of
    /// its stores are finished.
    public func shardRecord(_ index: Int) -> URL {
        folder.appendingPathComponent("shards")
            .appendingPathComponent(FeatureExtraction.shardName(index, of: plan.shards) + ".json")
    }

    /// The result of pair `index`: `RUN/results/<store>+<classifier>.json`.
    public func resultFile(_ index: Int) -> URL {
        resultsFolder.appendingPathComponent(plan.pairs[index].name + ".json")
    }

    /// Throws unless `index` is one of `count`.
    static func check(_ index: Int, of count: Int, what: String) throws {
        guard (0..<count).contains(index) else { throw ShardedRunError.indexOutOfRange(what: what, index: index, count: count) }
    }

    /// Writes `data` to `url` atomically, creating its folder.
    static func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(data, to: url, replacing: true)
        } catch {
            throw ShardedRunError.notWritable(path: url.path, reason: "\(error)")
        }
    }

    /// The lock folder of one task (`RUN/locks/<task>`): two tasks of the same shard or pair —
    /// a resubmission while the first still runs — write their files one after the other.
    func taskLock(_ task: String) -> URL {
        folder.appendingPathComponent("locks").appendingPathComponent(task)
    }

    /// The run's own files that every step reads: the plan, the manifest and the groups file.
    var planFiles: [URL] {
        [planFile, folder.appendingPathComponent(Self.manifestName)]
            + (plan.groupsFile.map { [folder.appendingPathComponent($0)] } ?? [])
    }

    /// Runs `body`, which writes `outputs`, holding the lock of `lockFolder` and after refusing
    /// any output that is one of `inputs` by any name (symbolic or hard link): a step's files are
    /// written by one process at a time, never over what it reads.
    /// - Parameters:
    ///   - outputs: the files `body` writes (their folders are created).
    ///   - inputs: the files it reads.
    ///   - lockFolder: the folder whose `FolderLock` is held (created if needed).
    ///   - observer: told when another process holds the lock.
    ///   - body: the step.
    /// - Returns: what `body` returns.
    /// - Throws: `FileSafetyError.outputIsInput`, `.sameOutputTwice` or `.io` before any work;
    ///   `ShardedRunError.notWritable`; what `body` throws.
    static func writing<T>(_ outputs: [URL], inputs: [URL], lock lockFolder: URL, observer: any SpotcheckObserver,
                           _ body: () throws -> T) throws -> T {
        let lock = try FolderLock(lockFolder) { holder in
            observer.observe(.note("waiting for \(holder), which is writing to \(lockFolder.path)"))
        }
        defer { lock.release() }
        for folder in Set(outputs.map { $0.deletingLastPathComponent().standardizedFileURL.path }) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw ShardedRunError.notWritable(path: folder, reason: "\(error)")
            }
        }
        try OutputPaths.check(outputs, inputs: inputs, replacing: true)
        return try body()
    }

    /// A JSON encoder for the run's files: sorted keys, readable.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension ShardedRun {
    /// The index of this task: `given` when there is one, else the scheduler's — Slurm's
    /// `SLURM_ARRAY_TASK_ID`, else a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`.
    /// - Parameters:
    ///   - given: an index given directly.
    ///   - what: `shard` or `pair`, for messages.
    ///   - environment: the process environment.
    /// - Returns: the index (not yet checked against the plan).
    /// - Throws: `ShardedRunError.noIndex` when there is none, or the variable is not a number.
    public static func taskIndex(given: Int?, what: String,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        if let given { return given }
        for variable in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"] {
            guard let value = environment[variable] else { continue }
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw ShardedRunError.noIndex(what: "\(what) (\(variable)=\(value) is not a number)")
            }
            return index
        }
        throw ShardedRunError.noIndex(what: what)
    }
}

extension ShardedRun {
    /// The index of the pair of `extractor` and `classifier`.
    /// - Throws: `ShardedRunError.indexOutOfRange` when the plan has no such pair.
    public func pairIndex(extractor: String, classifier: String) throws -> Int {
        guard let index = plan.pairs.firstIndex(where: { $0.extractor == extractor && $0.classifier == classifier }) else {
            throw ShardedRunError.noPair(extractor: extractor, classifier: classifier,
                                         extractors: plan.recipes.map(\.name), classifiers: plan.classifiers)
        }
        return index
    }
}
