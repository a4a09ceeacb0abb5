import FeatureStore
import Foundation

/// The feature stores of a run, whichever way they were obtained, and the rows all of them hold.
public struct RunStores: Sendable {
    /// One row the split can use: its key (the image path relative to the dataset, or `#i` for a
    /// store without paths) and its label.
    public struct Row: Sendable, Hashable {
        /// The row's key, the same in every store.
        public var key: String
        /// Its label.
        public var label: Int
    }

    /// One record per extractor's store, in extractor order.
    public var extractions: [ExtractionRecord]
    /// Class names, by label.
    public var classes: [String]
    /// The rows every store holds, in a stable order.
    public var commonRows: [Row]
    /// The dataset section of the report.
    public var summary: SpotcheckReport.DatasetSummary

    /// The row keys of a store: its `paths`, or `#0`, `#1`, … when it has none (the cookbook's files).
    /// - Throws: `FeatureStoreError` when the paths cannot be read.
    public static func keys(of reader: FeatureStoreReader) throws -> [String] {
        reader.hasPaths ? try reader.paths(0..<reader.rowCount) : (0..<reader.rowCount).map { "#\($0)" }
    }

    /// Opens feature files made earlier (by spotcheck or by the cookbook's h5py code); they must
    /// agree on class names, and the run uses the rows all of them hold (matched by path, or by
    /// position when a file has no paths).
    /// - Parameter files: the stores.
    /// - Returns: the stores, named by their attributes (`backbone:layout`) or file names, made unique.
    /// - Throws: `FeatureStoreError` for an unreadable store, `SpotcheckError.featureFilesDisagree`
    ///   when classes or labels differ or no row is shared.
    public static func open(featureFiles files: [URL]) throws -> RunStores {
        var extractions = [ExtractionRecord]()
        var classes: [String]?
        var common: [Row]?
        for file in files {
            let reader = try FeatureStoreReader(url: file)
            if let classes, classes != reader.labelNames {
                throw SpotcheckError.featureFilesDisagree(
                    "\(file.path) has classes \(reader.labelNames), \(files[0].path) has \(classes)")
            }
            classes = reader.labelNames
            let keys = try keys(of: reader)
            if Set(keys).count != keys.count {
                throw SpotcheckError.featureFilesDisagree(
                    "\(file.path) names \(keys.count - Set(keys).count) image paths more than once, so its rows cannot be matched to the other files' (or split) by path")
            }
            let rows = zip(keys, try reader.labels()).map { Row(key: $0, label: $1) }
            if let previous = common {
                let labelOf = Dictionary(rows.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
                for row in previous where labelOf[row.key].map({ $0 != row.label }) == true {
                    throw SpotcheckError.featureFilesDisagree("row \(row.key) has different labels in \(file.path) and \(files[0].path)")
                }
                common = previous.filter { labelOf[$0.key] != nil }
            } else {
                common = rows
            }
            let attributes = reader.attributes
            var name = StoreRecipe.extractorName(of: attributes, fallback: file.deletingPathExtension().lastPathComponent)
            if extractions.contains(where: { $0.extractor == name }) { name += "#\(extractions.count + 1)" }
            extractions.append(ExtractionRecord(
                extractor: name, featureFile: file.path, dimension: reader.dimension, rows: reader.rowCount,
                cached: true, resumed: false, seconds: 0, imagesPerSecond: nil,
                weightsSHA256: attributes.weightsSHA256, layout: attributes.layout,
                preprocessing: attributes.preprocessing))
        }
        let names = classes ?? []
        let rows = common ?? []
        guard !rows.isEmpty else { throw SpotcheckError.featureFilesDisagree("the feature files share no rows") }
        let summary = SpotcheckReport.DatasetSummary(
            root: files.map(\.path).joined(separator: ", "), layout: "feature files", classes: names,
            countsPerClass: counts(of: rows, classes: names), images: rows.count, skipped: [], warnings: [])
        return RunStores(extractions: extractions, classes: names, commonRows: rows, summary: summary)
    }

    /// Rows per class name.
    static func counts(of rows: [Row], classes: [String]) -> [String: Int] {
        var counts = [String: Int]()
        for row in rows where classes.indices.contains(row.label) { counts[classes[row.label], default: 0] += 1 }
        return counts
    }
}
