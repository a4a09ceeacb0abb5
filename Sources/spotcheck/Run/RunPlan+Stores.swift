import Extractor
import FeatureStore
import Foundation

/// The feature stores of a run, whichever way they were obtained, and what the rest of the run
/// needs to know about their rows.
struct RunStores {
    /// One row the split can use: its key (the image path relative to the dataset, or `#i` for a
    /// store without paths) and its label.
    struct Row {
        var key: String
        var label: Int
    }

    var extractions: [SpotcheckReport.Extraction]
    var classes: [String]
    /// The rows every store holds, in a stable order.
    var commonRows: [Row]
    var summary: SpotcheckReport.Dataset

    /// The row keys of a store: its `paths`, or `#0`, `#1`, … when it has none (the cookbook's files).
    static func keys(of reader: FeatureStoreReader) throws -> [String] {
        reader.hasPaths ? try reader.paths(0..<reader.rowCount) : (0..<reader.rowCount).map { "#\($0)" }
    }
}

extension RunPlan {
    /// Extracts every backbone's store for an image folder, or opens the given feature files.
    func prepareStores() throws -> RunStores {
        switch source {
        case .images(let dataset, let extractors):
            return try extractStores(dataset, extractors: extractors)
        case .featureFiles(let files):
            return try openStores(files)
        }
    }

    private func extractStores(_ dataset: Dataset, extractors: [ExtractorSpec]) throws -> RunStores {
        print("spotcheck: \(dataset.samples.count) images in \(dataset.classes.count) classes under \(dataset.root.path)")
        let extraction = FeatureExtraction(dataset: dataset, storeFolder: storeFolder,
                                           batchSize: options.batch, threads: options.threads)
        var extractions = [SpotcheckReport.Extraction]()
        var storedKeys = [Set<String>]()
        // One network pass per backbone and fit serves all of its layouts.
        var passes = [[ExtractorSpec]]()
        for spec in extractors {
            if let index = passes.firstIndex(where: { $0[0].backbone == spec.backbone && $0[0].fit == spec.fit }) {
                passes[index].append(spec)
            } else {
                passes.append([spec])
            }
        }
        var records = [String: SpotcheckReport.Extraction]()
        for pass in passes {
            for record in try extraction.run(pass) { records[record.extractor] = record }
        }
        for spec in extractors {
            guard let record = records[spec.name] else { continue }
            extractions.append(record)
            storedKeys.append(Set(try RunStores.keys(of: FeatureStoreReader(url: URL(fileURLWithPath: record.featureFile)))))
        }
        let rows = dataset.samples.map { RunStores.Row(key: extraction.relativePath($0.url), label: $0.label) }
        let common = rows.filter { row in storedKeys.allSatisfy { $0.contains(row.key) } }
        return RunStores(extractions: extractions, classes: dataset.classes, commonRows: common,
                         summary: summary(of: dataset, usable: common, relativePath: extraction.relativePath))
    }

    /// The dataset section: classes and counts of the images used, files skipped at discovery
    /// (except the source-groups list, which the run reads),
    /// and images no feature store holds, each with the decoder's reason.
    private func summary(of dataset: Dataset, usable: [RunStores.Row],
                         relativePath: (URL) -> String) -> SpotcheckReport.Dataset {
        // The source-groups list is read, not skipped.
        let groupsFile = sourceGroups?.file.standardizedFileURL.path
        var skipped = dataset.skipped.filter { $0.url.standardizedFileURL.path != groupsFile }
            .map { SpotcheckReport.SkippedFile(path: $0.url.path, reason: $0.reason) }
        let used = Set(usable.map(\.key))
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
        let cookbook = dataset.root.lastPathComponent == "images"
            && dataset.root.standardizedFileURL.path != URL(fileURLWithPath: options.images ?? ".").standardizedFileURL.path
        return SpotcheckReport.Dataset(root: dataset.root.path,
                                       layout: cookbook ? "DIR/images/<class>/<file>" : "DIR/<class>/<file>",
                                       classes: dataset.classes, countsPerClass: counts(usable, dataset.classes),
                                       images: usable.count, skipped: skipped, warnings: dataset.warnings)
    }

    /// Opens feature files made earlier; they must agree on class names, and the split uses the
    /// rows all of them hold (matched by path, or by position when a file has no paths).
    private func openStores(_ files: [URL]) throws -> RunStores {
        var extractions = [SpotcheckReport.Extraction]()
        var classes: [String]?
        var common: [RunStores.Row]?
        for file in files {
            let reader = try FeatureStoreReader(url: file)
            if let classes, classes != reader.labelNames {
                throw RunError.featureFilesDisagree(
                    "\(file.path) has classes \(reader.labelNames), \(files[0].path) has \(classes)")
            }
            classes = reader.labelNames
            let rows = zip(try RunStores.keys(of: reader), try reader.labels()).map { RunStores.Row(key: $0, label: $1) }
            if let previous = common {
                let labelOf = Dictionary(rows.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
                for row in previous where labelOf[row.key].map({ $0 != row.label }) == true {
                    throw RunError.featureFilesDisagree("row \(row.key) has different labels in \(file.path) and \(files[0].path)")
                }
                common = previous.filter { labelOf[$0.key] != nil }
            } else {
                common = rows
            }
            // The extractor's name: the store's attributes (`backbone:layout` as `run --images`
            // names it), else the file's name; made unique.
            let attributes = reader.attributes
            var name = attributes.extractor.map { backbone in
                attributes.layout.map { $0 == "avg" ? backbone : "\(backbone):\($0)" } ?? backbone
            } ?? file.deletingPathExtension().lastPathComponent
            if extractions.contains(where: { $0.extractor == name }) { name += "#\(extractions.count + 1)" }
            extractions.append(SpotcheckReport.Extraction(
                extractor: name, featureFile: file.path, dimension: reader.dimension, rows: reader.rowCount,
                cached: true, resumed: false, seconds: 0, imagesPerSecond: nil,
                weightsSHA256: attributes.weightsSHA256, layout: attributes.layout,
                preprocessing: attributes.preprocessing))
        }
        let names = classes ?? []
        let rows = common ?? []
        guard !rows.isEmpty else { throw RunError.featureFilesDisagree("the feature files share no rows") }
        Terminal.note("spotcheck: \(rows.count) rows in \(names.count) classes shared by \(files.count) feature file(s)")
        let summary = SpotcheckReport.Dataset(root: files.map(\.path).joined(separator: ", "), layout: "feature files",
                                              classes: names, countsPerClass: counts(rows, names), images: rows.count,
                                              skipped: [], warnings: [])
        return RunStores(extractions: extractions, classes: names, commonRows: rows, summary: summary)
    }

    private func counts(_ rows: [RunStores.Row], _ classes: [String]) -> [String: Int] {
        var counts = [String: Int]()
        for row in rows where row.label < classes.count { counts[classes[row.label], default: 0] += 1 }
        return counts
    }
}
