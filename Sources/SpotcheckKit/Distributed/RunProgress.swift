import Foundation

/// The steps of a planned run, in order; each needs the one before it done.
public enum RunStage: String, Sendable, CaseIterable {
    /// One task per shard.
    case extract
    /// One task: every recipe's shards into one store, and the split.
    case merge
    /// One task per extractor × classifier pair.
    case fit
    /// One task: the outputs.
    case report
}

/// How far a planned run is, judged by its files alone (a scheduler forgets finished jobs; the
/// files are the record): each shard's state, the merged stores and split, each pair's result
/// and the report.
public struct RunProgress: Sendable, Equatable {
    /// Each shard's state, by index.
    public var shards: [ShardState]
    /// Whether each recipe's merged store is there, in recipe order.
    public var merged: [Bool]
    /// Whether `split.json` is there.
    public var splitWritten: Bool
    /// Whether each pair's result is there, by pair index.
    public var pairs: [Bool]
    /// Whether the report is there.
    public var reportWritten: Bool

    /// The shards not done.
    public var unfinishedShards: [Int] { shards.indices.filter { shards[$0] != .done } }
    /// The shards a task started and did not finish.
    public var partialShards: [Int] { shards.indices.filter { shards[$0] == .partial } }
    /// The shards nothing was done for.
    public var missingShards: [Int] { shards.indices.filter { shards[$0] == .missing } }
    /// The shards whose files belong to another plan.
    public var mismatchedShards: [Int] {
        shards.indices.filter { if case .mismatched = shards[$0] { return true } else { return false } }
    }
    /// The pairs without a result.
    public var unfinishedPairs: [Int] { pairs.indices.filter { !pairs[$0] } }
    /// The pairs to fit from the next stage on: the missing ones when fitting is next, else all
    /// of them (a new merge makes every result stale; `fit` keeps those still current).
    public var pairsToFit: [Int] { nextStage == .fit ? unfinishedPairs : Array(pairs.indices) }

    /// The first step with work left, or nil when the run is complete.
    public var nextStage: RunStage? {
        if !unfinishedShards.isEmpty { return .extract }
        if merged.contains(false) || !splitWritten { return .merge }
        if !unfinishedPairs.isEmpty { return .fit }
        return reportWritten ? nil : .report
    }
}

extension ShardedRun {
    /// How far the run is.
    /// - Returns: the state of every shard, store, pair and output.
    public func status() -> RunProgress {
        let digest = (try? readSplit())?.digest
        return RunProgress(shards: (0..<plan.shards).map { state(ofShard: $0) },
                    merged: plan.recipes.map { FileManager.default.fileExists(atPath: mergedStore($0).path) },
                    splitWritten: digest != nil,
                    pairs: plan.pairs.indices.map { index in
                        digest.flatMap { digest in (try? readResult(index)).map { isCurrent($0, index: index, splitDigest: digest) } } ?? false
                    },
                    reportWritten: FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunOutputs.reportName).path))
    }

    /// The Slurm jobs that finish the run from its next stage (none when it is complete).
    /// - Parameter progress: the run's progress, from ``status()``.
    /// - Returns: the jobs, in submission order.
    public func remainingJobs(_ progress: RunProgress) -> [SlurmScripts.Job] {
        guard let stage = progress.nextStage else { return [] }
        return SlurmScripts.jobs(for: self, from: stage, shards: progress.unfinishedShards, pairs: progress.pairsToFit,
                                 maxArraySize: SlurmScripts.maxArraySize(of: self))
    }

    /// A bash script that submits ``remainingJobs(_:)``, or nil when the run is complete.
    /// - Parameter progress: the run's progress, from ``status()``.
    /// - Returns: the script's text.
    public func remainingSubmission(_ progress: RunProgress) -> String? {
        progress.nextStage.map {
            SlurmScripts.submission(for: self, from: $0, shards: progress.unfinishedShards, pairs: progress.pairsToFit,
                                    maxArraySize: SlurmScripts.maxArraySize(of: self))
        }
    }
}
