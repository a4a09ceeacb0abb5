import ClassicML
import Extractor
import FeatureStore
import Foundation

/// Everything `spotcheck run` checked before starting work, and the work itself.
struct RunPlan {
    /// Where the features come from.
    enum Source {
        /// A labelled image folder and the extractors to run over it.
        case images(Dataset, extractors: [ExtractorSpec])
        /// Feature files made earlier, by spotcheck or by another tool, taken as given.
        case featureFiles([URL])
    }

    let source: Source
    let grid: [ClassifierSpec]
    /// Which images are copies of one photo, when the split must keep them together.
    let sourceGroups: SourceGroups?
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
        grid = try command.classifiers.map { try ClassifierSpec.list(parsing: $0) }
            ?? ClassifierGrid(parsing: command.grid).specs
        if command.features.isEmpty {
            source = try Self.imageSource(command)
        } else {
            let files = command.features.map { URL(fileURLWithPath: $0) }
            for file in files { _ = try FeatureStoreReader(url: file) }
            source = .featureFiles(files)
        }
        sourceGroups = try Self.sourceGroups(command, source: source)
        outFolder = URL(fileURLWithPath: command.out)
        storeFolder = command.cache.map { URL(fileURLWithPath: $0) } ?? outFolder.appendingPathComponent("features")
        for folder in [outFolder, storeFolder] { try Self.ensureWritable(folder) }
        discoverySeconds = Date().timeIntervalSince(start)
    }

    private var discoverySeconds: Double = 0

    /// Discovers the dataset and checks the backbones: names known, weights present, and every
    /// class large enough to stratify.
    private static func imageSource(_ command: RunCommand) throws -> Source {
        let dataset = try DatasetDiscovery.discover(at: URL(fileURLWithPath: command.images ?? "."))
        for warning in dataset.warnings { Terminal.note("warning: \(warning)") }
        let names = command.extractors.map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } ?? BackboneRegistry.names
        let layouts = try command.layouts.split(separator: ",").map {
            try FeatureLayout(parsing: $0.trimmingCharacters(in: .whitespaces))
        }
        let extractors = try ExtractorSpec.expand(names, layouts: layouts, fit: command.fit)
        try RunError.checkClassSizes(labels: dataset.samples.map(\.label), classes: dataset.classes)
        for backbone in Set(extractors.map(\.backbone)) {
            let descriptor = try BackboneRegistry.descriptor(named: backbone)
            guard BackboneRegistry.hasWeights(descriptor) else {
                throw BackboneError.missingWeights(path: BackboneRegistry.weightsURL(for: descriptor).path)
            }
        }
        return .images(dataset, extractors: extractors)
    }

    /// The groups of `--groups FILE`, else of `DIR/sources.csv` when an image folder has one.
    private static func sourceGroups(_ command: RunCommand, source: Source) throws -> SourceGroups? {
        if let path = command.groups { return try SourceGroups(contentsOf: URL(fileURLWithPath: path)) }
        guard case .images(let dataset, _) = source, let images = command.images else { return nil }
        let candidates = [dataset.root, URL(fileURLWithPath: images)].map { $0.appendingPathComponent(SourceGroups.defaultName) }
        return try candidates.first { FileManager.default.fileExists(atPath: $0.path) }.map { try SourceGroups(contentsOf: $0) }
    }

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

    /// Makes (or opens) the feature stores, then runs the grid, then writes the reports.
    func execute() throws {
        let runStart = Date()
        let extractionStart = Date()
        let stores = try prepareStores()
        let extractionSeconds = Date().timeIntervalSince(extractionStart)
        let extractions = stores.extractions
        let classes = stores.classes

        // The shared split: over the rows every store holds, seeded, stratified, grouped if asked.
        let common = stores.commonRows
        try RunError.checkClassSizes(labels: common.map(\.label), classes: classes)
        let (split, groupOf) = try split(common)
        let evaluation = GridEvaluation(specs: grid, classes: classes,
                                        trainPaths: split.train.map { common[$0].key },
                                        testPaths: split.test.map { common[$0].key },
                                        groupOf: groupOf, folds: options.folds, seed: options.seed)
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
            let metadata = try ModelMetadata.describing(classifier: winner.pair.classifier,
                                                        store: URL(fileURLWithPath: winner.pair.featureFile))
            let model = SavedModel(classifier: fitted.classifier, scaler: fitted.scaler, classNames: classes,
                                   metadata: metadata)
            try ModelFile.save(model, to: url, overwrite: true)
            modelFile = url.path
        }

        let report = SpotcheckReport(
            createdAt: Date(), toolVersion: SpotcheckVersion.current, command: arguments,
            dataset: stores.summary,
            split: .init(testFraction: options.testFraction, seed: options.seed, trainRows: split.train.count,
                         testRows: split.test.count, folds: options.folds, groupedBy: sourceGroups?.file.path,
                         groups: groupOf.map { Set($0.values).count }),
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
}

/// Why `spotcheck run` refused to start.
enum RunError: Error, CustomStringConvertible {
    case classTooSmall(name: String, count: Int)
    case outputNotWritable(path: String, reason: String)
    case featureFilesDisagree(String)
    case groupsUnreadable(path: String, reason: String)
    case storeInTheWay(path: String, reason: String)

    /// Refuses a class with fewer than two rows: a stratified split needs one on each side.
    static func checkClassSizes(labels: [Int], classes: [String]) throws {
        let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
        for (label, name) in classes.enumerated() where (counts[label] ?? 0) < 2 {
            throw classTooSmall(name: name, count: counts[label] ?? 0)
        }
    }

    var description: String {
        switch self {
        case .classTooSmall(let name, let count):
            return "class \(name) has \(count) image(s); a stratified train/test split needs at least 2 per class — add images or remove the class folder"
        case .featureFilesDisagree(let what):
            return "the feature files cannot be compared: \(what); pass stores made from the same dataset"
        case .groupsUnreadable(let path, let reason):
            return "cannot read the source groups in \(path): \(reason); give a CSV with file and source columns (as `spotcheck rotations` writes) or leave out --groups"
        case .storeInTheWay(let path, let reason):
            return "\(path) is where a feature store goes, but spotcheck did not make it (\(reason)); it is left untouched — move it away or choose another folder with --cache"
        case .outputNotWritable(let path, let reason):
            return "cannot write to \(path) (\(reason)); choose a writable folder with --out / --cache"
        }
    }
}
