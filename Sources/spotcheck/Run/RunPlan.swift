import ClassicML
import Extractor
import FeatureStore
import Foundation

/// Everything `spotcheck run` checked before starting work, and the work itself.
struct RunPlan {
    let dataset: Dataset
    let extractors: [String]
    let grid: [GridEntry]
    let outFolder: URL
    let storeFolder: URL
    let options: RunCommand
    let arguments: [String]

    /// Validates the inputs — dataset layout, names, class sizes, weights, writable output —
    /// so that every refusal comes before any work.
    init(command: RunCommand) throws {
        options = command
        arguments = CommandLine.arguments
        let start = Date()
        dataset = try DatasetDiscovery.discover(at: URL(fileURLWithPath: command.images ?? "."))
        for warning in dataset.warnings { Terminal.note("warning: \(warning)") }
        extractors = try command.extractors.map { list in
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names { _ = try BackboneRegistry.descriptor(named: name) }
            return names
        } ?? BackboneRegistry.names
        grid = try command.classifiers.map {
            try ClassifierGrid.entries(named: $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                       seed: command.seed)
        } ?? ClassifierGrid.defaultEntries(seed: command.seed)
        // A stratified split needs two images of every class.
        let counts = Dictionary(grouping: dataset.samples, by: \.label).mapValues(\.count)
        for (label, name) in dataset.classes.enumerated() where (counts[label] ?? 0) < 2 {
            throw RunError.classTooSmall(name: name, count: counts[label] ?? 0)
        }
        for name in extractors {
            let descriptor = try BackboneRegistry.descriptor(named: name)
            guard BackboneRegistry.hasWeights(descriptor) else {
                throw BackboneError.missingWeights(path: BackboneRegistry.weightsURL(for: descriptor).path)
            }
        }
        outFolder = URL(fileURLWithPath: command.out)
        storeFolder = command.cache.map { URL(fileURLWithPath: $0) } ?? outFolder.appendingPathComponent("features")
        for folder in [outFolder, storeFolder] { try Self.ensureWritable(folder) }
        discoverySeconds = Date().timeIntervalSince(start)
    }

    private var discoverySeconds: Double = 0

