import ArgumentParser
import Extractor
import Foundation

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
        var missing = false
        for descriptor in BackboneRegistry.all {
            let present = BackboneRegistry.hasWeights(descriptor, directory: directory)
            missing = missing || !present
            // The parameter count needs the file; without it the column says so.
            let parameters = present
                ? (try? BackboneRegistry.load(descriptor.name, directory: directory, threads: 1))
                    .map { String($0.parameterCount) } ?? "unreadable"
                : "-"
            print(pad(descriptor.name, 20) + pad(present ? "present" : "MISSING", 10)
                  + pad("\(descriptor.inputSize)", 8) + pad("\(descriptor.featureDimension)", 10)
                  + pad(parameters, 11) + descriptor.preprocessing.name)
        }
        if missing { print("some weights are missing: run scripts/setup") }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
