import ClassicML
import FeatureStore
import FileSafety
import Foundation
import LinearAlgebra

/// A seeded stratified split of a feature store streamed into two CSV files in the cookbook's
/// layout (`class,feature_0,…`) for out-of-core learning — `spotcheck export-csv`. Rows are
/// written in a seeded random order whatever the store's order, so a learner reading a file top
/// to bottom never meets one class after another (that inflates progressive accuracy).
public enum CSVExport {
    /// Writes the training and test rows of `store`.
    /// - Parameters:
    ///   - store: the feature store.
    ///   - train: the training CSV.
    ///   - test: the test CSV.
    ///   - split: the split (its `folds` are not used).
    ///   - overwrite: replace existing output files.
    ///   - progress: receives the rows written so far and the total.
    /// - Returns: the rows written to each file.
    /// - Throws: `FileSafetyError` when an output is the store, both outputs are one file, an
    ///   output exists (without `overwrite`) or its folder is not writable — checked before any
    ///   work; `FeatureStoreError`, `ClassicMLError` for a split that cannot be made.
    public static func export(store: URL, train: URL, test: URL, split: SplitOptions, overwrite: Bool,
                              progress: (Int, Int) -> Void = { _, _ in }) throws -> (train: Int, test: Int) {
        try OutputPaths.check([train, test], inputs: [store], replacing: overwrite)
        let reader = try FeatureStoreReader(url: store)
        let parts = try StratifiedSplit.trainTest(labels: try reader.labels(), testFraction: split.testFraction, seed: split.seed)
        var isTest = [Bool](repeating: false, count: reader.rowCount)
        for row in parts.test { isTest[row] = true }
        var generator = SeededGenerator(seed: split.seed)
        let order = Array(0..<reader.rowCount).shuffled(using: &generator)
        return try reader.exportCSV(trainPath: train.path, testPath: test.path, isTest: isTest, order: order,
                                    overwrite: overwrite) {
            progress($0, reader.rowCount)
        }
    }
}
