/// Why a step of a planned (sharded) run refused to go on; each case says what is wrong and what
/// to do, in the library's terms (the command-line tool adds which flag or command to use).
public enum ShardedRunError: Error, Equatable, CustomStringConvertible {
    /// The plan, its manifest or a record of its progress cannot be read or is damaged.
    case planUnreadable(path: String, reason: String)
    /// No shard or pair index was given, neither directly nor by the scheduler's environment.
    case noIndex(what: String)
    /// A shard or pair index outside the plan.
    case indexOutOfRange(what: String, index: Int, count: Int)
    /// An image differs from the plan's manifest on this machine (missing, other size or content).
    case imageChanged(path: String, reason: String)
    /// An image's name cannot be written to the manifest.
    case unplannableName(path: String, reason: String)
    /// Shards of a store are missing, unfinished or do not match the plan, so it cannot be merged.
    case shardsIncomplete(store: String, problems: [String])
    /// A step needs the output of an earlier step that is not there yet.
    case stepNotDone(step: String, missing: [String])
    /// A folder for the run's files cannot be created or written.
    case notWritable(path: String, reason: String)
    /// The images cannot be cut into that many shards.
    case shardCount(shards: Int, images: Int)
    /// Only an image folder can be planned (feature files are already extracted).
    case notImages
    /// Weights files were named for backbones; every task must find the same weights by itself.
    case namedWeights(backbones: [String])
    /// The plan has no such extractor × classifier pair.
    case noPair(extractor: String, classifier: String, extractors: [String], classifiers: [String])

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .planUnreadable(let path, let reason):
            return "cannot use the plan file \(path): \(reason); make the plan again"
        case .noIndex(let what):
            return "no \(what) index: give one, or run as a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)"
        case .indexOutOfRange(let what, let index, let count):
            return "\(what) \(index) does not exist: the plan has \(count) \(what)s, numbered 0 to \(count - 1)"
        case .imageChanged(let path, let reason):
            return "\(path) \(reason) since the plan was made, so this machine's copy of the images is not the planned one; restore it or make the plan again"
        case .unplannableName(let path, let reason):
            return "\(path) cannot be listed in the manifest (\(reason)); rename it"
        case .shardsIncomplete(let store, let problems):
            let shown = problems.prefix(10).joined(separator: "; ") + (problems.count > 10 ? "; and \(problems.count - 10) more" : "")
            return "the shards of \(store) cannot be merged: \(shown); extract those shards again"
        case .stepNotDone(let step, let missing):
            let shown = missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? " and \(missing.count - 10) more" : "")
            return "\(step) first: \(shown) missing"
        case .notWritable(let path, let reason):
            return "cannot write to \(path) (\(reason)); make the run folder writable"
        case .shardCount(let shards, let images):
            return "\(images) images cannot be cut into \(shards) shards; use between 1 and \(images) shards (thousands of images per shard suit a cluster)"
        case .noPair(let extractor, let classifier, let extractors, let classifiers):
            return "the plan has no pair \(extractor) × \(classifier); its extractors are \(extractors.joined(separator: ", ")) and its classifiers \(classifiers.joined(separator: ", "))"
        case .namedWeights(let backbones):
            return "a planned run cannot take weights named for \(backbones.joined(separator: ", ")): every task looks its weights up by itself, so put each file where it is looked for (see `spotcheck models`) and name the backbone alone"
        case .notImages:
            return "a run is planned over an image folder; feature files are spot-checked directly"
        }
    }
}
