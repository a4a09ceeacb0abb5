import ArgumentParser
import Foundation
import SpotcheckKit

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

    @OptionGroup var split: SplitOptionGroup

    @Flag(help: "Replace existing output files.")
    var overwrite = false

    func run() throws {
        var bar: ProgressReporter?
        let written = try Advice.adding(for: .exportCSV) {
            try CSVExport.export(store: URL(fileURLWithPath: features), train: URL(fileURLWithPath: train),
                                 test: URL(fileURLWithPath: test), split: split.options(), overwrite: overwrite) { done, total in
                bar = bar ?? ProgressReporter("export-csv", total: total, unit: "rows")
                bar?.update(done: done)
            }
        }
        bar?.finish()
        print("train: \(written.train) rows → \(train)")
        print("test:  \(written.test) rows → \(test)")
    }
}
