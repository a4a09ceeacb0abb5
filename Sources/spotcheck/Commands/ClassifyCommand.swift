import ArgumentParser
import Extractor
import Foundation
import SpotcheckKit

/// `spotcheck classify IMAGE…`: the ImageNet top-k classes of each image with a pretrained backbone.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Print the ImageNet top-k classes (softmax probabilities) of each image.")

    @Argument(help: "JPEG or PNG files.")
    var images: [String]

    @Option(name: .long, help: "Backbone, optionally with its weights file as NAME=PATH (e.g. resnet50=~/resnet50.pth): \(BackboneRegistry.names.joined(separator: ", ")).")
    var model: String = "efficientnet_lite0"

    @Option(name: .long, help: "Number of classes per image.")
    var top: Int = 5

    @OptionGroup var compute: ComputeOptionGroup

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image file") }
        guard (1...1000).contains(top) else { throw ValidationError("--top must be between 1 and 1000") }
    }

    func run() throws {
        try ImageNetClassification.top(top, of: ImageFiles.collect(images), backbone: model, batchSize: compute.batch,
                                       threads: compute.threads) { file, guesses in
            print("\(file.path) (\(model)):")
            for (rank, guess) in guesses.enumerated() {
                print(String(format: "  %d. %6.2f%%  %4d  %@", rank + 1, guess.probability * 100, guess.index, guess.name))
            }
        }
    }
}
