import ClassicML
import FeatureStore
import FileSafety
import Foundation

extension ShardedRun {
    /// Assembles the outputs `spotcheck run` writes — `final_report.json`, `final_report.html`
    /// and `best_model.json` in the run folder, committed as one unit — from the pairs' results:
    /// ranked, tie-tested and reported by the same code as ``SpotcheckRun``, with the dataset
    /// section of the planned images and the winner's model as its fit task saved it, under the
    /// run folder's lock (an interrupted earlier commit is finished or undone first).
    /// - Parameters:
    ///   - command: the command line recorded in the report.
    ///   - observer: told each pair's result.
    /// - Returns: the report and where its files are.
    /// - Throws: `ShardedRunError.stepNotDone` naming the pairs without a current result;
    ///   `SpotcheckError.nothingEvaluated` when every pair failed; `FileSafetyError` when an
    ///   output would be an input; store and file errors.
    public func report(command: [String], observer: any SpotcheckObserver = SilentObserver()) throws -> SpotcheckResult {
        let outputs = [RunOutputs.modelName, RunOutputs.pageName, RunOutputs.reportName].map { folder.appendingPathComponent($0) }
        let inputs = planFiles + [splitFile] + plan.recipes.map { mergedStore($0) }
            + plan.pairs.indices.flatMap { [resultFile($0), modelFile($0)] }
        return try Self.writing(outputs, inputs: inputs, lock: folder, observer: observer) {
            try OutputCommit.recover(in: folder)
            return try assembleReport(command: command, observer: observer)
        }
    }

    /// Ranks the pairs' results and writes the report (under the run folder's lock).
    private func assembleReport(command: [String], observer: any SpotcheckObserver) throws -> SpotcheckResult {
        let (split, digest) = try readSplit()
        let missing = plan.pairs.indices.filter { index in
            (try? readResult(index)).map { !isCurrent($0, index: index, splitDigest: digest) } ?? true
        }
        guard missing.isEmpty else { throw ShardedRunError.stepNotDone(step: "fit every pair", missing: missing.map { plan.pairs[$0].name }) }
        let records = try plan.pairs.indices.map { try readResult($0) }
        let (evaluation, resamples) = try gridEvaluation(split)
        var scored = [GridEvaluation.Scored]()
        var bests = [(pair: SpotcheckReport.BestPair, best: GridEvaluation.Best)]()
        for (index, recipe) in plan.recipes.enumerated() {
            let store = mergedStore(recipe)
            let evaluations = (0..<plan.classifiers.count).map { position in
                let record = records[index * plan.classifiers.count + position]
                return GridEvaluation.PairEvaluation(result: record.result, predictions: record.predictions, fitted: nil)
            }
            let (pairs, best) = evaluation.rank(evaluations, index: index, rows: try ExtractorRows(store: store, split: split))
            pairs.forEach { observer.observe(.pairScored($0.result)) }
            scored += pairs
            if let best, let pair = evaluation.bestPair(best, featureFile: store.path) { bests.append((pair, best)) }
        }
        let files = Dictionary(plan.recipes.map { ($0.name, mergedStore($0).path) }, uniquingKeysWith: { first, _ in first })
        var verdict = try Verdict(scored: scored, bests: bests, winnerDetail: { best in
            evaluation.bestPair(best, featureFile: files[best.result.extractor] ?? "", withPredictions: true)
        }, plan: resamples)
        if let winner = plan.pairs.indices.first(where: {
            plan.pairs[$0].extractor == verdict.winner.extractor && plan.pairs[$0].classifier == verdict.winner.classifier
        }) {
            verdict.winnerModel = FittedModel(try ModelFile.load(from: modelFile(winner)))
        }

        var configuration = SpotcheckConfiguration(.featureFiles(plan.recipes.map { mergedStore($0) }))
        configuration.classifiers = evaluation.specs
        configuration.split = plan.splitOptions
        configuration.outputFolder = folder
        configuration.storeFolder = storeFolder
        configuration.command = command
        let stores = try runStores(records: (0..<plan.shards).map { try readRecord($0) })
        let extraction = stores.extractions.reduce(0) { $0 + $1.seconds }
        let classification = records.reduce(0) { $0 + $1.seconds }
        let timings = SpotcheckReport.Timings(discoverySeconds: plan.planningSeconds, extractionSeconds: extraction,
                                              classificationSeconds: classification,
                                              totalSeconds: plan.planningSeconds + extraction + classification)
        return try RunOutputs.write(run: try SpotcheckRun(configuration), stores: stores, split: split, verdict: verdict,
                                    timings: timings, imageRoot: URL(fileURLWithPath: plan.imageFolder))
    }

    /// The merged stores as the report sees them: the rows they share, an extraction record per
    /// recipe summed over its shards (seconds are task seconds), and the dataset section of the
    /// planned images — what was skipped at discovery and what no shard could decode, in the
    /// dataset's order, as `run` lists them.
    private func runStores(records: [ShardRecord]) throws -> RunStores {
        var stores = try RunStores.open(featureFiles: plan.recipes.map { mergedStore($0) })
        stores.extractions = zip(plan.recipes, stores.extractions).map { recipe, merged in
            let shards = records.compactMap { $0.extractions.first { $0.extractor == recipe.name } }
            let extracted = shards.filter { !$0.cached }
            let seconds = extracted.reduce(0) { $0 + $1.seconds }
            var record = shards.first ?? merged
            record.featureFile = merged.featureFile
            record.rows = merged.rows
            record.cached = extracted.isEmpty
            record.resumed = shards.contains { $0.resumed }
            record.seconds = shards.reduce(0) { $0 + $1.seconds }
            record.imagesPerSecond = seconds > 0 ? Double(extracted.reduce(0) { $0 + $1.rows }) / seconds : nil
            return record
        }
        let labelOf = Dictionary(manifest.entries.map { ($0.path, $0.label) }, uniquingKeysWith: { first, _ in first })
        let undecodable = records.flatMap(\.skipped).sorted { a, b in
            let (la, lb) = (labelOf[a.path] ?? -1, labelOf[b.path] ?? -1)
            return la != lb ? la < lb : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
        }
        let root = URL(fileURLWithPath: plan.imageFolder)
        stores.summary = SpotcheckReport.DatasetSummary(
            root: plan.imageFolder, layout: plan.datasetLayout, classes: plan.classes,
            countsPerClass: RunStores.counts(of: stores.commonRows, classes: plan.classes), images: stores.commonRows.count,
            skipped: plan.skipped + undecodable.map { SkippedFile(path: root.appendingPathComponent($0.path).path, reason: $0.reason) },
            warnings: plan.warnings)
        return stores
    }
}
