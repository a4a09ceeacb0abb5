import ArgumentParser
import FeatureStore
import Foundation

/// `spotcheck inspect FILE.h5`: prints a feature store's shape, classes with row counts, and
/// attributes. Opens the cookbook's h5py files too.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise an HDF5 feature store: shape, classes and counts, attributes."
    )

    @Argument(help: "The feature store (.h5) to summarise.")
    var file: String

    func run() throws {
        print(try FeatureStoreReader(url: URL(fileURLWithPath: file)).summary())
    }
}
