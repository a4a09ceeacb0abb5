import ClassicML
import Extractor
import FeatureStore
import Foundation

/// What one fit task left behind: `RUN/results/<store>+<classifier>.json` (and the fitted model
/// beside it, `….model.json`), the record that the pair is scored.
public struct PairRecord: Codable, Sendable {
    /// The pair's index in the plan.
    public var pair: Int
    /// The pair's name.
    public var name: String
    /// The plan's fingerprint.
    public var fingerprint: String
    /// The SHA-256 of the `split.json` it was scored on.
    public var split: String
    /// The pair's result, as `run` reports it (before ranking).
    public var result: SpotcheckReport.PairResult
    /// Its prediction for every test row, in the split's test order.
    public var predictions: [Int]
    /// The machine that ran the task.
    public var host: String
    /// Wall-clock seconds of the task.
    public var seconds: Double
}

extension ShardedRun {
    /// The fitted model of pair `index`, beside its result.
    public func modelFile(_ index: Int) -> URL {
        resultsFolder.appendingPathComponent(plan.pairs[index].name + ".model.json")
    }

    /// Scores pair `pair` — cross-validation on the training rows, then one fit on all of them
    /// scored on the test rows — exactly as ``SpotcheckRun/evaluate(_:split:)`` scores each of
    /// its pairs, on the merged store and the split of `split.json`. A current result is kept; a
    /// second task of the same pair waits for the first.
    /// - Parameters:
    ///   - pair: the pair, from 0 (recipe-major: `recipe × classifiers + classifier`).
    ///   - observer: told the result.
    /// - Returns: the pair's record, also written to ``resultFile(_:)``.
    /// - Throws: `ShardedRunError.indexOutOfRange`, `.stepNotDone` before the merge;
    ///   `FeatureStoreError` when the store cannot be read; `FileSafetyError` when the result or
    ///   model would be an input.
    public func fit(pair: Int, observer: any SpotcheckObserver = SilentObserver()) throws -> PairRecord {
        try Self.check(pair, of: plan.pairs.count, what: "pair")
        let start = Date()
        let (split, digest) = try readSplit()
        if let kept = try? readResult(pair), isCurrent(kept, index: pair, splitDigest: digest) {
            observer.observe(.note("\(plan.pairs[pair].name): keeping its result in \(resultFile(pair).path)"))
            return kept
        }
        let recipe = plan.recipes[pair / plan.classifiers.count]
        let store = mergedStore(recipe)
        guard FileManager.default.fileExists(atPath: store.path) else { throw ShardedRunError.stepNotDone(step: "merge", missing: [store.path]) }
        let shards = ((try? FeatureStoreReader(url: store).virtualSources) ?? []).map { URL(fileURLWithPath: $0) }
        return try Self.writing([modelFile(pair), resultFile(pair)], inputs: planFiles + [splitFile, store] + shards,
                                lock: taskLock(plan.pairs[pair].name), observer: observer) {
            try fit(pair: pair, recipe: recipe, store: store, split: split, digest: digest, start: start, observer: observer)
        }
    }

    /// Scores pair `pair` on `store` and writes its model and record.
    private func fit(pair: Int, recipe: RunPlan.Recipe, store: URL, split: RunSplit, digest: String, start: Date,
                     observer: any SpotcheckObserver) throws -> PairRecord {
        let (evaluation, _) = try gridEvaluation(split)
        let evaluated = try evaluation.evaluatePair(pair % plan.classifiers.count, extractor: recipe.name, store: store)
        observer.observe(.pairScored(evaluated.result))
        // The model first: the record says the pair is done.
        if let fitted = evaluated.fitted {
            let metadata = try ModelMetadata(classifier: evaluated.result.classifier, store: store)
            let model = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler, classNames: plan.classes,
                                   metadata: metadata.dictionary)
            try Self.write(try ModelFile.encode(model), to: modelFile(pair))
        }
        let record = PairRecord(pair: pair, name: plan.pairs[pair].name, fingerprint: plan.fingerprint, split: digest,
                                result: evaluated.result, predictions: evaluated.predictions,
                                host: ProcessInfo.processInfo.hostName, seconds: Date().timeIntervalSince(start))
        try Self.write(try Self.encoder.encode(record), to: resultFile(pair))
        return record
    }

    /// The split of `split.json` and the SHA-256 of the file.
    /// - Throws: `ShardedRunError.stepNotDone` when there is none; `.planUnreadable` when damaged.
    func readSplit() throws -> (split: RunSplit, digest: String) {
        guard let data = try? Data(contentsOf: splitFile) else { throw ShardedRunError.stepNotDone(step: "merge", missing: [splitFile.path]) }
        guard let split = try? JSONDecoder().decode(RunSplit.self, from: data) else {
            throw ShardedRunError.planUnreadable(path: splitFile.path, reason: "the split is damaged")
        }
        return (split, SHA256.hexDigest(data))
    }

    /// The record of pair `index`.
    func readResult(_ index: Int) throws -> PairRecord {
        guard let data = try? Data(contentsOf: resultFile(index)), let record = try? JSONDecoder().decode(PairRecord.self, from: data) else {
            throw ShardedRunError.planUnreadable(path: resultFile(index).path, reason: "the pair's result is missing or damaged")
        }
        return record
    }

    /// Whether `record` is pair `index`'s result on this plan and split, with its model when it has one.
    func isCurrent(_ record: PairRecord, index: Int, splitDigest: String) -> Bool {
        record.pair == index && record.name == plan.pairs[index].name && record.fingerprint == plan.fingerprint
            && record.split == splitDigest
            && (record.result.error != nil || FileManager.default.fileExists(atPath: modelFile(index).path))
    }

    /// The grid every fit task and the report share: the plan's classifiers, its classes, the
    /// split and the cross-validation resamples of its training rows.
    func gridEvaluation(_ split: RunSplit) throws -> (GridEvaluation, CrossValidationPlan) {
        let labelOf = Dictionary(manifest.entries.map { ($0.path, $0.label) }, uniquingKeysWith: { first, _ in first })
        let resamples = try CrossValidationPlan(split: split, labelOf: labelOf, options: plan.splitOptions)
        let specs = try plan.classifiers.map { try ClassifierSpec(parsing: $0) }
        return (GridEvaluation(specs: specs, seed: plan.seed, classes: plan.classes, split: split, plan: resamples), resamples)
    }
}
