import ClassicML
import Extractor
import FeatureStore
import FileSafety
import Foundation

/// A spot-check as steps a program can call one by one — or all at once with ``execute()``:
///
/// 1. `init` plans: discovers the images (or opens the feature files), checks names, class
///    sizes, weights and output folders, so every refusal comes before any work;
/// 2. ``extractStores()`` makes or reuses each recipe's feature store;
/// 3. ``split(_:)`` fixes the shared train/test split;
/// 4. ``evaluate(_:split:)`` scores every extractor × classifier pair and picks the winner;
/// 5. ``report(_:split:verdict:timings:modelFile:)`` builds the report;
/// 6. ``writeOutputs(_:verdict:)`` commits the report and the winner's model as one unit.
public struct SpotcheckRun: Sendable {
    /// The configuration, as given.
    public let configuration: SpotcheckConfiguration
    /// The discovered image folder (nil for feature files).
    public let dataset: Dataset?
    /// Which images are copies of one photo, when known.
    public let sourceGroups: SourceGroups?
    /// Seconds spent planning.
    public let planningSeconds: Double
    private let observer: any SpotcheckObserver

    /// Plans a run: discovers the dataset (or checks the feature files), the recipes' weights,
    /// the class sizes, the source groups and the output folders.
    /// - Parameters:
    ///   - configuration: what to run.
    ///   - observer: receives warnings about the dataset and, later, the run's progress.
    /// - Throws: `DatasetError`, `BackboneError`, `FeatureStoreError`, `SpotcheckError` — each
    ///   saying what to fix; nothing has been written.
    public init(_ configuration: SpotcheckConfiguration, observer: any SpotcheckObserver = SilentObserver()) throws {
        let start = Date()
        self.configuration = configuration
        self.observer = observer
        guard !configuration.classifiers.isEmpty else { throw SpotcheckError.nothingEvaluated("no classifiers were given") }
        switch configuration.source {
        case .images(let folder):
            let dataset = try DatasetDiscovery.discover(at: folder)
            for warning in dataset.warnings { observer.observe(.warning(warning)) }
            guard !configuration.recipes.isEmpty else { throw SpotcheckError.nothingEvaluated("no feature extractors were given") }
            try SpotcheckError.checkClassSizes(labels: dataset.labels, classes: dataset.classes)
            for backbone in Set(configuration.recipes.map(\.backbone)) {
                let descriptor = try BackboneRegistry.descriptor(named: backbone)
                if let file = configuration.weightsFiles[backbone] {
                    guard FileManager.default.fileExists(atPath: file.path) else {
                        throw BackboneError.missingWeights(backbone: backbone, searched: [file.path], fetchedBySetup: false)
                    }
                } else {
                    let lookup = BackboneRegistry.locateWeights(for: descriptor)
                    guard lookup.file != nil else {
                        throw BackboneError.missingWeights(backbone: backbone, searched: lookup.searched,
                                                           fetchedBySetup: descriptor.fetchedBySetup)
                    }
                }
            }
            self.dataset = dataset
            sourceGroups = try Self.sourceGroups(configuration.groupsFile, imageFolder: folder, dataset: dataset)
        case .featureFiles(let files):
            for file in files { _ = try FeatureStoreReader(url: file) }
            dataset = nil
            sourceGroups = try configuration.groupsFile.map { try SourceGroups(contentsOf: $0) }
        }
        for folder in [configuration.outputFolder, configuration.resolvedStoreFolder] { try Self.ensureWritable(folder) }
        planningSeconds = Date().timeIntervalSince(start)
    }

    /// The groups of an explicit file, else of `sources.csv` in the image folder (or in the
    /// cookbook layout's `DIR/images`) when there is one.
    private static func sourceGroups(_ file: URL?, imageFolder: URL, dataset: Dataset) throws -> SourceGroups? {
        if let file { return try SourceGroups(contentsOf: file) }
        let candidates = [dataset.root, imageFolder].map { $0.appendingPathComponent(SourceGroups.defaultName) }
        return try candidates.first { FileManager.default.fileExists(atPath: $0.path) }.map { try SourceGroups(contentsOf: $0) }
    }

