import ArgumentParser
import ClassicML
import FeatureStore
import Foundation

/// `spotcheck export-csv`: a seeded, stratified train/test split of a feature store, streamed
/// into two CSV files in the cookbook's layout for out-of-core learning.
struct ExportCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-csv",
        abstract: "Split a feature store (stratified, seeded) into train and test CSV files.",
        discussion: """
            Rows are written as `class,feature_0,…,feature_{D-1}` with the class as its integer label \
            and each feature in its shortest form that parses back to the identical float32. \
            The store is read in batches, so memory stays bounded. Outputs are written under \
            temporary names and renamed into place when complete.
            """
    )

    @Option(help: "The feature store (.h5) to export.")
    var features: String

    @Option(help: "Where the training rows go.")
    var train: String

    @Option(help: "Where the test rows go.")
    var test: String

    @Option(help: "Share of each class held out for testing, between 0 and 1.")
    var testFraction: Double = 0.2

    @Option(help: "Seed of the split.")
    var seed: UInt64 = 42

    @Flag(help: "Replace existing output files.")
    var overwrite = false

    func run() throws {
        let reader = try FeatureStoreReader(url: URL(fileURLWithPath: features))
        let split = try StratifiedSplit.trainTest(labels: try reader.labels(), testFraction: testFraction, seed: seed)
        var isTest = [Bool](repeating: false, count: reader.rowCount)
        for row in split.test { isTest[row] = true }
        let reporter = ProgressReporter("export-csv", total: reader.rowCount, unit: "rows")
        var done = 0
        let written = try reader.exportCSV(trainPath: train, testPath: test, isTest: isTest, overwrite: overwrite) {
            reporter.advance(by: $0 - done)
            done = $0
        }
        reporter.finish()
        print("train: \(written.train) rows → \(train)")
        print("test:  \(written.test) rows → \(test)")
    }
}
