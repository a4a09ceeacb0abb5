import ArgumentParser
import Extractor
import Foundation
import SpotcheckKit

/// `spotcheck models`: the backbones, whether their weights are present, and their sizes.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the pretrained backbones: weights present, input size, feature dimension, parameters.")

    func run() throws {
        let directory = WeightsDirectory.url()
        print("weights folder: \(directory.path)")
        print(pad("model", 20) + pad("weights", 10) + pad("input", 8) + pad("features", 10) + pad("params", 11)
              + "preprocessing")
        let entries = BackboneInventory.entries(directory: directory)
        for entry in entries {
            let parameters = entry.parameters.map(String.init) ?? (entry.weightsPresent ? "unreadable" : "-")
            print(pad(entry.name, 20) + pad(entry.weightsPresent ? "present" : "MISSING", 10) + pad("\(entry.inputSize)", 8)
                  + pad("\(entry.featureDimension)", 10) + pad(parameters, 11) + entry.preprocessing)
        }
        if entries.contains(where: { !$0.weightsPresent }) { print("some weights are missing: run scripts/setup") }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