    /// Creates `folder` if needed and checks a file can be written there.
    private static func ensureWritable(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let probe = folder.appendingPathComponent(".spotcheck-write-test-\(getpid())")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw RunError.outputNotWritable(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// Runs extraction for every backbone, then the grid, then writes the reports.
    func execute() throws {
        let runStart = Date()
        print("spotcheck: \(dataset.samples.count) images in \(dataset.classes.count) classes under \(dataset.root.path)")
        let extraction = FeatureExtraction(dataset: dataset, storeFolder: storeFolder,
                                           batchSize: options.batch, threads: options.threads)
        var extractions = [SpotcheckReport.Extraction]()
        var storedPaths = [Set<String>]()
        let extractionStart = Date()
        for name in extractors {
            let outcome = try extraction.run(name)
            extractions.append(SpotcheckReport.Extraction(
                extractor: name, featureFile: outcome.storeURL.path, dimension: outcome.dimension, rows: outcome.rows,
                cached: outcome.cached, resumed: outcome.resumed, seconds: outcome.seconds,
                imagesPerSecond: outcome.imagesPerSecond, weightsSHA256: outcome.weightsSHA256))
            if outcome.cached { Terminal.note("\(name): reusing \(outcome.storeURL.path) (dataset unchanged)") }
            let reader = try FeatureStoreReader(url: outcome.storeURL)
            storedPaths.append(Set(try reader.paths(0..<reader.rowCount)))
        }
        let extractionSeconds = Date().timeIntervalSince(extractionStart)

        // The shared split: over the images every store holds, seeded and stratified.
        let common = dataset.samples.filter { sample in
            storedPaths.allSatisfy { $0.contains(extraction.relativePath(sample.url)) }
        }
        let split = try StratifiedSplit.trainTest(labels: common.map(\.label), testFraction: options.testFraction,
                                                  seed: options.seed)
        let evaluation = GridEvaluation(entries: grid, classes: dataset.classes,
                                        trainPaths: split.train.map { extraction.relativePath(common[$0].url) },
                                        testPaths: split.test.map { extraction.relativePath(common[$0].url) },
                                        folds: options.folds, seed: options.seed)
        let classificationStart = Date()
        var results = [SpotcheckReport.Result]()
        var bests = [(pair: SpotcheckReport.BestPair, best: GridEvaluation.Best)]()
        for extraction in extractions {
            Terminal.note("\(extraction.extractor): \(grid.count) classifiers on \(split.train.count) training / \(split.test.count) test images")
            let (rows, best) = try evaluation.run(extractor: extraction.extractor, store: URL(fileURLWithPath: extraction.featureFile))
            results += rows
            if let best, let pair = evaluation.bestPair(best, extractor: extraction.extractor, featureFile: extraction.featureFile) {
                bests.append((pair, best))
            }
        }
        let classificationSeconds = Date().timeIntervalSince(classificationStart)
        // The first of the best in extractor order wins a tie.
        let topAccuracy = bests.map(\.pair.accuracy).max()
        let winner = bests.first { $0.pair.accuracy == topAccuracy }
        let winningPair = winner.flatMap {
            evaluation.bestPair($0.best, extractor: $0.pair.extractor, featureFile: $0.pair.featureFile, withPredictions: true)
        }

        var modelFile: String?
        if let winner, let fitted = winner.best.outcome.fitted {
            let url = outFolder.appendingPathComponent("best_model.json")
            let model = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler, classNames: dataset.classes,
                                   metadata: ["backbone": winner.pair.extractor, "classifier": winner.pair.classifier,
                                              "feature_store": winner.pair.featureFile, "layout": "avg"])
            try ModelFile.save(model, to: url, overwrite: true)
            modelFile = url.path
        }

        let report = SpotcheckReport(
            createdAt: Date(), toolVersion: SpotcheckVersion.current, command: arguments,
            dataset: datasetSummary(usable: common, relativePath: extraction.relativePath),
            split: .init(testFraction: options.testFraction, seed: options.seed, trainRows: split.train.count,
                         testRows: split.test.count, folds: options.folds),
            extractions: extractions, results: results, bestPerExtractor: bests.map(\.pair), best: winningPair,
            modelFile: modelFile,
            timings: .init(discoverySeconds: discoverySeconds, extractionSeconds: extractionSeconds,
                           classificationSeconds: classificationSeconds,
                           totalSeconds: Date().timeIntervalSince(runStart) + discoverySeconds),
            versions: ["spotcheck": SpotcheckVersion.current])
        let jsonURL = outFolder.appendingPathComponent("final_report.json")
        let htmlURL = outFolder.appendingPathComponent("final_report.html")
        try report.jsonData().write(to: jsonURL, options: .atomic)
        try Data(ReportHTML.render(report).utf8).write(to: htmlURL, options: .atomic)
        ResultTable.print(results)
        if let best = winner?.pair {
            print(String(format: "Best: %@ + %@, accuracy %.3f", best.extractor, best.classifier, best.accuracy))
        }
        print("Reports: \(jsonURL.path), \(htmlURL.path)" + (modelFile.map { "; model: \($0)" } ?? ""))
    }

    /// The dataset section: classes and counts of the images used, files skipped at discovery,
    /// and images no feature store holds, each with the decoder's reason.
    private func datasetSummary(usable: [Dataset.Sample], relativePath: (URL) -> String) -> SpotcheckReport.Dataset {
        var skipped = dataset.skipped.map { SpotcheckReport.SkippedFile(path: $0.url.path, reason: $0.reason) }
        let used = Set(usable.map { relativePath($0.url) })
        let decoder = ImageDecoder()
        for sample in dataset.samples where !used.contains(relativePath(sample.url)) {
            let reason: String
            do {
                _ = try decoder.decode(contentsOf: sample.url)
                reason = "missing from a feature store"
            } catch {
                reason = error.description
            }
            skipped.append(SpotcheckReport.SkippedFile(path: sample.url.path, reason: reason))
        }
        var counts = [String: Int]()
        for sample in usable { counts[dataset.classes[sample.label], default: 0] += 1 }
        let cookbook = dataset.root.lastPathComponent == "images"
            && dataset.root.standardizedFileURL.path != URL(fileURLWithPath: options.images ?? ".").standardizedFileURL.path
        return SpotcheckReport.Dataset(root: dataset.root.path, layout: cookbook ? "DIR/images/<class>/<file>" : "DIR/<class>/<file>",
                                       classes: dataset.classes, countsPerClass: counts, images: usable.count,
                                       skipped: skipped, warnings: dataset.warnings)
    }
}

/// Why `spotcheck run` refused to start.
enum RunError: Error, CustomStringConvertible {
    case classTooSmall(name: String, count: Int)
    case outputNotWritable(path: String, reason: String)

    var description: String {
        switch self {
        case .classTooSmall(let name, let count):
            return "class \(name) has \(count) image(s); a stratified train/test split needs at least 2 per class — add images or remove the class folder"
        case .outputNotWritable(let path, let reason):
            return "cannot write to \(path) (\(reason)); choose a writable folder with --out / --cache"
        }
    }
}