    /// Creates `folder` if needed and checks a file can be written there.
    private static func ensureWritable(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try AtomicFile.write(Data(), to: folder.appendingPathComponent(".spotcheck-write-test-\(getpid())"), replacing: true)
            try FileManager.default.removeItem(at: folder.appendingPathComponent(".spotcheck-write-test-\(getpid())"))
        } catch {
            throw SpotcheckError.outputNotWritable(path: folder.path, reason: "\(error)")
        }
    }

    // MARK: - Steps

    /// Makes (or reuses, or resumes) every recipe's store for an image folder, or opens the
    /// feature files; reports each undecodable image once.
    /// - Returns: the stores and the rows all of them hold.
    /// - Throws: `BackboneError`, `FeatureStoreError`, `SpotcheckError`.
    public func extractStores() throws -> RunStores {
        guard let dataset else {
            guard case .featureFiles(let files) = configuration.source else { preconditionFailure("images without a dataset") }
            let stores = try RunStores.open(featureFiles: files)
            observer.observe(.note("\(stores.commonRows.count) rows in \(stores.classes.count) classes shared by \(files.count) feature file(s)"))
            return stores
        }
        observer.observe(.note("\(dataset.samples.count) images in \(dataset.classes.count) classes under \(dataset.root.path)"))
        let extraction = FeatureExtraction(dataset: dataset, storeFolder: configuration.resolvedStoreFolder,
                                           batchSize: configuration.batchSize, threads: configuration.threads,
                                           seed: configuration.split.seed, weightsFiles: configuration.weightsFiles)
        // One network pass per backbone and fit serves all of its layouts.
        let passes = FeatureRecipe.passes(configuration.recipes)
        var records = [String: ExtractionRecord]()
        var failures = [String: SkippedFile]()
        for (step, pass) in passes.enumerated() {
            observer.observe(.phase("features of \(pass.map(\.name).joined(separator: ", "))", step: step + 1, of: passes.count))
            let outcome = try extraction.run(pass, observer: observer)
            for record in outcome.records { records[record.extractor] = record }
            for failure in outcome.failures where failures[failure.path] == nil {
                failures[failure.path] = failure
                observer.observe(.skipped(failure))
            }
        }
        let extractions = configuration.recipes.compactMap { records[$0.name] }
        var stored = [Set<String>]()
        for record in extractions {
            stored.append(Set(try RunStores.keys(of: FeatureStoreReader(url: URL(fileURLWithPath: record.featureFile)))))
        }
        let rows = dataset.samples.map { RunStores.Row(key: dataset.relativePath(of: $0.url), label: $0.label) }
        let common = rows.filter { row in stored.allSatisfy { $0.contains(row.key) } }
        return RunStores(extractions: extractions, classes: dataset.classes, commonRows: common,
                         summary: summary(of: dataset, usable: common, failures: failures))
    }

    /// The dataset section: classes and counts of the images used, files skipped at discovery
    /// (except the source-groups list, which the run reads), and images no store holds, with the
    /// decoder's reason.
    private func summary(of dataset: Dataset, usable: [RunStores.Row],
                         failures: [String: SkippedFile]) -> SpotcheckReport.DatasetSummary {
        let groupsFile = sourceGroups?.file.standardizedFileURL.path
        var skipped = dataset.skipped.filter { $0.url.standardizedFileURL.path != groupsFile }
            .map { SkippedFile(path: $0.url.path, reason: $0.reason) }
        let used = Set(usable.map(\.key))
        for sample in dataset.samples where !used.contains(dataset.relativePath(of: sample.url)) {
            skipped.append(failures[sample.url.path] ?? SkippedFile(leftOut: sample.url))
        }
        let cookbook = dataset.root.standardizedFileURL.path != imageFolder?.standardizedFileURL.path
        return SpotcheckReport.DatasetSummary(
            root: dataset.root.path, layout: cookbook ? "DIR/images/<class>/<file>" : "DIR/<class>/<file>",
            classes: dataset.classes, countsPerClass: RunStores.counts(of: usable, classes: dataset.classes),
            images: usable.count, skipped: skipped, warnings: dataset.warnings)
    }

    private var imageFolder: URL? {
        if case .images(let folder) = configuration.source { return folder }
        return nil
    }

    /// The shared train/test split over the rows every store holds.
    /// - Throws: `SpotcheckError.classTooSmall`, `ClassicMLError.tooFewSamples`.
    public func split(_ stores: RunStores) throws -> RunSplit {
        try SpotcheckError.checkClassSizes(labels: stores.commonRows.map(\.label), classes: stores.classes)
        return try RunSplit(rows: stores.commonRows, groups: sourceGroups, testFraction: configuration.split.testFraction,
                            seed: configuration.split.seed, observer: observer)
    }

    /// Scores every extractor × classifier pair — cross-validated on the training rows, then
    /// once on the test rows — and picks the winner by its cross-validated mean.
    /// - Returns: every result in ranking order, each extractor's best, the winner and the pairs
    ///   tied with it.
    /// - Throws: `FeatureStoreError` when a store cannot be read; `SpotcheckError.nothingEvaluated`
    ///   when every classifier failed.
    public func evaluate(_ stores: RunStores, split: RunSplit) throws -> Verdict {
        let labelOf = Dictionary(stores.commonRows.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        let plan = try CrossValidationPlan(split: split, labelOf: labelOf, options: configuration.split)
        if let note = plan.note { observer.observe(.warning(note)) }
        let evaluation = GridEvaluation(specs: configuration.classifiers, seed: configuration.split.seed, classes: stores.classes, split: split, plan: plan)
        var scored = [GridEvaluation.Scored]()
        var bests = [(pair: SpotcheckReport.BestPair, best: GridEvaluation.Best)]()
        for (index, extraction) in stores.extractions.enumerated() {
            observer.observe(.phase("\(configuration.classifiers.count) classifiers on \(extraction.extractor) (\(split.trainKeys.count) training / \(split.testKeys.count) test rows, \(plan.folds >= 2 ? "\(plan.folds)-fold CV" : "no CV"))",
                                    step: index + 1, of: stores.extractions.count))
            let (pairs, best) = try evaluation.run(extractor: extraction.extractor, index: index,
                                                   store: URL(fileURLWithPath: extraction.featureFile), observer: observer)
            scored += pairs
            if let best, let pair = evaluation.bestPair(best, featureFile: extraction.featureFile) {
                bests.append((pair, best))
            }
        }
        let files = Dictionary(stores.extractions.map { ($0.extractor, $0.featureFile) }, uniquingKeysWith: { first, _ in first })
        return try Verdict(scored: scored, bests: bests, winnerDetail: { best in
            evaluation.bestPair(best, featureFile: files[best.result.extractor] ?? "", withPredictions: true)
        }, plan: plan)
    }

    /// The report of a finished run.
    /// - Parameters:
    ///   - stores: the stores.
    ///   - split: the split.
    ///   - verdict: the scores and the winner.
    ///   - timings: the phase timings.
    ///   - modelFile: where the winner is saved, if it is.
    /// - Returns: the report.
    public func report(_ stores: RunStores, split: RunSplit, verdict: Verdict, timings: SpotcheckReport.Timings,
                       modelFile: String?) -> SpotcheckReport {
        SpotcheckReport(
            createdAt: Date(), toolVersion: SpotcheckVersion.current, command: configuration.command,
            dataset: stores.summary,
            split: .init(testFraction: configuration.split.testFraction, seed: configuration.split.seed,
                         trainRows: split.trainKeys.count, testRows: split.testKeys.count,
                         folds: verdict.selection.folds, groupedBy: split.groupsFile, groups: split.groupCount),
            extractions: stores.extractions, results: verdict.results, bestPerExtractor: verdict.bestPerExtractor,
            best: verdict.winner, selection: verdict.selection, modelFile: modelFile, timings: timings,
            versions: ["spotcheck": SpotcheckVersion.current])
    }

    /// Runs every step and writes the outputs.
    /// - Returns: the report and where the outputs went.
    /// - Throws: whatever a step throws; outputs are only written when every step succeeded.
    public func execute() throws -> SpotcheckResult {
        // Two runs never write the same outputs or stores at once: the second waits.
        let locks = try [configuration.outputFolder, configuration.resolvedStoreFolder].map { folder in
            try FolderLock(folder) { holder in
                observer.observe(.note("waiting for \(holder), which is writing to \(folder.path)"))
            }
        }
        defer { locks.forEach { $0.release() } }
        try OutputCommit.recover(in: configuration.outputFolder)
        let start = Date()
        let stores = try extractStores()
        let extractionSeconds = Date().timeIntervalSince(start)
        let split = try split(stores)
        let classificationStart = Date()
        let verdict = try evaluate(stores, split: split)
        let classificationSeconds = Date().timeIntervalSince(classificationStart)
        let timings = SpotcheckReport.Timings(discoverySeconds: planningSeconds, extractionSeconds: extractionSeconds,
                                              classificationSeconds: classificationSeconds,
                                              totalSeconds: Date().timeIntervalSince(start) + planningSeconds)
        return try RunOutputs.write(run: self, stores: stores, split: split, verdict: verdict, timings: timings)
    }
}
