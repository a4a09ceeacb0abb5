import ArgumentParser
import Extractor
import Foundation

/// `spotcheck classify IMAGE…`: the ImageNet top-k classes of each image with a pretrained backbone.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Print the ImageNet top-k classes (softmax probabilities) of each image.")

    @Argument(help: "JPEG or PNG files.")
    var images: [String]

    @Option(name: .long, help: "Backbone: \(BackboneRegistry.names.joined(separator: ", ")).")
    var model: String = "efficientnet_lite0"

    @Option(name: .long, help: "Number of classes per image.")
    var top: Int = 5

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image file") }
        guard (1...1000).contains(top) else { throw ValidationError("--top must be between 1 and 1000") }
    }

    func run() throws {
        let backbone = try BackboneRegistry.load(model)
        let names = try ImageNetClasses.names()
        let preprocessor = try ImagePreprocessor(preset: backbone.descriptor.preprocessing)
        let side = backbone.descriptor.inputSize
        let size = 3 * side * side
        var values = [Float](repeating: 0, count: images.count * size)
        try values.withUnsafeMutableBufferPointer { buffer in
            for (index, path) in images.enumerated() {
                let slot = UnsafeMutableBufferPointer(rebasing: buffer[index * size ..< (index + 1) * size])
                try preprocessor.preprocess(contentsOf: URL(fileURLWithPath: path), into: slot)
            }
        }
        let batch = ImageBatch(count: images.count, channels: 3, height: side, width: side, values: values)
        let logits = try backbone.logits(batch: batch)
        for (index, path) in images.enumerated() {
            print("\(path) (\(model)):")
            for (rank, entry) in ImageNetClasses.top(top, of: logits.row(index)).enumerated() {
                print(String(format: "  %d. %6.2f%%  %4d  %@", rank + 1, entry.probability * 100, entry.index,
                             names[entry.index]))
            }
        }
    }
}
