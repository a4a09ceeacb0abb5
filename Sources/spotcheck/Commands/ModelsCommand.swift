import ArgumentParser
import Extractor
import Foundation
import SpotcheckKit

/// `spotcheck models`: the backbones, whether their weights are present, and their sizes.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the pretrained backbones: where their weights are, input size, feature dimension, parameters.")

    @Option(name: .customLong("fetch-command"), help: ArgumentHelp(
        "Print shell commands that fetch this backbone's official weights (URL, digest check) to where spotcheck looks; spotcheck itself never downloads.",
        valueName: "backbone"))
    var fetchCommand: String?

    func run() throws {
        if let fetchCommand {
            let descriptor = try BackboneRegistry.descriptor(named: fetchCommand)
            print(descriptor.fetchCommands.joined(separator: "\n"))
            return
        }
        let directory = WeightsDirectory.url()
        print("weights folder: \(directory.path)")
        let entries = BackboneInventory.entries(directory: directory)
        // The longest names (`keras_inception_resnet_v2`) widen the first column.
        let nameWidth = max(20, (entries.map(\.name.count).max() ?? 0) + 2)
        print(pad("model", nameWidth) + pad("weights", 10) + pad("input", 8) + pad("features", 10) + pad("params", 11)
              + "preprocessing")
        for entry in entries {
            let parameters = entry.parameters.map(String.init) ?? (entry.weightsPresent ? "unreadable" : "-")
            print(pad(entry.name, nameWidth) + pad(entry.weightsPresent ? "present" : "MISSING", 10) + pad("\(entry.inputSize)", 8)
                  + pad("\(entry.featureDimension)", 10) + pad(parameters, 11) + entry.preprocessing)
        }
        print("")
        for entry in entries {
            print(pad(entry.name, nameWidth) + (entry.weightsFile ?? "not found; looked for " + entry.searched.joined(separator: ", ")))
        }
        if entries.contains(where: { !$0.weightsPresent && $0.fetchedBySetup }) {
            print("some weights scripts/setup fetches are missing: run scripts/setup")
        }
        if entries.contains(where: { !$0.weightsPresent && !$0.fetchedBySetup }) {
            print("torchvision checkpoints are found as NAME-HASH.pth in $TORCH_HOME/hub/checkpoints "
                  + "(default ~/.cache/torch/hub/checkpoints) or the weights folder; "
                  + "Keras weights (keras_*) by their keras.applications file names in $KERAS_HOME/models "
                  + "(default ~/.keras/models) or the weights folder; "
                  + "timm weights (timm_*) as model.safetensors (or pytorch_model.bin) of their Hugging Face repo in the Hub cache "
                  + "($HF_HOME/hub, default ~/.cache/huggingface/hub) or as OWNER--REPO.safetensors in the weights folder; "
                  + "or name a file with --extractors NAME=PATH")
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
